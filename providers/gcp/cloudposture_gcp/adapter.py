"""The GKE ProviderScanner: I/O only. Every read goes through here; meaning lives in normalize.

Call budget: one ``ListClusters`` per project (location ``-``: every zone and region; the
listing returns whole Cluster objects, which are kept so ``collect`` never reads a cluster
again); per project one project lookup and one IAM policy; per folder or organization above
the projects one lookup and one IAM policy (hierarchy.py); per VPC network one
``getEffectiveFirewalls`` (VPC firewall rules, hierarchical and global network firewall
policies), per (network, region) the clusters run in one regional ``getEffectiveFirewalls``
(the regional network firewall policy, which the global call leaves out) and, only when a
network firewall policy is attached, one network read for its enforcement order; per KMS key
one read; per location one server config; per role bound to a node service account that is
judged by its permissions (every custom role, every predefined one outside the table of known
escalators: iam.py) one ``iam.roles.get``. Shared reads go through :class:`SharedLookup`, so
concurrent collectors wait for the first call, and a failed read is not repeated by every
cluster that needs it. They live in :class:`SharedReads`, which every scanner of one scan
holds (the nightly run builds one scanner per project): "per network" means per network for
the whole scan, not per project that uses it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from google.cloud import container_v1

from cloudposture.model import ClusterPosture, ClusterRef, CollectionError, CollectionFailure
from cloudposture.plugin import PartialListing, Target
from cloudposture_gcp.clients import GoogleClients
from cloudposture_gcp.errors import CAUGHT, to_collection_error
from cloudposture_gcp.firewall import (
    AFTER_CLASSIC,
    NetworkFirewalls,
    needs_enforcement_order,
    regional_only,
)
from cloudposture_gcp.hierarchy import IAM_FACTS
from cloudposture_gcp.iam import PolicyLevel, roles_to_read
from cloudposture_gcp.node_pools import needs_project_number, service_accounts
from cloudposture_gcp.normalize import ClusterInputs, cluster_ref, normalize_cluster, redact
from cloudposture_gcp.projects import project_ids
from cloudposture_gcp.reads import JSON, read, to_json
from cloudposture_gcp.roles import GET_ROLE
from cloudposture_gcp.settings import GcpSettings
from cloudposture_gcp.shared import SharedReads

_INGRESS = ("node_pools.internet_ingress",)
_IDENTITIES = ("node_pools.identities",)
_REGIONAL_CALL = "compute:GetRegionEffectiveFirewalls"
_KEY_FACTS = (
    "secrets_encryption.key_state",
    "secrets_encryption.key_usable",
    "secrets_encryption.rotation_enabled",
    "secrets_encryption.rotation_period_days",
)


class GcpScanner:
    name = "gcp"
    label = ""

    def __init__(
        self, settings: GcpSettings, clients: GoogleClients, shared: SharedReads | None = None
    ) -> None:
        self._settings = settings
        self._clients = clients
        self._shared = shared or SharedReads(clients)
        self._lock = threading.Lock()
        self._listed: dict[str, JSON] = {}

    def targets(self) -> Sequence[Target]:
        return [
            Target(provider="gcp", account=p, region="-")
            for p in project_ids(self._settings, self._clients)
        ]

    def discover(self, target: Target) -> Sequence[ClusterRef]:
        project = target.account
        try:
            response = self._clients.clusters().list_clusters(
                parent=f"projects/{project}/locations/-", **self._clients.call
            )
        except CAUGHT as exc:
            raise CollectionFailure(
                to_collection_error(exc, "container:ListClusters", f"projects/{project}")
            ) from None
        refs: list[ClusterRef] = []
        with self._lock:
            for cluster in response.clusters:
                data = redact(to_json(container_v1.Cluster.pb(cluster)))
                ref = cluster_ref(project, data)
                self._listed[ref.native_id] = data
                refs.append(ref)
        if response.missing_zones:
            return PartialListing(
                refs, [_missing_zones_error(project, list(response.missing_zones))]
            )
        return refs

    def collect(self, ref: ClusterRef) -> ClusterPosture:
        project = ref.account
        cluster = self._cluster(ref)
        errors: list[CollectionError] = []
        # The project is read even when no pool needs its number: its parent starts the walk
        # to the folders and organization whose IAM policies the project inherits.
        ingress = _INGRESS if needs_project_number(cluster) else ()
        found = self._shared.hierarchy.project(project, errors, (*IAM_FACTS, *ingress))
        number = _project_number(found)
        policies = self._shared.hierarchy.levels(project, found, errors)
        roles = self._roles(policies, service_accounts(cluster, number), errors)
        firewalls = self._network_firewalls(
            network_of(cluster, project), region_of(cluster), errors
        )
        key, key_error = self._key_of(cluster, errors)
        server_config = read(
            self._shared.server_configs,
            (project, ref.region),
            errors,
            "container:GetServerConfig",
            f"projects/{project}/locations/{ref.region}",
            ("version.standard_support",),
        )
        inputs = ClusterInputs(
            project=project,
            cluster=cluster,
            project_number=number,
            policies=policies,
            role_definitions=roles,
            firewalls=firewalls,
            crypto_key=key,
            key_error=key_error,
            server_config=server_config,
            errors=tuple(errors),
        )
        return normalize_cluster(ref, inputs)

    def _cluster(self, ref: ClusterRef) -> JSON:
        """The listed cluster; read it only when collect() runs without a discover()."""
        with self._lock:
            listed = self._listed.get(ref.native_id)
        if listed is not None:
            return listed
        name = f"projects/{ref.account}/locations/{ref.region}/clusters/{ref.name}"
        try:
            cluster = self._clients.clusters().get_cluster(name=name, **self._clients.call)
        except CAUGHT as exc:
            raise CollectionFailure(
                to_collection_error(exc, "container:GetCluster", name)
            ) from None
        data = redact(to_json(container_v1.Cluster.pb(cluster)))
        with self._lock:
            self._listed[ref.native_id] = data
        return data

    def _roles(
        self, policies: Sequence[PolicyLevel], emails: list[str], errors: list[CollectionError]
    ) -> dict[str, JSON | None]:
        """The roles bound to the node service accounts that are judged by their permissions,
        each read once per scan (a predefined role is the same in every project)."""
        return {
            name: read(self._shared.roles, name, errors, GET_ROLE, name, _IDENTITIES)
            for name in roles_to_read(policies, emails)
        }

    def _key_of(
        self, cluster: Mapping[str, Any], errors: list[CollectionError]
    ) -> tuple[JSON | None, str | None]:
        key_name = str((cluster.get("databaseEncryption") or {}).get("keyName") or "")
        if not key_name:
            return None, None
        before = len(errors)
        key = read(
            self._shared.keys, key_name, errors, "cloudkms:GetCryptoKey", key_name, _KEY_FACTS
        )
        return key, (errors[-1].one_line() if len(errors) > before else None)

    def _network_firewalls(
        self, network: tuple[str, str], region: str | None, errors: list[CollectionError]
    ) -> NetworkFirewalls | None:
        """What governs ingress on the network in the nodes' region; None when any part of
        it cannot be read (a missing regional policy could be the one that lets SSH in)."""
        path = f"projects/{network[0]}/global/networks/{network[1]}"
        effective = read(
            self._shared.effective, network, errors, "compute:GetEffectiveFirewalls", path, _INGRESS
        )
        if region is None:
            errors.append(_no_region_error(path))
            return None
        in_region = read(
            self._shared.regional,
            (*network, region),
            errors,
            _REGIONAL_CALL,
            f"{path} (region {region})",
            _INGRESS,
        )
        if effective is None or in_region is None:
            return None
        policies = effective.get("firewallPolicys") or []
        regional = regional_only(in_region.get("firewallPolicys") or [])
        order = AFTER_CLASSIC
        if needs_enforcement_order([*policies, *regional]):
            found = read(
                self._shared.networks, network, errors, "compute:GetNetwork", path, _INGRESS
            )
            if found is None:
                return None
            order = str(found.get("networkFirewallPolicyEnforcementOrder") or AFTER_CLASSIC)
        firewalls = effective.get("firewalls") or []
        return NetworkFirewalls(path, firewalls, policies, order, regional, region)


def network_of(cluster: Mapping[str, Any], project: str) -> tuple[str, str]:
    """(host project, network name): a Shared VPC's firewall rules live in the host project."""
    path = str((cluster.get("networkConfig") or {}).get("network") or "")
    parts = path.split("/")
    if len(parts) >= 5 and parts[0] == "projects" and parts[2] == "global":
        return parts[1], parts[4]
    return project, str(cluster.get("network") or "default")


def region_of(cluster: Mapping[str, Any]) -> str | None:
    """The region the cluster's nodes run in: its location, or its zone's region.

    Every node pool of a cluster lives in the cluster's region (a pool's ``locations`` are
    zones of it), so one region per cluster is what the regional firewall read needs.
    Regions are ``<area>-<name><n>`` (us-central1); zones add one more part (us-central1-a).
    """
    location = str(cluster.get("location") or cluster.get("zone") or "")
    parts = location.split("-")
    if len(parts) < 2 or not all(parts[:2]):
        return None
    return "-".join(parts[:2])


def _no_region_error(path: str) -> CollectionError:
    return CollectionError(
        call=_REGIONAL_CALL,
        kind="invalid",
        code="noRegion",
        message="the cluster's location names no region, so its regional network firewall "
        "policy cannot be read",
        resource=path,
        affects=list(_INGRESS),
    )


def _project_number(project: Mapping[str, Any] | None) -> str | None:
    """A v3 Project is named ``projects/<number>``."""
    number = str((project or {}).get("name", "")).removeprefix("projects/")
    return number or None


def _missing_zones_error(project: str, zones: list[str]) -> CollectionError:
    return CollectionError(
        call="container:ListClusters",
        kind="unavailable",
        code="missingZones",
        message=f"zones did not answer, clusters there were not listed: {', '.join(zones)}",
        resource=f"projects/{project}",
    )
