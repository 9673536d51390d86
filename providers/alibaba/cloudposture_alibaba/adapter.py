"""The ACK ProviderScanner: I/O only. Every read goes through here; meaning lives in
normalize / node_pools / security_groups / ram_policies.

Call budget per scan: one sts:GetCallerIdentity (the account id), one ecs:DescribeRegions
unless regions are given; per region cs:DescribeClustersV1 pages. Per cluster:
cs:DescribeClusterDetail, DescribeClusterNodePools, DescribeClusterNodes pages,
CheckControlPlaneLogEnable, GetClusterAuditProject; ecs:DescribeInstances per 100 nodes; for a
public API server the SLB attribute, its listener and each ACL. Shared across clusters (read
once per scan through :class:`SharedLookup`): each security group, each RAM role with its
custom policies' default versions, each KMS key, and the version list per (region, type).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alibabacloud_cs20151215 import models as cs
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_kms20160120 import models as kms
from alibabacloud_ram20150501 import models as ram
from alibabacloud_slb20140515 import models as slb

from cloudposture.model import ClusterPosture, ClusterRef, CollectionError, CollectionFailure
from cloudposture.plugin import Target
from cloudposture.plugin.lookup import SharedLookup
from cloudposture_alibaba import meta as meta_json
from cloudposture_alibaba import normalize as n
from cloudposture_alibaba.clients import AlibabaClients
from cloudposture_alibaba.errors import CAUGHT, to_collection_error
from cloudposture_alibaba.node_pools import (
    Instance,
    PoolInputs,
    RoleFacts,
    instance,
    node_pools,
    pool_role,
    security_groups_needed,
)
from cloudposture_alibaba.ram_policies import RoleSummary, attached, summarize
from cloudposture_alibaba.reads import read
from cloudposture_alibaba.security_groups import Permission, permissions
from cloudposture_alibaba.settings import AlibabaSettings

JSON = dict[str, Any]
PAGE_SIZE = 50
INSTANCE_BATCH = 100
HOME_REGION = "cn-hangzhou"
_POOLS = ("node_pools",)
_NODES = ("node_pools.public_ip", "node_pools.metadata_credentials_exposed")
_INGRESS = ("node_pools.internet_ingress",)
_IDENTITY = ("node_pools.identities",)
_ACL = ("endpoint.authorized_cidrs",)
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
        self._groups: SharedLookup[tuple[str, str], list[Permission]] = SharedLookup(
            self._security_group
        )
        self._roles: SharedLookup[str, RoleSummary | str] = SharedLookup(self._role)
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
            try:
                body = self._clients.sts().get_caller_identity().body
            except CAUGHT as exc:
                raise CollectionFailure(
                    to_collection_error(exc, "sts:GetCallerIdentity", "caller identity")
                ) from None
            self._account = str(body.account_id)
        return self._account

    def _all_regions(self) -> list[str]:
        try:
            body = (
                self._clients.ecs(HOME_REGION)
                .describe_regions(ecs.DescribeRegionsRequest(accept_language="en-US"))
                .body
            )
        except CAUGHT as exc:
            raise CollectionFailure(
                to_collection_error(exc, "ecs:DescribeRegions", f"account {self.account()}")
            ) from None
        return sorted(str(r.region_id) for r in body.regions.region or [] if r.region_id)

    def discover(self, target: Target) -> Sequence[ClusterRef]:
        refs: list[ClusterRef] = []
        page = 1
        while True:
            try:
                body = (
                    self._clients.cs(target.region)
                    .describe_clusters_v1(
                        cs.DescribeClustersV1Request(
                            region_id=target.region, page_number=page, page_size=self._page_size
                        )
                    )
                    .body.to_map()
                )
            except CAUGHT as exc:
                raise CollectionFailure(
                    to_collection_error(
                        exc, "cs:DescribeClustersV1", f"{target.account}/{target.region}"
                    )
                ) from None
            clusters = body.get("clusters") or []
            refs += [n.cluster_ref(target.account, target.region, c) for c in clusters]
            total = int((body.get("page_info") or {}).get("total_count") or 0)
            if not clusters or page * self._page_size >= total:
                return refs
            page += 1

    # -- collection ---------------------------------------------------------------------

    def collect(self, ref: ClusterRef) -> ClusterPosture:
        where = cluster_id(ref)
        client = self._clients.cs(where.region)
        try:
            detail = client.describe_cluster_detail(where.id).body.to_map()
        except CAUGHT as exc:
            raise CollectionFailure(
                to_collection_error(exc, "cs:DescribeClusterDetail", where.id)
            ) from None
        errors: list[CollectionError] = []
        master = meta_json.parse_object(detail, "master_url")
        metadata = meta_json.parse_object(detail, "meta_data")
        acl, acl_error = self._listener_acl(where.region, detail, master, errors)
        key = self._key_facts(where.region, metadata, errors)
        return ClusterPosture(
            ref=ref,
            endpoint=n.endpoint(master, acl, acl_error),
            authentication=n.authentication(metadata),
            node_pools=self._node_pools(where, detail, errors),
            workload_identity=n.workload_identity(detail, metadata),
            secrets_encryption=n.secrets_encryption(metadata, key),
            logging=n.logging(self._logs(where, errors)),
            version=n.version(detail, self._version_list(where.region, detail, errors)),
            network_policy=n.network_policy(metadata),
            etcd=n.etcd(detail),
            collection_errors=errors,
        )

    def _call(
        self,
        errors: list[CollectionError],
        call: str,
        resource: str,
        affects: Sequence[str],
        fn: Any,
        *args: Any,
    ) -> Any:
        try:
            return fn(*args)
        except CAUGHT as exc:
            errors.append(to_collection_error(exc, call, resource, affects))
            return None

    # Row 1: the API server load balancer's listener ACL.

    def _listener_acl(
        self,
        region: str,
        detail: Mapping[str, Any],
        master: meta_json.Parsed,
        errors: list[CollectionError],
    ) -> tuple[n.ListenerAcl | None, str | None]:
        if not master.ok or not master.value.get("api_server_endpoint"):
            return None, None
        lb_id = str(detail.get("external_loadbalancer_id") or "")
        if not lb_id:
            return None, "the cluster names no API server load balancer (external_loadbalancer_id)"
        port = n.api_server_port(master)
        client = self._clients.slb(region)
        lb = self._call(
            errors,
            "slb:DescribeLoadBalancerAttribute",
            lb_id,
            _ACL,
            lambda: client.describe_load_balancer_attribute(
                slb.DescribeLoadBalancerAttributeRequest(region_id=region, load_balancer_id=lb_id)
            ).body.to_map(),
        )
        if lb is None:
            return None, errors[-1].one_line()
        protocol = _listener_protocol(lb, port)
        if protocol not in ("tcp", "https"):
            return None, f"{lb_id} has no TCP or HTTPS listener on port {port}"
        listener = self._call(
            errors,
            f"slb:DescribeLoadBalancer{protocol.upper()}ListenerAttribute",
            f"{lb_id}:{port}",
            _ACL,
            self._listener,
            region,
            lb_id,
            port,
            protocol,
        )
        if listener is None:
            return None, errors[-1].one_line()
        ids = n.listener_acl_ids(listener)
        entries: list[str] = []
        on = str(listener.get("AclStatus") or "off").lower() == "on"
        for acl_id in ids if on else ():
            acl = self._call(
                errors,
                "slb:DescribeAccessControlListAttribute",
                acl_id,
                _ACL,
                self._acl,
                region,
                acl_id,
            )
            if acl is None:
                return None, errors[-1].one_line()
            entries += acl
        return n.ListenerAcl(
            status=str(listener.get("AclStatus") or "off"),
            type=str(listener.get("AclType") or ""),
            acl_ids=ids,
            entries=tuple(entries),
            port=port,
            load_balancer=lb_id,
        ), None

    def _listener(self, region: str, lb_id: str, port: int, protocol: str) -> JSON:
        client = self._clients.slb(region)
        body: JSON
        if protocol == "https":
            body = client.describe_load_balancer_httpslistener_attribute(
                slb.DescribeLoadBalancerHTTPSListenerAttributeRequest(
                    region_id=region, load_balancer_id=lb_id, listener_port=port
                )
            ).body.to_map()
        else:
            body = client.describe_load_balancer_tcplistener_attribute(
                slb.DescribeLoadBalancerTCPListenerAttributeRequest(
                    region_id=region, load_balancer_id=lb_id, listener_port=port
                )
            ).body.to_map()
        return body

    def _acl(self, region: str, acl_id: str) -> list[str]:
        entries: list[str] = []
        page = 1
        while True:
            body = (
                self._clients.slb(region)
                .describe_access_control_list_attribute(
                    slb.DescribeAccessControlListAttributeRequest(
                        region_id=region, acl_id=acl_id, page=page, page_size=50
                    )
                )
                .body.to_map()
            )
            found = n.acl_entries(body)
            entries += found
            total = int(body.get("TotalAclEntry") or 0)
            if not found or len(entries) >= total:
                return entries
            page += 1

    # Rows 2 and 3: node pools, their nodes, security groups and RAM roles.

    def _node_pools(
        self, where: ClusterId, detail: Mapping[str, Any], errors: list[CollectionError]
    ) -> list[Any] | None:
        client = self._clients.cs(where.region)
        body = self._call(
            errors,
            "cs:DescribeClusterNodePools",
            where.id,
            _POOLS,
            lambda: client.describe_cluster_node_pools(
                where.id, cs.DescribeClusterNodePoolsRequest()
            ).body.to_map(),
        )
        if body is None:
            return None
        pools = body.get("nodepools") or []
        nodes = self._call(errors, "cs:DescribeClusterNodes", where.id, _NODES, self._nodes, where)
        instances = self._instances(where.region, nodes, errors) if nodes is not None else None
        cluster_sg = str(detail.get("security_group_id") or "") or None
        worker_role = str(detail.get("worker_ram_role_name") or "") or None
        groups = security_groups_needed(pools, cluster_sg, list((instances or {}).values()))
        perms = {
            g: read(
                self._groups,
                (where.region, g),
                errors,
                "ecs:DescribeSecurityGroupAttribute",
                g,
                _INGRESS,
            )
            for g in groups
        }
        role_names = {r for p in pools if (r := pool_role(p, worker_role))}
        if worker_role:
            role_names.add(worker_role)
        roles = {name: self._role_facts(name, errors) for name in sorted(role_names)}
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
        self, region: str, nodes: Sequence[Mapping[str, Any]], errors: list[CollectionError]
    ) -> dict[str, Instance] | None:
        ids = [str(x.get("instance_id")) for x in nodes if x.get("instance_id")]
        out: dict[str, Instance] = {}
        for start in range(0, len(ids), INSTANCE_BATCH):
            batch = ids[start : start + INSTANCE_BATCH]
            body = self._call(
                errors,
                "ecs:DescribeInstances",
                f"{region}: {len(batch)} node(s)",
                _NODES,
                lambda b=batch: (
                    self._clients.ecs(region)
                    .describe_instances(
                        ecs.DescribeInstancesRequest(
                            region_id=region, instance_ids=json.dumps(b), page_size=INSTANCE_BATCH
                        )
                    )
                    .body.to_map()
                ),
            )
            if body is None:
                return None
            for raw in (body.get("Instances") or {}).get("Instance") or []:
                found = instance(raw)
                out[found.id] = found
        return out

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

    def _role_facts(self, name: str, errors: list[CollectionError]) -> RoleFacts:
        before = len(errors)
        summary = read(self._roles, name, errors, "ram:ListPoliciesForRole", name, _IDENTITY)
        if summary is None:
            return RoleFacts(name, None, errors[-1].one_line() if len(errors) > before else None)
        if isinstance(summary, str):  # a policy document that is not JSON
            return RoleFacts(name, None, summary)
        return RoleFacts(name, summary)

    def _role(self, name: str) -> RoleSummary | str:
        """The role's summary, or why one of its policies could not be judged."""
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
            return f"role {name}: {exc}"

    # Row 5: the KMS key.

    def _key_facts(
        self, region: str, metadata: meta_json.Parsed, errors: list[CollectionError]
    ) -> n.KeyFacts | None:
        caps = meta_json.capabilities(metadata) or {}
        key_id = str(caps.get("EncryptionKMSKeyId") or "")
        if not key_id:
            return None
        before = len(errors)
        body = read(self._keys, (region, key_id), errors, "kms:DescribeKey", key_id, _KEY)
        if body is None:
            return n.KeyFacts(error=errors[-1].one_line() if len(errors) > before else None)
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

    def _logs(self, where: ClusterId, errors: list[CollectionError]) -> n.LogInputs:
        client = self._clients.cs(where.region)
        cp = self._call(
            errors,
            "cs:CheckControlPlaneLogEnable",
            where.id,
            ("logging.components",),
            lambda: client.check_control_plane_log_enable(where.id).body.to_map(),
        )
        audit = self._call(
            errors,
            "cs:GetClusterAuditProject",
            where.id,
            ("logging.audit_enabled",),
            lambda: client.get_cluster_audit_project(where.id).body.to_map(),
        )
        return n.LogInputs(control_plane=cp, audit=audit)

    def _version_list(
        self, region: str, detail: Mapping[str, Any], errors: list[CollectionError]
    ) -> list[JSON] | None:
        kind = str(detail.get("cluster_type") or "ManagedKubernetes")
        return read(
            self._versions,
            (region, kind),
            errors,
            "cs:DescribeKubernetesVersionMetadata",
            f"{region} {kind}",
            ("version.standard_support",),
        )

    def _offered(self, key: tuple[str, str]) -> list[JSON]:
        region, kind = key
        response = self._clients.cs(region).describe_kubernetes_version_metadata(
            cs.DescribeKubernetesVersionMetadataRequest(
                region=region, cluster_type=kind, mode="supported"
            )
        )
        return [v.to_map() for v in response.body or []]


def _listener_protocol(lb: Mapping[str, Any], port: int) -> str | None:
    for item in (lb.get("ListenerPortsAndProtocol") or {}).get("ListenerPortAndProtocol") or []:
        if int(item.get("ListenerPort") or 0) == port:
            return str(item.get("ListenerProtocol") or "").lower()
    return None
