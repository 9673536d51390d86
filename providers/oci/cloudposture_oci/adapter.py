"""The OKE ProviderScanner: I/O only. Every read goes through here; meaning lives in normalize.

Call budget: per scan one ``ListRegionSubscriptions`` (when no --region is given), one
recursive ``ListCompartments``, one ``ListDynamicGroups`` and one ``ListPolicies`` per
compartment (the IAM that decides what node instance principals may do). Per region and
compartment one paginated ``ListClusters``; per region one ``GetClusterOptions``, one
recursive ``ListLogGroups`` and one ``ListLogs`` per log group. Per cluster one
``GetCluster`` (the listing lacks ``kmsKeyId``) and one ``ListNodePools``; per pool one
``GetNodePool`` (the summary lacks ``nodes``). Subnets, security lists, NSG rules, instances,
vaults and keys are read once each however many clusters share them (``SharedLookup``): a
failed read is recorded on every cluster that needed it, never retried by each.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from oci.pagination import list_call_get_all_results

from cloudposture.model import ClusterPosture, ClusterRef, CollectionError, CollectionFailure
from cloudposture.plugin import PartialListing, Target
from cloudposture.plugin.lookup import SharedLookup
from cloudposture_oci.clients import OciClients, to_json
from cloudposture_oci.compartments import CompartmentTree
from cloudposture_oci.errors import CAUGHT, VaultNotFound, to_collection_error
from cloudposture_oci.node_identity import IamView
from cloudposture_oci.node_pools import PoolInputs, node_nsg_ids, placement_subnet_ids
from cloudposture_oci.normalize import (
    OKE_LOG_SERVICE,
    ClusterInputs,
    cluster_ref,
    normalize_cluster,
)
from cloudposture_oci.settings import OciSettings, validate_endpoint

JSON = dict[str, Any]
T = TypeVar("T")
_SKIPPED_STATES = {"DELETED", "DELETING"}
_ENDPOINT = ("endpoint.authorized_cidrs",)
_IDENTITY = ("node_pools.identities",)
_POOL_INGRESS = ("node_pools.internet_ingress", "node_pools.ssh_source_restricted")
"""A pool's security lists and NSGs decide its internet ingress, and whether SSH is open."""
_POOL_SUBNETS = ("node_pools.public_ip", *_POOL_INGRESS)
"""A pool's placement subnets decide public IPs, and name the security lists."""
_LOGS = ("logging.components", "logging.destination")
_KEY_FACTS = (
    "secrets_encryption.key_state",
    "secrets_encryption.key_usable",
    "secrets_encryption.rotation_enabled",
    "secrets_encryption.rotation_period_days",
)


class OciScanner:
    name = "oci"

    def __init__(self, settings: OciSettings, clients: OciClients, workers: int = 8) -> None:
        self.label = "" if settings.auth != "api_key" else settings.profile
        """Names this scanner's coverage when it fails before it has targets."""
        self._settings = settings
        self._clients = clients
        self._workers = workers
        self._tree: CompartmentTree | None = None
        self._scope: list[str] = []
        self._regional: dict[str, SharedLookup[Any, Any]] = {}
        self._dynamic_groups: SharedLookup[str, list[JSON]] = SharedLookup(
            self._list_dynamic_groups
        )
        self._policies: SharedLookup[str, list[JSON]] = SharedLookup(self._list_policies)

    # -- ProviderScanner -------------------------------------------------------------------

    def targets(self) -> Sequence[Target]:
        tenancy = self._clients.tenancy_id
        home = self._clients.home_region
        tree = self.compartment_tree()
        self._scope = self._in_scope(tree)
        regions = list(self._settings.regions) or self._subscribed_regions(home)
        return [Target(provider="oci", account=tenancy, region=r) for r in regions]

    def discover(self, target: Target) -> Sequence[ClusterRef]:
        """Every cluster of the region, one paginated listing per compartment in scope (run
        ``workers`` at a time: a tenancy may have hundreds of compartments)."""
        region = target.region
        if self._tree is None:
            self.targets()
        listed = self._fan_out(lambda c: self._list_clusters(region, c), self._scope)
        refs = [
            cluster_ref(target.account, region, c)
            for clusters in listed
            if isinstance(clusters, list)
            for c in clusters
            if str(c.get("lifecycleState")) not in _SKIPPED_STATES
        ]
        errors = [e for e in listed if isinstance(e, CollectionError)]
        if errors and len(errors) == len(self._scope):
            raise CollectionFailure(errors[0])
        return PartialListing(refs, errors) if errors else refs

    def _list_clusters(self, region: str, compartment: str) -> list[JSON] | CollectionError:
        try:
            return self._all(self._clients.container_engine(region).list_clusters, compartment)
        except CAUGHT as exc:
            return to_collection_error(
                exc, "containerengine:ListClusters", f"{compartment} ({region})"
            )

    def _fan_out(self, work: Callable[[str], T], items: Sequence[str]) -> list[T]:
        """``work`` over ``items`` on up to ``workers`` threads, results in ``items`` order."""
        if self._workers <= 1 or len(items) <= 1:
            return [work(item) for item in items]
        with ThreadPoolExecutor(max_workers=min(self._workers, len(items))) as pool:
            return list(pool.map(work, items))

    def collect(self, ref: ClusterRef) -> ClusterPosture:
        region = ref.region
        try:
            cluster = to_json(
                self._clients.container_engine(region),
                self._clients.container_engine(region)
                .get_cluster(ref.native_id, **self._clients.call)
                .data,
            )
        except CAUGHT as exc:
            raise CollectionFailure(
                to_collection_error(exc, "containerengine:GetCluster", ref.native_id)
            ) from None
        errors: list[CollectionError] = []
        config = cluster.get("endpointConfig") or {}
        subnet, lists, nsgs = self._network(
            region, config.get("subnetId"), config.get("nsgIds") or [], errors, _ENDPOINT
        )
        key, key_error = self._key(region, cluster, errors)
        inputs = ClusterInputs(
            cluster=cluster,
            endpoint_subnet=subnet,
            endpoint_security_lists=lists,
            endpoint_nsgs=nsgs,
            pools=self._pools(region, cluster, errors),
            iam=self._iam(errors),
            key=key,
            key_error=key_error,
            logs=self._logs(region, errors),
            kubernetes_versions=self._versions(region, errors),
            errors=errors,
        )
        return normalize_cluster(ref, inputs)

    # -- scope -----------------------------------------------------------------------------

    def compartment_tree(self) -> CompartmentTree:
        """Every ACTIVE compartment of the tenancy (read once; a failure stops the scan)."""
        if self._tree is not None:
            return self._tree
        tenancy = self._clients.tenancy_id
        home = self._clients.home_region
        try:
            found = self._all(
                self._clients.identity(home).list_compartments,
                tenancy,
                compartment_id_in_subtree=True,
                access_level="ANY",
                lifecycle_state="ACTIVE",
            )
        except CAUGHT as exc:
            raise CollectionFailure(
                to_collection_error(exc, "identity:ListCompartments", tenancy)
            ) from None
        self._tree = CompartmentTree(tenancy, found)
        return self._tree

    def _in_scope(self, tree: CompartmentTree) -> list[str]:
        wanted = self._settings.compartments
        if not wanted:
            return tree.ids()
        return [c for c in tree.ids() if any(tree.contains(w, c) for w in wanted)] or list(wanted)

    def _subscribed_regions(self, home: str) -> list[str]:
        tenancy = self._clients.tenancy_id
        try:
            found = self._clients.identity(home).list_region_subscriptions(
                tenancy, **self._clients.call
            )
        except CAUGHT as exc:
            raise CollectionFailure(
                to_collection_error(exc, "identity:ListRegionSubscriptions", tenancy)
            ) from None
        return [s.region_name for s in found.data if str(s.status) == "READY"]

    # -- per cluster -----------------------------------------------------------------------

    def _network(
        self,
        region: str,
        subnet_id: str | None,
        nsg_ids: Sequence[str],
        errors: list[CollectionError],
        affects: Sequence[str],
    ) -> tuple[JSON | None, list[JSON] | None, dict[str, list[JSON]] | None]:
        """A subnet, its security lists and some NSGs' rules (None where unreadable)."""
        subnet: JSON | None = None
        lists: list[JSON] | None = [] if not subnet_id else None
        if subnet_id:
            subnet = self._read(region, "core:GetSubnet", subnet_id, errors, affects)
            if subnet is not None:
                lists = self._security_lists(region, [subnet], errors, affects)
        return subnet, lists, self._nsgs(region, nsg_ids, errors, affects)

    def _security_lists(
        self,
        region: str,
        subnets: Sequence[JSON],
        errors: list[CollectionError],
        affects: Sequence[str],
    ) -> list[JSON] | None:
        ids = dict.fromkeys(str(i) for s in subnets for i in s.get("securityListIds") or [])
        found = [self._read(region, "core:GetSecurityList", i, errors, affects) for i in ids]
        return None if any(f is None for f in found) else [f for f in found if f is not None]

    def _nsgs(
        self, region: str, ids: Sequence[str], errors: list[CollectionError], affects: Sequence[str]
    ) -> dict[str, list[JSON]] | None:
        out: dict[str, list[JSON]] = {}
        for nsg_id in ids:
            rules = self._read(
                region, "core:ListNetworkSecurityGroupSecurityRules", nsg_id, errors, affects
            )
            if rules is None:
                return None
            out[nsg_id] = rules
        return out

    def _pools(
        self, region: str, cluster: JSON, errors: list[CollectionError]
    ) -> list[PoolInputs] | None:
        engine = self._clients.container_engine(region)
        cluster_id = str(cluster.get("id"))
        try:
            summaries = self._all(
                engine.list_node_pools, str(cluster.get("compartmentId")), cluster_id=cluster_id
            )
            pools = [
                to_json(engine, engine.get_node_pool(s["id"], **self._clients.call).data)
                for s in summaries
                if str(s.get("lifecycleState")) not in _SKIPPED_STATES
            ]
        except CAUGHT as exc:
            errors.append(
                to_collection_error(
                    exc, "containerengine:ListNodePools", cluster_id, ("node_pools",)
                )
            )
            return None
        return [self._pool(region, pool, errors) for pool in pools]

    def _pool(self, region: str, pool: JSON, errors: list[CollectionError]) -> PoolInputs:
        subnets = [
            self._read(region, "core:GetSubnet", s, errors, _POOL_SUBNETS)
            for s in placement_subnet_ids(pool)
        ]
        known = None if any(s is None for s in subnets) else [s for s in subnets if s is not None]
        lists = (
            None if known is None else self._security_lists(region, known, errors, _POOL_INGRESS)
        )
        nsgs = self._nsgs(region, node_nsg_ids(pool), errors, _POOL_INGRESS)
        node_facts = ("node_pools.metadata_credentials_exposed", *_IDENTITY)
        instances = [
            self._read(region, "core:GetInstance", str(n.get("id")), errors, node_facts)
            for n in pool.get("nodes") or []
            if n.get("id")
        ]
        return PoolInputs(
            pool=pool,
            subnets=known,
            security_lists=lists,
            nsgs=nsgs,
            instances=None if any(i is None for i in instances) else [i for i in instances if i],
        )

    def _iam(self, errors: list[CollectionError]) -> IamView:
        tree = self.compartment_tree()
        tenancy = self._clients.tenancy_id
        groups = self._shared_read(
            self._dynamic_groups, tenancy, errors, "identity:ListDynamicGroups", tenancy, _IDENTITY
        )
        found = self._fan_out(
            lambda c: self._shared_read(
                self._policies, c, errors, "identity:ListPolicies", c, _IDENTITY
            ),
            tree.ids(),
        )
        policies = None if any(f is None for f in found) else [p for f in found for p in f]
        return IamView(tree=tree, dynamic_groups=groups, policies=policies)

    def _key(
        self, region: str, cluster: JSON, errors: list[CollectionError]
    ) -> tuple[JSON | None, str | None]:
        """The cluster's KMS key, read through its vault's management endpoint."""
        key_id = str(cluster.get("kmsKeyId") or "")
        if not key_id:
            return None, None
        before = len(errors)
        key = self._read(region, "kms:GetKey", key_id, errors, _KEY_FACTS)
        return key, (errors[-1].one_line() if key is None and len(errors) > before else None)

    def _logs(self, region: str, errors: list[CollectionError]) -> list[JSON] | None:
        groups = self._read(
            region,
            "logging:ListLogGroups",
            self._clients.tenancy_id,
            errors,
            _LOGS,
        )
        if groups is None:
            return None
        out: list[JSON] = []
        for group in groups:
            logs = self._read(region, "logging:ListLogs", str(group.get("id")), errors, _LOGS)
            if logs is None:
                return None
            out += logs
        return out

    def _versions(self, region: str, errors: list[CollectionError]) -> list[str] | None:
        options = self._read(
            region,
            "containerengine:GetClusterOptions",
            "all",
            errors,
            ("version.standard_support",),
        )
        return (
            None if options is None else [str(v) for v in options.get("kubernetesVersions") or []]
        )

    # -- shared reads ----------------------------------------------------------------------

    def _read(
        self,
        region: str,
        call: str,
        key: str,
        errors: list[CollectionError],
        affects: Sequence[str],
    ) -> Any:
        lookup = self._lookup(region, call)
        return self._shared_read(lookup, key, errors, call, f"{key} ({region})", affects)

    def _shared_read(
        self,
        lookup: SharedLookup[str, Any],
        key: str,
        errors: list[CollectionError],
        call: str,
        resource: str,
        affects: Sequence[str],
    ) -> Any:
        try:
            return lookup.get(key)
        except CAUGHT as exc:
            errors.append(to_collection_error(exc, call, resource, affects))
            return None

    def _lookup(self, region: str, call: str) -> SharedLookup[Any, Any]:
        name = f"{region} {call}"
        lookup = self._regional.get(name)
        if lookup is None:
            fetch = self._fetchers(region)[call]
            lookup = self._regional.setdefault(name, SharedLookup(fetch))
        return lookup

    def _fetchers(self, region: str) -> Mapping[str, Callable[[str], Any]]:
        c = self._clients
        net, compute = (lambda: c.network(region)), (lambda: c.compute(region))

        def one(client: Callable[[], Any], method: str) -> Callable[[str], Any]:
            def fetch(key: str) -> Any:
                sdk = client()
                return to_json(sdk, getattr(sdk, method)(key, **c.call).data)

            return fetch

        return {
            "core:GetSubnet": one(net, "get_subnet"),
            "core:GetSecurityList": one(net, "get_security_list"),
            "core:GetInstance": one(compute, "get_instance"),
            "core:ListNetworkSecurityGroupSecurityRules": lambda nsg: self._all(
                c.network(region).list_network_security_group_security_rules,
                nsg,
                direction="INGRESS",
            ),
            "containerengine:GetClusterOptions": lambda option: to_json(
                c.container_engine(region),
                c.container_engine(region)
                .get_cluster_options(option, compartment_id=c.tenancy_id, **c.call)
                .data,
            ),
            "logging:ListLogGroups": lambda tenancy: self._all(
                c.logging(region).list_log_groups, tenancy, is_compartment_id_in_subtree=True
            ),
            "logging:ListLogs": lambda group: self._all(
                c.logging(region).list_logs, group, source_service=OKE_LOG_SERVICE
            ),
            "kms:GetKey": lambda key_id: self._fetch_key(region, key_id),
            "kms:ListVaults": lambda compartment: self._all(
                c.vaults(region).list_vaults, compartment
            ),
        }

    def _fetch_key(self, region: str, key_id: str) -> JSON:
        """Find the key's vault (key and vault OCIDs share the vault's endpoint prefix, their
        fifth part), then read the key at the vault's ``managementEndpoint``."""
        vault = self._vault_of(region, key_id)
        endpoint = str(vault.get("managementEndpoint") or "")
        checked = validate_endpoint(endpoint) or endpoint
        client = self._clients.keys(region, checked)
        return dict(to_json(client, client.get_key(key_id, **self._clients.call).data))

    def _vault_of(self, region: str, key_id: str) -> JSON:
        """The vault holding ``key_id``. A compartment whose vaults cannot be listed is
        passed over; if no other holds the key, that failure is the answer (not a
        "no vault" that would hide a denied read)."""
        prefix = _ocid_part(key_id)
        failures: list[BaseException] = []
        for compartment in self.compartment_tree().ids():
            try:
                vaults = self._lookup(region, "kms:ListVaults").get(compartment)
            except CAUGHT as exc:
                failures.append(exc)
                continue
            for vault in vaults:
                if prefix and _ocid_part(str(vault.get("id"))) == prefix:
                    return dict(vault)
        if failures:
            raise failures[0]
        raise VaultNotFound(key_id)

    def _list_dynamic_groups(self, tenancy: str) -> list[JSON]:
        return self._all(
            self._clients.identity(self._clients.home_region).list_dynamic_groups, tenancy
        )

    def _list_policies(self, compartment: str) -> list[JSON]:
        return self._all(
            self._clients.identity(self._clients.home_region).list_policies, compartment
        )

    def _all(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> list[JSON]:
        """Every page of a list call (``opc-next-page``), as REST JSON."""
        response = list_call_get_all_results(method, *args, **kwargs, **self._clients.call)
        client = method.__self__  # type: ignore[attr-defined]
        return [to_json(client, item) for item in response.data]


def _ocid_part(ocid: str) -> str:
    parts = ocid.split(".")
    return parts[4] if len(parts) > 5 else ""
