"""The AKS :class:`ProviderScanner`: ARM reads only; every verdict-shaping step is in normalize.

Discovery lists managed clusters per subscription; the list already carries whole
ManagedCluster bodies, which are kept so ``collect`` never GETs a cluster again. Lookups many
clusters share (subnets, NSGs, Kubernetes versions per location, key vaults) go through
:class:`SharedLookup`, so each is read once per scan, failures included; identities, their
role assignments and definitions, and Microsoft Graph for service principals are read by
:class:`~cloudposture_azure.principals.RoleReader` the same way.

Subscriptions come from ``--subscription``, from ``--management-group`` (resolved in
``targets``, see :mod:`management_groups`), or else from every subscription the credential
sees. A management group that cannot be listed becomes a target of its own whose ``discover``
raises the listing's failure: the engine then records it as a coverage error naming the
group (kind ``denied`` for a 403) while every other subscription is scanned, instead of the
whole scan stopping or the group silently counting as empty.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from azure.core.exceptions import ClientAuthenticationError

from cloudposture.model import (
    ClusterPosture,
    ClusterRef,
    CollectionError,
    CollectionFailure,
    ConfigurationError,
    Identity,
    IngressRule,
    Logging,
    NodePool,
    VersionSupport,
)
from cloudposture.plugin import Target
from cloudposture.plugin.attempt import Attempts
from cloudposture.plugin.lookup import SharedLookup
from cloudposture_azure import ids, normalize, nsg
from cloudposture_azure.clients import AzureClients
from cloudposture_azure.errors import AZURE_ERRORS, collection_error
from cloudposture_azure.keys import KeyReader
from cloudposture_azure.management_groups import (
    SKIPPED_STATES,
    SUBSCRIPTIONS,
    group_unit,
    plan_subscriptions,
)
from cloudposture_azure.normalize import ClusterIdentities
from cloudposture_azure.principals import RoleReader
from cloudposture_azure.rest import as_rest
from cloudposture_azure.versions import CLUSTER_SOURCE, unreported_version, version_support

Body = Mapping[str, Any]

_LOG = logging.getLogger(__name__)
_INGRESS = "node_pools.internet_ingress"
_KUBELET = "node_pools.identities"


def _errors() -> Attempts:
    """The CollectionErrors of one ``collect`` call (each failure recorded as it happened)."""
    return Attempts(AZURE_ERRORS, collection_error, merge=False)


class AzureScanner:
    """One credential, one ARM endpoint, subscriptions and/or management groups (or all)."""

    name = "azure"
    label = ""

    def __init__(
        self,
        clients: AzureClients,
        subscriptions: Sequence[str] = (),
        management_groups: Sequence[str] = (),
    ) -> None:
        self._clients = clients
        self._subscriptions = tuple(dict.fromkeys(subscriptions))
        self._groups = tuple(dict.fromkeys(management_groups))
        self._failed_groups: dict[str, CollectionError] = {}
        self._lock = threading.Lock()
        self._listed: dict[str, Body] = {}
        self._versions: SharedLookup[tuple[str, str], dict[str, Any]] = SharedLookup(
            lambda key: as_rest(
                clients.containerservice(key[0]).managed_clusters.list_kubernetes_versions(key[1])
            )
        )
        self._subnet_nsg: SharedLookup[str, str] = SharedLookup(self._fetch_subnet_nsg)
        self._nsg: SharedLookup[str, dict[str, Any]] = SharedLookup(self._fetch_nsg)
        self._group_nsgs: SharedLookup[tuple[str, str], list[dict[str, Any]]] = SharedLookup(
            lambda key: [
                as_rest(n) for n in clients.network(key[0]).network_security_groups.list(key[1])
            ]
        )
        self._roles = RoleReader(clients)
        self._keys = KeyReader(clients)

    # -- targets and discovery ---------------------------------------------------------------

    def targets(self) -> Sequence[Target]:
        self._check_credential()
        if not (self._subscriptions or self._groups):
            return self._visible_targets()
        plan = plan_subscriptions(
            self._subscriptions, self._groups, self._descendants, self._visible_subscriptions
        )
        for note in plan.notes:
            _LOG.warning("azure: %s", note)
        failed = {group_unit(g): error for g, error in plan.failed_groups.items()}
        with self._lock:
            self._failed_groups = failed
        skipped = [_target(s, note) for s, note in plan.skipped.items()]
        return [_target(s) for s in plan.subscriptions] + [_target(u) for u in failed] + skipped

    def _check_credential(self) -> None:
        """Missing credentials are a configuration error (exit 2), said in one line."""
        try:
            self._clients.credential.get_token(self._clients.scope)
        except ClientAuthenticationError as exc:
            first = (exc.message or str(exc)).strip().splitlines()[0]
            raise ConfigurationError(
                f"no usable Azure credentials: {first} (sign in with 'az login', set the "
                "AZURE_* environment variables, or set CLOUDPOSTURE_AZURE_TOKEN)"
            ) from None

    def _visible_subscriptions(self) -> list[dict[str, Any]]:
        return [as_rest(s) for s in self._clients.subscriptions().subscriptions.list()]

    def _visible_targets(self) -> list[Target]:
        """Every visible subscription; a Disabled or Deleted one is listed as skipped."""
        try:
            found = self._visible_subscriptions()
        except AZURE_ERRORS as exc:
            raise CollectionFailure(collection_error(exc, SUBSCRIPTIONS, "tenant", [])) from None
        out = []
        for sub in found:
            state = str(sub.get("state") or "")
            note = f"subscription is {state}" if state.lower() in SKIPPED_STATES else None
            out.append(_target(str(sub["subscriptionId"]), note))
        return out

    def _descendants(self, group: str) -> list[dict[str, Any]]:
        client = self._clients.management_groups()
        return [as_rest(d) for d in client.management_groups.get_descendants(group)]

    def discover(self, target: Target) -> Sequence[ClusterRef]:
        with self._lock:
            unlisted = self._failed_groups.get(target.account)
        if unlisted is not None:
            raise CollectionFailure(unlisted)
        subscription = target.account
        call = "containerservice:ManagedClusters.List"
        try:
            listed = self._clients.containerservice(subscription).managed_clusters.list()
            clusters = [as_rest(c) for c in listed]
        except AZURE_ERRORS as exc:
            error = collection_error(exc, call, f"/subscriptions/{subscription}", [])
            raise CollectionFailure(error) from None
        refs = []
        with self._lock:
            for cluster in clusters:
                self._listed[str(cluster["id"]).lower()] = cluster
                refs.append(_ref(subscription, cluster))
        for cluster in clusters:
            self._roles.expect(subscription, cluster)
        return refs

    # -- collection --------------------------------------------------------------------------

    def collect(self, ref: ClusterRef) -> ClusterPosture:
        cluster = self._cluster(ref)
        errors = _errors()
        found = self._roles.resolve(
            normalize.identities(cluster), ["control_plane_identity", _KUBELET], errors
        )
        pools = self._node_pools(ref, cluster, found, errors)
        posture = ClusterPosture(
            ref=ref,
            endpoint=normalize.endpoint(cluster),
            authentication=normalize.authentication(cluster),
            node_pools=pools,
            control_plane_identity=self._control_plane_identity(ref, found, errors),
            workload_identity=normalize.workload_identity(cluster),
            secrets_encryption=normalize.secrets_encryption(
                cluster, self._keys.facts(ref.account, normalize.kms_config(cluster), errors.items)
            ),
            logging=self._logging(ref, errors),
            version=self._version(ref, cluster, errors),
            network_policy=normalize.network_policy(cluster),
            etcd=normalize.etcd(),
            collection_errors=errors.items,
        )
        return posture

    def _cluster(self, ref: ClusterRef) -> Body:
        """The body discovery listed (taken once), else one GET (a ref from elsewhere)."""
        with self._lock:
            cluster = self._listed.pop(ref.native_id.lower(), None)
        if cluster is not None:
            return cluster
        rid = ids.parse(ref.native_id)
        call = normalize.GET
        try:
            client = self._clients.containerservice(ref.account)
            return as_rest(client.managed_clusters.get(rid.resource_group, rid.name))
        except AZURE_ERRORS as exc:
            raise CollectionFailure(collection_error(exc, call, ref.native_id, [])) from None

    def _version(self, ref: ClusterRef, cluster: Body, errors: Attempts) -> VersionSupport:
        p = normalize.props(cluster)
        current = p.get("currentKubernetesVersion") or p.get("kubernetesVersion")
        if not current:
            return unreported_version()
        location = str(cluster.get("location") or ref.region)
        versions = errors.attempt(
            ["version.standard_support"],
            lambda: self._versions.get((ref.account, location)),
            call="containerservice:ManagedClusters.ListKubernetesVersions",
            resource=f"/subscriptions/{ref.account}/locations/{location}",
        )
        if versions is None:
            return VersionSupport(version=current, sources={"version": CLUSTER_SOURCE})
        return version_support(current, versions)

    def _logging(self, ref: ClusterRef, errors: Attempts) -> Logging:
        monitor = self._clients.monitor(ref.account)
        settings = errors.attempt(
            ["logging"],
            lambda: [
                as_rest(s)
                for s in monitor.diagnostic_settings.list(resource_uri=ref.native_id.lstrip("/"))
            ],
            call=normalize.DIAG,
            resource=ref.native_id,
        )
        return Logging() if settings is None else normalize.logging(settings)

    # -- identities --------------------------------------------------------------------------

    def _control_plane_identity(
        self, ref: ClusterRef, found: ClusterIdentities, errors: Attempts
    ) -> Identity:
        affects = "control_plane_identity"
        if found.control_plane is None and found.service_principal is None:
            errors.items.append(_no_principal(ref, "cluster identity", affects))
        return self._roles.identity(
            ref.account,
            found.control_plane,
            found.control_plane_label,
            "control-plane",
            affects,
            errors,
        )

    # -- node pools --------------------------------------------------------------------------

    def _node_pools(
        self, ref: ClusterRef, cluster: Body, found: ClusterIdentities, errors: Attempts
    ) -> list[NodePool] | None:
        p = normalize.props(cluster)
        profiles: list[Body] | None = list(p.get("agentPoolProfiles") or [])
        if not profiles:
            rid = ids.parse(ref.native_id)
            client = self._clients.containerservice(ref.account)
            listed = errors.attempt(
                ["node_pools"],
                lambda: [as_rest(a) for a in client.agent_pools.list(rid.resource_group, rid.name)],
                call="containerservice:AgentPools.List",
                resource=ref.native_id,
            )
            if listed is None:
                return None
            profiles = [{"name": a.get("name"), **(a.get("properties") or {})} for a in listed]
        if found.kubelet is None and found.service_principal is None:
            errors.items.append(_no_principal(ref, "kubelet identity", _KUBELET))
        nodes = [
            self._roles.identity(
                ref.account, found.kubelet, found.kubelet_label, "node", _KUBELET, errors
            )
        ]
        for extra in found.node_extra:
            if extra.principal is None:
                errors.items.append(_no_principal(ref, extra.label, _KUBELET))
            nodes.append(
                self._roles.identity(
                    ref.account, extra.principal, extra.label, "node", _KUBELET, errors
                )
            )
        group_rules = self._group_ingress(ref, str(p.get("nodeResourceGroup") or ""), errors)
        admin_key = normalize.admin_ssh_key(cluster)
        pools = []
        for profile in profiles:
            ingress = self._pool_ingress(ref, profile, group_rules, errors)
            source = (
                "network:Subnets.Get(vnetSubnetID).networkSecurityGroup + "
                f"NetworkSecurityGroups.List({p.get('nodeResourceGroup')})"
            )
            pools.append(normalize.node_pool(profile, ingress, nodes, source, admin_key))
        return pools

    def _group_ingress(
        self, ref: ClusterRef, group: str, errors: Attempts
    ) -> list[IngressRule] | None:
        if not group:
            return []
        nsgs = errors.attempt(
            [_INGRESS],
            lambda: self._group_nsgs.get((ref.account, group)),
            call="network:NetworkSecurityGroups.List",
            resource=f"/subscriptions/{ref.account}/resourceGroups/{group}",
        )
        if nsgs is None:
            return None
        return [rule for body in nsgs for rule in nsg.internet_ingress(body)]

    def _pool_ingress(
        self,
        ref: ClusterRef,
        profile: Body,
        group_rules: list[IngressRule] | None,
        errors: Attempts,
    ) -> list[IngressRule] | None:
        subnet = str(profile.get("vnetSubnetID") or "")
        rules: list[IngressRule] = []
        if subnet:
            nsg_id = errors.attempt(
                [_INGRESS],
                lambda: self._subnet_nsg.get(subnet),
                call="network:Subnets.Get",
                resource=subnet,
            )
            if nsg_id is None:
                return None
            if nsg_id:
                body = errors.attempt(
                    [_INGRESS],
                    lambda: self._nsg.get(nsg_id),
                    call="network:NetworkSecurityGroups.Get",
                    resource=nsg_id,
                )
                if body is None:
                    return None
                rules.extend(nsg.internet_ingress(body))
        if group_rules is None:
            return None
        merged = list(dict.fromkeys([*rules, *group_rules]))
        return merged

    def _fetch_subnet_nsg(self, subnet_id: str) -> str:
        """The id of the NSG on ``subnet_id``, or '' when the subnet has none."""
        rid = ids.parse(subnet_id)
        client = self._clients.network(rid.subscription)
        body = as_rest(client.subnets.get(rid.resource_group, rid.parent_name, rid.name))
        group = (body.get("properties") or {}).get("networkSecurityGroup") or {}
        return str(group.get("id") or "")

    def _fetch_nsg(self, nsg_id: str) -> dict[str, Any]:
        rid = ids.parse(nsg_id)
        client = self._clients.network(rid.subscription)
        return as_rest(client.network_security_groups.get(rid.resource_group, rid.name))


def _target(account: str, skipped: str | None = None) -> Target:
    return Target(provider="azure", account=account, region="-", skipped=skipped)


def _ref(subscription: str, cluster: Body) -> ClusterRef:
    return ClusterRef(
        provider="azure",
        account=subscription,
        region=str(cluster.get("location") or "-"),
        name=str(cluster.get("name") or ""),
        native_id=str(cluster["id"]),
        tags={str(k): str(v) for k, v in (cluster.get("tags") or {}).items()},
    )


def _no_principal(ref: ClusterRef, what: str, affects: str) -> CollectionError:
    return CollectionError(
        call=normalize.GET,
        kind="other",
        code="NoPrincipalId",
        message=f"the cluster reports no principal id for its {what}",
        resource=ref.native_id,
        affects=[affects],
    )
