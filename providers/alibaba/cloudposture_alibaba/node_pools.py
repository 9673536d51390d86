"""ACK node pools, their ECS instances and security groups -> neutral NodePools (pure).

A pool's facts come from two places: the pool's scaling group (what every future node gets:
security groups, public bandwidth, EIP binding, RAM role) and the ECS instances it runs now
(what the nodes actually have: security groups, public and EIP addresses, metadata options).
Either one being bad is enough to fail; a pool is judged unknown only where neither can tell.

Instances outside every node pool become a pseudo-pool: the masters of a dedicated cluster
("masters") and workers added before node pools existed. ACK names no RAM role for the masters:
it is attached to their ECS instances, so ecs:DescribeInstanceRamRole reads it from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cloudposture.model import Identity, NodePool
from cloudposture_alibaba.ram_policies import RoleSummary
from cloudposture_alibaba.security_groups import Permission, internet_ingress

POOLS = "cs:DescribeClusterNodePools nodepools[]"
INSTANCES = "ecs:DescribeInstances Instances.Instance[]"
INSTANCE_ROLES = "ecs:DescribeInstanceRamRole InstanceRamRoleSets.InstanceRamRoleSet[]"
MASTERS = "masters"
LEGACY = "workers outside node pools"

NO_SSH_SWITCH = (
    "ACK has no node-pool SSH switch: port 22 is a security group rule, judged with "
    "internet_ingress"
)
NOT_ON_ACK: Mapping[str, str] = {
    "ssh_access": NO_SSH_SWITCH,
    "ssh_source_restricted": NO_SSH_SWITCH,
    "full_cloud_api_scope": "ECS instances have no OAuth scopes: a node's cloud access is its "
    "RAM role's",
}
"""NodePool facts that do not exist on any ACK pool, with why."""
NO_ROLE_NAMED = (
    "neither the node pool's scaling group (ram_role_name) nor the cluster "
    "(worker_ram_role_name) names a RAM role"
)
NO_NODES = "the pool has no nodes whose MetadataOptions could be read"


@dataclass(frozen=True)
class Instance:
    """What one ECS instance says about exposure (from DescribeInstances)."""

    id: str
    public: bool
    http_tokens: str | None
    hop_limit: int | None
    endpoint_enabled: bool
    security_groups: tuple[str, ...]

    @property
    def metadata_exposed(self) -> bool:
        return self.endpoint_enabled and (
            self.http_tokens != "required" or (self.hop_limit or 1) > 1
        )

    def metadata_note(self) -> str:
        hop = f", hop limit {self.hop_limit}" if self.hop_limit else ""
        return f"{self.id}: HttpTokens {self.http_tokens or 'optional (absent)'}{hop}"


def instance(raw: Mapping[str, Any]) -> Instance:
    options = raw.get("MetadataOptions") or {}
    public = (raw.get("PublicIpAddress") or {}).get("IpAddress") or []
    eip = (raw.get("EipAddress") or {}).get("IpAddress") or ""
    hop = options.get("HttpPutResponseHopLimit")
    return Instance(
        id=str(raw.get("InstanceId") or ""),
        public=bool(public) or bool(eip),
        http_tokens=str(options["HttpTokens"]) if options.get("HttpTokens") else None,
        hop_limit=int(hop) if isinstance(hop, int | str) and str(hop).isdigit() else None,
        endpoint_enabled=str(options.get("HttpEndpoint") or "enabled").lower() != "disabled",
        security_groups=tuple(
            str(g) for g in (raw.get("SecurityGroupIds") or {}).get("SecurityGroupId") or []
        ),
    )


@dataclass(frozen=True)
class RoleFacts:
    """A RAM role and what its policies add up to (None: could not be read)."""

    name: str
    summary: RoleSummary | None
    error: str | None = None


@dataclass(frozen=True)
class PoolInputs:
    """Everything the adapter read for one cluster's pools."""

    cluster_sg: str | None
    worker_role: str | None
    account: str
    pools: Sequence[Mapping[str, Any]]
    nodes: Sequence[Mapping[str, Any]] | None
    """DescribeClusterNodes entries; None when they could not be read."""
    instances: Mapping[str, Instance] | None
    permissions: Mapping[str, Sequence[Permission] | None]
    """security group id -> its whole-internet permissions; None: the group was not read."""
    roles: Mapping[str, RoleFacts] = field(default_factory=dict)
    master_roles: Mapping[str, str] | None = None
    """master instance id -> its RAM role name ('' for none); None: not read (a failed
    ecs:DescribeInstanceRamRole names node_pools.identities itself)."""


def master_ids(nodes: Sequence[Mapping[str, Any]]) -> list[str]:
    """The instance ids of a dedicated cluster's masters (outside every node pool)."""
    return [
        str(n["instance_id"])
        for n in nodes
        if n.get("instance_id") and _pseudo_pool(n) == MASTERS and not n.get("nodepool_id")
    ]


def instance_roles(body: Mapping[str, Any]) -> dict[str, str]:
    """DescribeInstanceRamRole's answer -> instance id -> RAM role name ('' for none)."""
    sets = (body.get("InstanceRamRoleSets") or {}).get("InstanceRamRoleSet") or []
    return {str(s.get("InstanceId") or ""): str(s.get("RamRoleName") or "") for s in sets}


def pool_security_groups(pool: Mapping[str, Any], cluster_sg: str | None) -> list[str]:
    sg = pool.get("scaling_group") or {}
    ids = [str(i) for i in sg.get("security_group_ids") or []]
    if sg.get("security_group_id"):
        ids.append(str(sg["security_group_id"]))
    if not ids and cluster_sg:
        ids.append(cluster_sg)
    return list(dict.fromkeys(ids))


def security_groups_needed(
    inputs_pools: Sequence[Mapping[str, Any]], cluster_sg: str | None, instances: Sequence[Instance]
) -> list[str]:
    """Every security group any pool or node of the cluster is in (each read once)."""
    ids = [g for p in inputs_pools for g in pool_security_groups(p, cluster_sg)]
    ids += [g for i in instances for g in i.security_groups]
    if cluster_sg:
        ids.append(cluster_sg)
    return list(dict.fromkeys(ids))


def pool_role(pool: Mapping[str, Any], worker_role: str | None) -> str | None:
    return str((pool.get("scaling_group") or {}).get("ram_role_name") or worker_role or "") or None


def node_pools(inputs: PoolInputs) -> list[NodePool]:
    members = _members(inputs)
    out = []
    for pool in inputs.pools:
        info = pool.get("nodepool_info") or {}
        pool_id = str(info.get("nodepool_id") or "")
        out.append(
            _pool(
                inputs,
                name=str(info.get("name") or pool_id),
                kind="managed",
                groups=pool_security_groups(pool, inputs.cluster_sg),
                members=members.pop(pool_id, []) if members is not None else None,
                bandwidth=_bandwidth(pool),
                roles=_named(pool_role(pool, inputs.worker_role)),
            )
        )
    for name, ids in (members or {}).items():
        roles = _master_roles(inputs, ids) if name == MASTERS else _named(inputs.worker_role)
        base = [inputs.cluster_sg] if inputs.cluster_sg else []
        out.append(
            _pool(
                inputs,
                name=name,
                kind="self-managed",
                groups=base,
                members=ids,
                bandwidth=False,
                roles=roles,
            )
        )
    return out


def _named(role: str | None) -> list[str] | None:
    return [role] if role else None


def _master_roles(inputs: PoolInputs, ids: list[str]) -> list[str] | None:
    """Every distinct RAM role the masters run as (a master with no role, or one
    DescribeInstanceRamRole does not list, gets no credentials from metadata, so masters with
    none at all run as no cloud identity: []). None when the read failed."""
    if inputs.master_roles is None:
        return None
    return sorted({r for i in ids if (r := inputs.master_roles.get(i, ""))})


def _pseudo_pool(node: Mapping[str, Any]) -> str:
    return MASTERS if str(node.get("instance_role")) == "Master" else LEGACY


def _members(inputs: PoolInputs) -> dict[str, list[str]] | None:
    """node pool id (or a pseudo-pool name) -> instance ids."""
    if inputs.nodes is None:
        return None
    out: dict[str, list[str]] = {}
    for node in inputs.nodes:
        iid = str(node.get("instance_id") or "")
        pool_id = str(node.get("nodepool_id") or "")
        if not pool_id:
            pool_id = _pseudo_pool(node)
        out.setdefault(pool_id, []).append(iid)
    return out


def _bandwidth(pool: Mapping[str, Any]) -> bool:
    """Public bandwidth on the scaling group, or an EIP bound to every new node."""
    sg = pool.get("scaling_group") or {}
    try:
        bandwidth = int(sg.get("internet_max_bandwidth_out") or 0)
    except (TypeError, ValueError):
        bandwidth = 0
    return bandwidth > 0 or (pool.get("auto_scaling") or {}).get("is_bond_eip") is True


def _pool(
    inputs: PoolInputs,
    *,
    name: str,
    kind: Any,
    groups: list[str],
    members: list[str] | None,
    bandwidth: bool,
    roles: list[str] | None,
) -> NodePool:
    nodes = _instances(inputs, members)
    if nodes is not None:
        groups = list(dict.fromkeys([*groups, *(g for n in nodes for g in n.security_groups)]))
    perms = [inputs.permissions.get(g) for g in groups]
    ingress = (
        None
        if any(p is None for p in perms)
        else internet_ingress([x for p in perms for x in p or []])
    )
    public = True if bandwidth else (None if nodes is None else any(n.public for n in nodes))
    exposed, detail = _metadata(nodes)
    unknown = _unknown(inputs, name, members, roles)
    if public is not None:
        unknown.pop("public_ip", None)
    if exposed is not None:
        unknown.pop("metadata_credentials_exposed", None)
    return NodePool(
        name=name,
        kind=kind,
        public_ip=public,
        internet_ingress=ingress,
        identities=_identities(inputs, roles, masters=name == MASTERS),
        metadata_credentials_exposed=exposed,
        metadata_detail=detail,
        sources={
            "public_ip": f"{POOLS}.scaling_group.internet_max_bandwidth_out / "
            f"auto_scaling.is_bond_eip; {INSTANCES}.PublicIpAddress / EipAddress",
            "internet_ingress": "ecs:DescribeSecurityGroupAttribute Permissions on "
            + (", ".join(groups) or "(no security group)"),
            "metadata_credentials_exposed": f"{INSTANCES}.MetadataOptions.HttpTokens / "
            "HttpPutResponseHopLimit",
        },
        not_applicable=dict(NOT_ON_ACK),
        unknown_reasons=unknown,
    )


def _unknown(
    inputs: PoolInputs, name: str, members: list[str] | None, roles: list[str] | None
) -> dict[str, str]:
    """Why facts are None although no call failed (a failed call names its facts itself)."""
    unknown: dict[str, str] = {}
    if roles is None and name != MASTERS:  # the masters' failed read says why itself
        unknown["identities"] = NO_ROLE_NAMED
    if members is None or inputs.instances is None:
        return unknown  # DescribeClusterNodes / DescribeInstances failed: their errors say it
    missing = [i for i in members if i not in inputs.instances]
    if missing:
        why = f"ecs:DescribeInstances did not return node(s) {', '.join(missing)}"
        unknown |= dict.fromkeys(("public_ip", "metadata_credentials_exposed"), why)
    elif not members:
        unknown["metadata_credentials_exposed"] = NO_NODES
    return unknown


def _instances(inputs: PoolInputs, members: list[str] | None) -> list[Instance] | None:
    if members is None or inputs.instances is None:
        return None
    found = [inputs.instances.get(i) for i in members]
    if any(f is None for f in found):
        return None  # a node DescribeInstances did not return: cannot vouch for the pool
    return [f for f in found if f is not None]


def _metadata(nodes: list[Instance] | None) -> tuple[bool | None, str | None]:
    if nodes is None:
        return None, "the pool's ECS instances were not read"
    if not nodes:
        return None, NO_NODES
    bad = [n.metadata_note() for n in nodes if n.metadata_exposed]
    if bad:
        return True, "instance metadata not hardened (HttpTokens required): " + "; ".join(bad)
    return False, f"all {len(nodes)} node(s) require metadata tokens (hardened mode)"


def _identities(
    inputs: PoolInputs, roles: list[str] | None, *, masters: bool
) -> list[Identity] | None:
    """Every node of an ACK pool runs as the pool's one RAM role; masters as the roles their
    instances carry (None: nothing names a role, or the read failed)."""
    if roles is None:
        return None
    return [_identity(inputs, role, masters=masters) for role in roles]


def _identity(inputs: PoolInputs, role: str, *, masters: bool) -> Identity:
    named_by = (
        f"{INSTANCE_ROLES}.RamRoleName of the master instances"
        if masters
        else f"{POOLS}.scaling_group.ram_role_name / cs:DescribeClusterDetail worker_ram_role_name"
    )
    facts = inputs.roles.get(role)
    summary = facts.summary if facts else None
    return Identity(
        id=f"acs:ram::{inputs.account}:role/{role}",
        role="node",
        is_default=False,
        admin_equivalent=None if summary is None else summary.admin_equivalent,
        wildcard_grants=None if summary is None else summary.wildcard,
        grants=list(summary.grants) if summary else [],
        sources={
            "id": named_by,
            "admin_equivalent": "ram:ListPoliciesForRole + ram:GetPolicyVersion "
            "(default version of each custom policy)",
        },
        unknown_reasons={"admin_equivalent": facts.error}
        if facts is not None and facts.error
        else {},
    )
