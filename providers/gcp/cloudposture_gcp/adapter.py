"""The GKE ProviderScanner: I/O only. Every read goes through here; meaning lives in normalize.

Call budget: one ``ListClusters`` per project (location ``-``: every zone and region; the
listing returns whole Cluster objects, which are kept so ``collect`` never reads a cluster
again); per project one IAM policy and at most one project lookup; per VPC network one
firewall listing; per KMS key one read; per location one server config. Shared reads go
through :class:`SharedLookup`, so concurrent collectors wait for the first call, and a failed
read is not repeated by every cluster that needs it.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, TypeVar

from google.cloud import compute_v1, container_v1, kms_v1
from google.protobuf import json_format
from google.protobuf.message import Message

from cloudposture.lookup import SharedLookup
from cloudposture.model import ClusterPosture, ClusterRef, CollectionError, CollectionFailure
from cloudposture.plugin import Target
from cloudposture_gcp.clients import GoogleClients
from cloudposture_gcp.errors import CAUGHT, to_collection_error
from cloudposture_gcp.node_pools import needs_project_number
from cloudposture_gcp.normalize import ClusterInputs, cluster_ref, normalize_cluster, redact
from cloudposture_gcp.projects import project_ids
from cloudposture_gcp.settings import GcpSettings

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
JSON = dict[str, Any]

_KEY_FACTS = (
    "secrets_encryption.key_state",
    "secrets_encryption.key_usable",
    "secrets_encryption.rotation_enabled",
    "secrets_encryption.rotation_period_days",
)


class GcpScanner:
    name = "gcp"

    def __init__(self, settings: GcpSettings, clients: GoogleClients) -> None:
        self._settings = settings
        self._clients = clients
        self._lock = threading.Lock()
        self._listed: dict[str, JSON] = {}
        self._missing_zones: dict[str, list[str]] = {}
        self._numbers: SharedLookup[str, str] = SharedLookup(self._project_number)
        self._policies: SharedLookup[str, JSON] = SharedLookup(self._iam_policy)
        self._firewalls: SharedLookup[tuple[str, str], list[JSON]] = SharedLookup(
            self._network_firewalls
        )
        self._keys: SharedLookup[str, JSON] = SharedLookup(self._crypto_key)
        self._server_configs: SharedLookup[tuple[str, str], JSON] = SharedLookup(
            self._server_config
        )

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
            self._missing_zones[project] = list(response.missing_zones)
            for cluster in response.clusters:
                data = redact(_json(container_v1.Cluster.pb(cluster)))
                ref = cluster_ref(project, data)
                self._listed[ref.native_id] = data
                refs.append(ref)
        if not refs and response.missing_zones:
            raise CollectionFailure(_missing_zones_error(project, list(response.missing_zones)))
        return refs

    def collect(self, ref: ClusterRef) -> ClusterPosture:
        project = ref.account
        cluster = self._cluster(ref)
        errors: list[CollectionError] = []
        missing = self._missing_zones.get(project)
        if missing:
            errors.append(_missing_zones_error(project, missing))
        number = None
        if needs_project_number(cluster):
            number = _read(
                self._numbers,
                project,
                errors,
                "resourcemanager:GetProject",
                f"projects/{project}",
                ("node_pools.identity", "node_pools.internet_ingress"),
            )
        policy = _read(
            self._policies,
            project,
            errors,
            "resourcemanager:GetIamPolicy",
            f"projects/{project}",
            ("node_pools.identity", "logging.audit_enabled"),
        )
        network = network_of(cluster, project)
        firewalls = _read(
            self._firewalls,
            network,
            errors,
            "compute:ListFirewalls",
            f"projects/{network[0]}/global/networks/{network[1]}",
            ("node_pools.internet_ingress",),
        )
        key, key_error = self._key_of(cluster, errors)
        server_config = _read(
            self._server_configs,
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
            iam_policy=policy,
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
        data = redact(_json(container_v1.Cluster.pb(cluster)))
        with self._lock:
            self._listed[ref.native_id] = data
        return data

    def _key_of(
        self, cluster: Mapping[str, Any], errors: list[CollectionError]
    ) -> tuple[JSON | None, str | None]:
        key_name = str((cluster.get("databaseEncryption") or {}).get("keyName") or "")
        if not key_name:
            return None, None
        before = len(errors)
        key = _read(self._keys, key_name, errors, "cloudkms:GetCryptoKey", key_name, _KEY_FACTS)
        return key, (errors[-1].one_line() if len(errors) > before else None)

    # The fetchers below run once per key (SharedLookup) and return API-shaped JSON.

    def _project_number(self, project: str) -> str:
        found = self._clients.projects().get_project(
            name=f"projects/{project}", **self._clients.call
        )
        return str(found.name).removeprefix("projects/")

    def _iam_policy(self, project: str) -> JSON:
        policy = self._clients.projects().get_iam_policy(
            request={"resource": f"projects/{project}", "options": {"requested_policy_version": 3}},
            **self._clients.call,
        )
        return _json(policy)

    def _network_firewalls(self, network: tuple[str, str]) -> list[JSON]:
        host, name = network
        url = f"https://www.googleapis.com/compute/v1/projects/{host}/global/networks/{name}"
        request = compute_v1.ListFirewallsRequest(project=host, filter=f'network = "{url}"')
        pages = self._clients.firewalls().list(request=request, **self._clients.call)
        suffix = f"projects/{host}/global/networks/{name}"
        rules = [_json(compute_v1.Firewall.pb(f)) for f in pages]
        # Filtered again here: correctness must not hinge on the server honouring the filter.
        return [r for r in rules if str(r.get("network", "")).endswith(suffix)]

    def _crypto_key(self, name: str) -> JSON:
        key = self._clients.kms().get_crypto_key(name=name, **self._clients.call)
        return _json(kms_v1.CryptoKey.pb(key))

    def _server_config(self, where: tuple[str, str]) -> JSON:
        project, location = where
        config = self._clients.clusters().get_server_config(
            name=f"projects/{project}/locations/{location}", **self._clients.call
        )
        return _json(container_v1.ServerConfig.pb(config))


def network_of(cluster: Mapping[str, Any], project: str) -> tuple[str, str]:
    """(host project, network name): a Shared VPC's firewall rules live in the host project."""
    path = str((cluster.get("networkConfig") or {}).get("network") or "")
    parts = path.split("/")
    if len(parts) >= 5 and parts[0] == "projects" and parts[2] == "global":
        return parts[1], parts[4]
    return project, str(cluster.get("network") or "default")


def _read(
    lookup: SharedLookup[K, V],
    key: K,
    errors: list[CollectionError],
    call: str,
    resource: str,
    affects: Sequence[str],
) -> V | None:
    try:
        return lookup.get(key)
    except CAUGHT as exc:
        errors.append(to_collection_error(exc, call, resource, affects))
        return None


def _json(message: Message) -> JSON:
    data: JSON = json_format.MessageToDict(message)
    return data


def _missing_zones_error(project: str, zones: list[str]) -> CollectionError:
    return CollectionError(
        call="container:ListClusters",
        kind="unavailable",
        code="missingZones",
        message=f"zones did not answer, clusters there were not listed: {', '.join(zones)}",
        resource=f"projects/{project}",
    )
