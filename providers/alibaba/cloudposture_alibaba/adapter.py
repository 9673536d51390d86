"""The ACK ProviderScanner: I/O only. Every read goes through here; meaning lives in
normalize / node_pools / security_groups / ram_policies, row 1's reads in api_server.

Call budget per scan: one sts:GetCallerIdentity (the account id), one ecs:DescribeRegions
unless regions are given; per region cs:DescribeClustersV1 pages. Per cluster:
cs:DescribeClusterDetail, DescribeClusterNodePools, DescribeClusterNodes pages,
CheckControlPlaneLogEnable, GetClusterAuditProject; ecs:DescribeInstances per 100 nodes; for a
dedicated cluster ecs:DescribeInstanceRamRole per 50 masters; for a public API server the CLB,
its listener and each ACL. Shared across clusters (read once per
scan through :class:`SharedLookup`): each security group, each RAM role with its custom
policies' default versions, each KMS key, and the version list per (region, cluster type).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from alibabacloud_cs20151215 import models as cs
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_kms20160120 import models as kms
from alibabacloud_ram20150501 import models as ram

from cloudposture.model import (
    ClusterPosture,
    ClusterRef,
    CollectionError,
    CollectionFailure,
    NodePool,
)
from cloudposture.plugin import Target
from cloudposture.plugin.attempt import Attempts
from cloudposture.plugin.lookup import SharedLookup
from cloudposture_alibaba import meta as meta_json
from cloudposture_alibaba import normalize as n
from cloudposture_alibaba.api_server import ApiServerAcl
from cloudposture_alibaba.clients import AlibabaClients
from cloudposture_alibaba.errors import CAUGHT, to_collection_error
from cloudposture_alibaba.node_pools import (
    Instance,
    PoolInputs,
    RoleFacts,
    instance,
    instance_roles,
    master_ids,
    node_pools,
    pool_role,
    security_groups_needed,
)
from cloudposture_alibaba.ram_policies import RoleSummary, attached, summarize
from cloudposture_alibaba.reads import attempts, failure_of
from cloudposture_alibaba.security_groups import Permission, permissions
from cloudposture_alibaba.settings import AlibabaSettings

JSON = dict[str, Any]
T = TypeVar("T")
PAGE_SIZE = 50
INSTANCE_BATCH = 100
ROLE_BATCH = 50
"""DescribeInstanceRamRole's PageSize maximum: one page per batch of ids."""
HOME_REGION = "cn-hangzhou"
_POOLS = ("node_pools",)
_NODES = ("node_pools.public_ip", "node_pools.metadata_credentials_exposed")
_INGRESS = ("node_pools.internet_ingress",)
_IDENTITY = ("node_pools.identities",)
_KEY = ("secrets_encryption.key_usable", "secrets_encryption.rotation_enabled")


@dataclass(frozen=True)
class ClusterId:
    region: str
    id: str


def cluster_id(ref: ClusterRef) -> ClusterId:
    """``acs:cs:<region>:<account>:cluster/<id>`` -> (region, id)."""
    return ClusterId(ref.region, ref.native_id.rsplit("/", 1)[-1])


class AckScanner:
    name = "alibaba"

    def __init__(
        self, settings: AlibabaSettings, clients: AlibabaClients, page_size: int = PAGE_SIZE
    ) -> None:
        self.label = settings.role_arn or (
            f"profile {settings.profile}" if settings.profile else ""
        )
        """Which credentials this scanner uses: names its coverage before it has targets."""
        self._settings = settings
        self._clients = clients
        self._page_size = page_size
        self._account: str | None = None
        self._api_server = ApiServerAcl(clients)
        self._groups: SharedLookup[tuple[str, str], list[Permission]] = SharedLookup(
            self._security_group
        )
        self._roles: SharedLookup[str, RoleSummary] = SharedLookup(self._role)
        self._keys: SharedLookup[tuple[str, str], JSON] = SharedLookup(self._key)
        self._versions: SharedLookup[tuple[str, str], list[JSON]] = SharedLookup(self._offered)

    # -- discovery ----------------------------------------------------------------------

    def targets(self) -> Sequence[Target]:
        account = self.account()
        regions = self._settings.regions or self._all_regions()
        return [Target(provider="alibaba", account=account, region=r) for r in regions]

    def account(self) -> str:
        """The account id every ARN and finding names (sts:GetCallerIdentity needs no grant)."""
        if self._account is None:
            body = _or_fail(
                lambda: self._clients.sts().get_caller_identity().body,
                "sts:GetCallerIdentity",
                "caller identity",
            )
            self._account = str(body.account_id)
        return self._account

    def _all_regions(self) -> list[str]:
        body = _or_fail(
            lambda: (
                self._clients.ecs(HOME_REGION)
                .describe_regions(ecs.DescribeRegionsRequest(accept_language="en-US"))
                .body
            ),
            "ecs:DescribeRegions",
            f"account {self.account()}",
        )
        return sorted(str(r.region_id) for r in body.regions.region or [] if r.region_id)

    def discover(self, target: Target) -> Sequence[ClusterRef]:
        refs: list[ClusterRef] = []
        page = 1
        while True:
            body = _or_fail(
                lambda p=page: (
                    self._clients.cs(target.region)
                    .describe_clusters_v1(
                        cs.DescribeClustersV1Request(
                            region_id=target.region, page_number=p, page_size=self._page_size
                        )
                    )
                    .body.to_map()
                ),
                "cs:DescribeClustersV1",
                f"{target.account}/{target.region}",
            )
            clusters = body.get("clusters") or []
            refs += [n.cluster_ref(target.account, target.region, c) for c in clusters]
            total = int((body.get("page_info") or {}).get("total_count") or 0)
            if not clusters or page * self._page_size >= total:
                return refs
            page += 1

    # -- collection ---------------------------------------------------------------------

    def collect(self, ref: ClusterRef) -> ClusterPosture:
        where = cluster_id(ref)
        detail: JSON = _or_fail(
            lambda: self._clients.cs(where.region).describe_cluster_detail(where.id).body.to_map(),
            "cs:DescribeClusterDetail",
            where.id,
        )
        record = attempts()
        master = meta_json.parse_object(detail, "master_url")
        metadata = meta_json.parse_object(detail, "meta_data")
        acl, acl_reason = self._api_server.read(where.region, detail, master, record)
        key = self._key_facts(where.region, metadata, record)
        cp_not_applicable, cp_unknown = n.control_plane_identity(detail)
        return ClusterPosture(
            ref=ref,
            endpoint=n.endpoint(master, acl, acl_reason),
            authentication=n.authentication(metadata),
            node_pools=self._node_pools(where, detail, record),
            workload_identity=n.workload_identity(detail, metadata),
            secrets_encryption=n.secrets_encryption(metadata, key),
            logging=n.logging(self._logs(where, record)),
            version=n.version(detail, self._version_list(where.region, detail, record)),
            network_policy=n.network_policy(metadata),
            etcd=n.etcd(detail),
            collection_errors=record.items,
            not_applicable=cp_not_applicable,
            unknown_reasons=cp_unknown,
        )

    # Rows 2 and 3: node pools, their nodes, security groups and RAM roles.

    def _node_pools(
        self, where: ClusterId, detail: Mapping[str, Any], record: Attempts
    ) -> list[NodePool] | None:
        client = self._clients.cs(where.region)
        body = record.attempt(
            _POOLS,
            lambda: client.describe_cluster_node_pools(
                where.id, cs.DescribeClusterNodePoolsRequest()
            ).body.to_map(),
            call="cs:DescribeClusterNodePools",
            resource=where.id,
        )
        if body is None:
            return None
        pools = body.get("nodepools") or []
        nodes = record.attempt(
            _NODES, lambda: self._nodes(where), call="cs:DescribeClusterNodes", resource=where.id
        )
        instances = self._instances(where.region, nodes, record) if nodes is not None else None
        cluster_sg = str(detail.get("security_group_id") or "") or None
        worker_role = str(detail.get("worker_ram_role_name") or "") or None
        groups = security_groups_needed(pools, cluster_sg, list((instances or {}).values()))
        perms = {
            g: record.attempt(
                _INGRESS,
                partial(self._groups.get, (where.region, g)),
                call="ecs:DescribeSecurityGroupAttribute",
                resource=g,
            )
            for g in groups
        }
        masters = self._master_roles(where.region, master_ids(nodes or []), record)
        role_names = {r for p in pools if (r := pool_role(p, worker_role))}
        role_names |= {r for r in (masters or {}).values() if r}
        if worker_role:
            role_names.add(worker_role)
        roles = {name: self._role_facts(name, record) for name in sorted(role_names)}
        return node_pools(
            PoolInputs(
                cluster_sg=cluster_sg,
                worker_role=worker_role,
                account=self.account(),
                pools=pools,
                nodes=nodes,
                instances=instances,
                permissions=perms,
                roles=roles,
                master_roles=masters,
            )
        )

    def _nodes(self, where: ClusterId) -> list[JSON]:
        out: list[JSON] = []
        page = 1
        while True:
            body = (
                self._clients.cs(where.region)
                .describe_cluster_nodes(
                    where.id,
                    cs.DescribeClusterNodesRequest(
                        page_number=str(page), page_size=str(self._page_size)
                    ),
                )
                .body.to_map()
            )
            found = body.get("nodes") or []
            out += found
            total = int((body.get("page") or {}).get("total_count") or 0)
            if not found or len(out) >= total:
                return out
            page += 1

    def _instances(
        self, region: str, nodes: Sequence[Mapping[str, Any]], record: Attempts
    ) -> dict[str, Instance] | None:
        ids = [str(x.get("instance_id")) for x in nodes if x.get("instance_id")]
        return self._by_ids(
            region, ids, (INSTANCE_BATCH, self._describe_instances, _instances_of), record,
            affects=_NODES, call="ecs:DescribeInstances", what="node(s)",
        )  # fmt: skip

    def _master_roles(
        self, region: str, ids: Sequence[str], record: Attempts
    ) -> dict[str, str] | None:
        """Master instance id -> its RAM role ('' for none): ACK names no masters' role, the
        instances carry it. None when a read failed (its error names the identities)."""
        return self._by_ids(
            region, ids, (ROLE_BATCH, self._describe_instance_roles, instance_roles), record,
            affects=_IDENTITY, call="ecs:DescribeInstanceRamRole", what="master(s)",
        )  # fmt: skip

    def _by_ids(
        self,
        region: str,
        ids: Sequence[str],
        how: tuple[int, Callable[[str, str, int], JSON], Callable[[JSON], Mapping[str, T]]],
        record: Attempts,
        *,
        affects: tuple[str, ...],
        call: str,
        what: str,
    ) -> dict[str, T] | None:
        """An ECS read by instance ids: ``how`` is (ids a call, which is one page; the read;
        its answer -> instance id -> fact). None if a call failed (its error says so)."""
        size, read, parse = how
        out: dict[str, T] = {}
        for start in range(0, len(ids), size):
            batch = list(ids[start : start + size])
            body = record.attempt(
                affects,
                partial(read, region, json.dumps(batch), size),
                call=call,
                resource=f"{region}: {len(batch)} {what}",
            )
            if body is None:
                return None
            out |= parse(body)
        return out

    def _describe_instances(self, region: str, ids: str, size: int) -> JSON:
        request = ecs.DescribeInstancesRequest(region_id=region, instance_ids=ids, page_size=size)
        body: JSON = self._clients.ecs(region).describe_instances(request).body.to_map()
        return body

    def _describe_instance_roles(self, region: str, ids: str, size: int) -> JSON:
        """DescribeInstanceRamRole: the RAM role attached to each instance (DescribeInstances
        does not carry it)."""
        request = ecs.DescribeInstanceRamRoleRequest(
            region_id=region, instance_ids=ids, page_size=size
        )
        body: JSON = self._clients.ecs(region).describe_instance_ram_role(request).body.to_map()
        return body

    def _security_group(self, key: tuple[str, str]) -> list[Permission]:
        region, group = key
        found: list[Permission] = []
        token: str | None = None
        while True:
            body = (
                self._clients.ecs(region)
                .describe_security_group_attribute(
                    ecs.DescribeSecurityGroupAttributeRequest(
                        region_id=region,
                        security_group_id=group,
                        direction="ingress",
                        max_results=1000,
                        next_token=token,
                    )
                )
                .body.to_map()
            )
            found += permissions(group, body)
            token = body.get("NextToken") or None
            if not token:
                return found

    def _role_facts(self, name: str, record: Attempts) -> RoleFacts:
        summary = record.attempt(
            _IDENTITY,
            lambda: self._roles.get(name),
            call="ram:ListPoliciesForRole",
            resource=name,
        )
        if summary is None:
            return RoleFacts(name, None, failure_of(record, "ram:ListPoliciesForRole", name))
        return RoleFacts(name, summary)

    def _role(self, name: str) -> RoleSummary:
        """The role's summary; a custom policy that is not JSON fails the read (it must not
        pass as harmless) with the error RAM would give for such a document."""
        client = self._clients.ram()
        body = client.list_policies_for_role(
            ram.ListPoliciesForRoleRequest(role_name=name)
        ).body.to_map()
        policies = attached(body)
        documents = {
            p.name: str(
                client.get_policy_version(
                    ram.GetPolicyVersionRequest(
                        policy_name=p.name, policy_type=p.type, version_id=p.default_version
                    )
                ).body.policy_version.policy_document
            )
            for p in policies
            if p.type == "Custom"
        }
        try:
            return summarize(policies, documents)
        except ValueError as exc:
            raise CollectionFailure(
                CollectionError(
                    call="ram:GetPolicyVersion",
                    kind="invalid",
                    code="MalformedPolicyDocument",
                    message=str(exc),
                    resource=name,
                )
            ) from None

    # Row 5: the KMS key.

    def _key_facts(
        self, region: str, metadata: meta_json.Parsed, record: Attempts
    ) -> n.KeyFacts | None:
        caps = meta_json.capabilities(metadata) or {}
        key_id = str(caps.get("EncryptionKMSKeyId") or "")
        if not key_id:
            return None
        body = record.attempt(
            _KEY, lambda: self._keys.get((region, key_id)), call="kms:DescribeKey", resource=key_id
        )
        if body is None:
            return n.KeyFacts(error=failure_of(record, "kms:DescribeKey", key_id))
        return n.key_facts(body)

    def _key(self, key: tuple[str, str]) -> JSON:
        region, key_id = key
        body: JSON = (
            self._clients.kms(region)
            .describe_key(kms.DescribeKeyRequest(key_id=key_id))
            .body.to_map()
        )
        return body

    # Logging and version.

    def _logs(self, where: ClusterId, record: Attempts) -> n.LogInputs:
        client = self._clients.cs(where.region)
        cp = record.attempt(
            ("logging.components", "logging.destination"),
            lambda: client.check_control_plane_log_enable(where.id).body.to_map(),
            call="cs:CheckControlPlaneLogEnable",
            resource=where.id,
        )
        audit = record.attempt(
            ("logging.audit_enabled", "logging.destination"),
            lambda: client.get_cluster_audit_project(where.id).body.to_map(),
            call="cs:GetClusterAuditProject",
            resource=where.id,
        )
        return n.LogInputs(control_plane=cp, audit=audit)

    def _version_list(
        self, region: str, detail: Mapping[str, Any], record: Attempts
    ) -> list[JSON] | None:
        kind = str(detail.get("cluster_type") or "ManagedKubernetes")
        return record.attempt(
            ("version.standard_support",),
            lambda: self._versions.get((region, kind)),
            call="cs:DescribeKubernetesVersionMetadata",
            resource=f"{region} {kind}",
        )

    def _offered(self, key: tuple[str, str]) -> list[JSON]:
        region, kind = key
        response = self._clients.cs(region).describe_kubernetes_version_metadata(
            cs.DescribeKubernetesVersionMetadataRequest(
                region=region, cluster_type=kind, mode="supported"
            )
        )
        return [v.to_map() for v in response.body or []]


def _instances_of(body: JSON) -> dict[str, Instance]:
    found = [instance(raw) for raw in (body.get("Instances") or {}).get("Instance") or []]
    return {i.id: i for i in found}


def _or_fail(read: Any, call: str, resource: str) -> Any:
    """``read()``; a failure makes the whole unit (region, cluster) a CollectionFailure."""
    try:
        return read()
    except CAUGHT as exc:
        raise CollectionFailure(to_collection_error(exc, call, resource)) from None
