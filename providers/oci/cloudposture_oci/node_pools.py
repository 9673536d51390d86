"""OKE node pools -> neutral NodePool facts (pure: REST-shaped JSON in, model out).

Row 2: a node gets a public IP when its placement subnet allows one
(``prohibitPublicIpOnVnic`` false) or the node already shows a ``publicIp``; what the
internet may reach is the union of the pool's NSGs (``nodeConfigDetails.nsgIds``) and the
security lists of its placement subnets. Row 3: the nodes' instance principal
(node_identity) and the instance metadata service (``areLegacyImdsEndpointsDisabled``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cloudposture.model import IngressRule, NodePool
from cloudposture_oci.matching_rules import InstanceFacts
from cloudposture_oci.node_identity import IamView, node_identity
from cloudposture_oci.not_on_oke import NO_OAUTH_SCOPES
from cloudposture_oci.security_rules import (
    AllowRule,
    internet_ingress,
    nsg_rules,
    security_list_rules,
)

JSON = Mapping[str, Any]
POOL = "containerengine:GetNodePool nodePool"
_PUBLIC_IP = (
    f"{POOL}.nodes[].publicIp + core:GetSubnet prohibitPublicIpOnVnic (placement subnets "
    "nodeConfigDetails.placementConfigs[].subnetId / subnetIds)"
)
_INGRESS = (
    "core:ListNetworkSecurityGroupSecurityRules (nodeConfigDetails.nsgIds) + "
    "core:GetSecurityList ingressSecurityRules (placement subnets' securityListIds): allows "
    "from 0.0.0.0/0 or ::/0"
)
_IMDS = "core:GetInstance instanceOptions.areLegacyImdsEndpointsDisabled (each node)"
_SSH = f"{POOL}.sshPublicKey + internet ingress on tcp/22"
NO_NODES = (
    "the pool has no nodes, and legacy IMDS endpoints are set on each node's instance, so "
    "there is nothing to read until a node exists"
)
NO_PUBLIC_IP_FLAG = "core:GetSubnet returned no prohibitPublicIpOnVnic for a placement subnet"


@dataclass(frozen=True)
class PoolInputs:
    """What the adapter read for one node pool; None = could not be read."""

    pool: JSON
    subnets: Sequence[JSON] | None = None
    security_lists: Sequence[JSON] | None = None
    nsgs: Mapping[str, Sequence[JSON]] | None = None
    """NSG id -> its security rules."""
    instances: Sequence[JSON] | None = None
    """The nodes' compute instances (``core:GetInstance``), one per node."""
    errors: Sequence[str] = field(default_factory=tuple)


def placement_subnet_ids(pool: JSON) -> list[str]:
    config = pool.get("nodeConfigDetails") or {}
    ids = [
        str(p.get("subnetId")) for p in config.get("placementConfigs") or [] if p.get("subnetId")
    ]
    ids += [str(s) for s in pool.get("subnetIds") or []]
    return list(dict.fromkeys(ids))


def node_nsg_ids(pool: JSON) -> list[str]:
    return [str(n) for n in (pool.get("nodeConfigDetails") or {}).get("nsgIds") or []]


def node_pool(inputs: PoolInputs, iam: IamView) -> NodePool:
    pool = inputs.pool
    name = str(pool.get("name") or pool.get("id") or "node-pool")
    ingress = _ingress(inputs)
    ssh_key = bool(str(pool.get("sshPublicKey") or "").strip())
    restricted = None
    if ssh_key and ingress is not None:
        restricted = not any(r.covers(22) for r in ingress)
    exposed, detail = _metadata(inputs)
    public_ip = _public_ip(inputs)
    unknown: dict[str, str] = {}
    if public_ip is None and inputs.subnets is not None:
        unknown["public_ip"] = NO_PUBLIC_IP_FLAG
    if exposed is None and inputs.instances is not None:
        unknown["metadata_credentials_exposed"] = NO_NODES
    return NodePool(
        name=name,
        kind="managed",
        public_ip=public_ip,
        internet_ingress=ingress,
        ssh_access=ssh_key,
        ssh_source_restricted=restricted,
        identities=[node_identity(name, _instance_facts(inputs), iam)],
        metadata_credentials_exposed=exposed,
        metadata_detail=detail,
        sources={
            "public_ip": _PUBLIC_IP,
            "internet_ingress": _INGRESS,
            "ssh_access": _SSH,
            "ssh_source_restricted": _SSH,
            "metadata_credentials_exposed": _IMDS,
            "metadata_detail": _IMDS,
        },
        unknown_reasons=unknown,
        not_applicable={"full_cloud_api_scope": NO_OAUTH_SCOPES},
    )


def _public_ip(inputs: PoolInputs) -> bool | None:
    if any(n.get("publicIp") for n in inputs.pool.get("nodes") or []):
        return True
    if inputs.subnets is None:
        return None
    if any(s.get("prohibitPublicIpOnVnic") is False for s in inputs.subnets):
        return True
    if any(s.get("prohibitPublicIpOnVnic") is None for s in inputs.subnets):
        return None
    return False


def _ingress(inputs: PoolInputs) -> list[IngressRule] | None:
    if inputs.security_lists is None or inputs.nsgs is None:
        return None
    rules: list[AllowRule] = []
    for security_list in inputs.security_lists:
        rules += security_list_rules(security_list)
    for nsg_id, nsg in inputs.nsgs.items():
        rules += nsg_rules(nsg_id, nsg)
    return internet_ingress(rules)


def _instance_facts(inputs: PoolInputs) -> list[InstanceFacts]:
    """Facts a dynamic group's rule can ask about the nodes; a pool without nodes is judged
    by what its next node will be: the pool's compartment and its node tags."""
    pool = inputs.pool
    compartment = str(pool.get("compartmentId") or "") or None
    if inputs.instances is not None and inputs.instances:
        return [
            InstanceFacts(
                id=str(i.get("id") or "") or None,
                compartment_id=str(i.get("compartmentId") or "") or compartment,
                defined_tags=dict(i.get("definedTags") or {}),
            )
            for i in inputs.instances
        ]
    nodes = pool.get("nodes") or []
    if nodes:  # instances unreadable: ids and compartment known, tags not
        return [InstanceFacts(id=str(n.get("id")), compartment_id=compartment) for n in nodes]
    tags = (pool.get("nodeConfigDetails") or {}).get("definedTags")
    return [InstanceFacts(id=None, compartment_id=compartment, defined_tags=tags or {})]


def _metadata(inputs: PoolInputs) -> tuple[bool | None, str | None]:
    if inputs.instances is None:
        return None, None
    if not inputs.instances:
        return None, "the pool has no nodes whose instance metadata settings could be read"
    legacy = [
        str(i.get("displayName") or i.get("id"))
        for i in inputs.instances
        if not (i.get("instanceOptions") or {}).get("areLegacyImdsEndpointsDisabled")
    ]
    if legacy:
        return True, (
            "legacy IMDS v1 endpoints are enabled on node(s) " + ", ".join(legacy) + ": any pod "
            "can fetch the instance principal's credentials with a plain GET"
        )
    return False, (
        "legacy IMDS v1 endpoints are disabled on every node (IMDSv2 only); pods can still "
        "reach 169.254.169.254 unless a NetworkPolicy blocks it"
    )
