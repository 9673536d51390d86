"""GKE API responses -> the provider-neutral posture. Pure: JSON dicts in, model out.

Inputs are the v1 REST JSON shapes (camelCase, as ``gcloud container clusters describe
--format=json`` prints a cluster); enums may be names or integers. Whatever the adapter could
not read arrives as ``None`` and stays ``None`` in the posture, next to the
``CollectionError`` that says why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cloudposture.model import (
    WHOLE_INTERNET_V4,
    Authentication,
    ClusterPosture,
    ClusterRef,
    CollectionError,
    EndpointAccess,
    EtcdAccess,
    Logging,
    NetworkPolicySupport,
    SecretsEncryption,
    WorkloadIdentity,
)
from cloudposture_gcp.enums import (
    CRYPTO_KEY_VERSION_STATE,
    DATABASE_ENCRYPTION_STATE,
    DATAPATH_PROVIDER,
    LOGGING_COMPONENT,
    NETWORK_POLICY_PROVIDER,
    enum_name,
)
from cloudposture_gcp.firewall import NetworkFirewalls
from cloudposture_gcp.iam import PolicyLevel, data_access_audit
from cloudposture_gcp.node_pools import PoolContext, node_pools
from cloudposture_gcp.versions import version_support

LIST = "container:ListClusters cluster"
REDACTED = "[REDACTED]"
_SECRET_AUTH_FIELDS = ("password", "clientKey", "clientCertificate", "clusterCaCertificate")
_CUSTOMER_KEY_STATES = {"ENCRYPTED", "ALL_OBJECTS_ENCRYPTION_ENABLED"}
CONTROL_PLANE_IDENTITY_IS_GOOGLES = (
    "GKE's control plane runs as a Google-managed identity the customer can neither see nor change"
)
"""Why ``control_plane_identity`` is None on every GKE cluster (IAM-002 is NOT_APPLICABLE)."""
_COMPONENTS = {
    "APISERVER": "apiserver",
    "SCHEDULER": "scheduler",
    "CONTROLLER_MANAGER": "controller-manager",
}


@dataclass(frozen=True)
class ClusterInputs:
    """Everything the adapter read for one cluster; None = could not be read."""

    project: str
    cluster: Mapping[str, Any]
    project_number: str | None = None
    policies: Sequence[PolicyLevel] = ()
    """The project's IAM policy then its ancestors' (iam.PolicyLevel; None policy = unread)."""
    firewalls: NetworkFirewalls | None = None
    role_definitions: Mapping[str, Mapping[str, Any] | None] = field(default_factory=dict)
    """Roles bound to the node SAs judged by permission (iam.roles.get; None = unread)."""
    crypto_key: Mapping[str, Any] | None = None
    key_error: str | None = None
    server_config: Mapping[str, Any] | None = None
    errors: Sequence[CollectionError] = field(default_factory=tuple)


def redact(cluster: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the cluster with masterAuth secrets replaced by a marker.

    Whether a client certificate or a password was issued is a posture fact; the values
    themselves are credentials and must not outlive the listing call.
    """
    out = dict(cluster)
    auth = dict(out.get("masterAuth") or {})
    for key in _SECRET_AUTH_FIELDS:
        if auth.get(key):
            auth[key] = REDACTED
    out["masterAuth"] = auth
    return out


def cluster_ref(project: str, cluster: Mapping[str, Any]) -> ClusterRef:
    location = str(cluster.get("location") or cluster.get("zone") or "-")
    name = str(cluster.get("name", ""))
    native = cluster.get("selfLink") or (
        f"https://container.googleapis.com/v1/projects/{project}/locations/{location}"
        f"/clusters/{name}"
    )
    return ClusterRef(
        provider="gcp",
        account=project,
        region=location,
        name=name,
        native_id=str(native),
        tags={str(k): str(v) for k, v in (cluster.get("resourceLabels") or {}).items()},
    )


def normalize_cluster(ref: ClusterRef, inputs: ClusterInputs) -> ClusterPosture:
    cluster = inputs.cluster
    pools = node_pools(
        cluster,
        PoolContext(
            project=inputs.project,
            project_number=inputs.project_number,
            policies=inputs.policies,
            firewalls=inputs.firewalls,
            role_definitions=inputs.role_definitions,
        ),
    )
    return ClusterPosture(
        ref=ref,
        endpoint=endpoint(cluster),
        authentication=authentication(cluster),
        node_pools=pools,
        control_plane_identity=None,
        workload_identity=workload_identity(cluster),
        secrets_encryption=secrets_encryption(cluster, inputs.crypto_key, inputs.key_error),
        logging=logging(cluster, inputs.policies),
        version=version_support(
            str(cluster.get("currentMasterVersion", "")), inputs.server_config, ref.region
        ),
        network_policy=network_policy(cluster),
        etcd=EtcdAccess(
            provider_managed=True,
            detail=(
                "GKE runs etcd inside the Google-managed control plane; only the API server "
                "reaches it, over TLS, and no customer network path to it exists"
            ),
            sources={"provider_managed": "GKE shared responsibility model (control plane)"},
        ),
        collection_errors=list(inputs.errors),
        not_applicable={"control_plane_identity": CONTROL_PLANE_IDENTITY_IS_GOOGLES},
    )


def endpoint(cluster: Mapping[str, Any]) -> EndpointAccess:
    """Public / private endpoint and who may reach the public one.

    ``controlPlaneEndpointsConfig.ipEndpointsConfig`` is the current API; older responses
    carry only ``privateClusterConfig`` and ``masterAuthorizedNetworksConfig``.
    The DNS-based endpoint is access-controlled by IAM, not by network ACLs, and is not
    counted as a public IP endpoint (it is noted in the sources).
    """
    private = cluster.get("privateClusterConfig") or {}
    cpe = cluster.get("controlPlaneEndpointsConfig") or {}
    ip = cpe.get("ipEndpointsConfig")
    sources: dict[str, str] = {}
    if ip is not None:
        ip_enabled = bool(ip.get("enabled", True))
        if "enablePublicEndpoint" in ip:
            public = ip_enabled and bool(ip["enablePublicEndpoint"])
            where = "controlPlaneEndpointsConfig.ipEndpointsConfig.enablePublicEndpoint"
        else:
            public = ip_enabled and not private.get("enablePrivateEndpoint", False)
            where = "privateClusterConfig.enablePrivateEndpoint"
        networks = ip.get("authorizedNetworksConfig") or cluster.get(
            "masterAuthorizedNetworksConfig"
        )
        nets_where = "controlPlaneEndpointsConfig.ipEndpointsConfig.authorizedNetworksConfig"
    else:
        public = not private.get("enablePrivateEndpoint", False)
        where = "privateClusterConfig.enablePrivateEndpoint"
        networks = cluster.get("masterAuthorizedNetworksConfig")
        nets_where = "masterAuthorizedNetworksConfig"
    if ip is None or "authorizedNetworksConfig" not in ip:
        nets_where = "masterAuthorizedNetworksConfig"
    networks = networks or {}
    dns = cpe.get("dnsEndpointConfig") or {}
    dns_note = (
        "; DNS-based endpoint allows external traffic (IAM-gated, not an IP endpoint)"
        if dns.get("allowExternalTraffic")
        else ""
    )
    sources["public_enabled"] = f"{LIST}.{where}{dns_note}"
    restricted = bool(networks.get("enabled"))
    cidrs = [str(b.get("cidrBlock")) for b in networks.get("cidrBlocks") or []]
    if not public:
        authorized: list[str] = []
    elif restricted:
        authorized = cidrs
    else:
        authorized = [WHOLE_INTERNET_V4]
    sources["authorized_cidrs"] = f"{LIST}.{nets_where}.enabled/cidrBlocks"
    if not public:
        google_ranges = False
    elif not restricted:
        google_ranges = True
    else:
        # Unset on a public endpoint means Google Cloud's public IPs may connect (the default).
        google_ranges = bool(networks.get("gcpPublicCidrsAccessEnabled", True))
    sources["provider_ranges_allowed"] = f"{LIST}.{nets_where}.gcpPublicCidrsAccessEnabled"
    private_endpoint = bool(
        private.get("privateEndpoint")
        or (ip or {}).get("privateEndpoint")
        or private.get("enablePrivateEndpoint")
        or private.get("enablePrivateNodes")
    )
    sources["private_enabled"] = (
        f"{LIST}.privateClusterConfig.privateEndpoint / ipEndpointsConfig.privateEndpoint"
    )
    return EndpointAccess(
        public_enabled=public,
        private_enabled=private_endpoint,
        authorized_cidrs=authorized,
        provider_ranges_allowed=google_ranges,
        sources=sources,
    )


def authentication(cluster: Mapping[str, Any]) -> Authentication:
    """Credentials that bypass Google IAM: client certificates, basic auth, legacy ABAC.

    Only whether they were issued is recorded; their values never enter the model.
    """
    auth = cluster.get("masterAuth") or {}
    kinds: list[str] = []
    cert_config = auth.get("clientCertificateConfig") or {}
    if (
        auth.get("clientCertificate")
        or auth.get("clientKey")
        or cert_config.get("issueClientCertificate")
    ):
        kinds.append("client-certificate")
    if auth.get("password") or auth.get("username"):
        kinds.append("basic-auth")
    if (cluster.get("legacyAbac") or {}).get("enabled"):
        kinds.append("legacy-abac")
    return Authentication(
        idp_enabled=True,
        local_credentials_enabled=bool(kinds),
        local_credential_kinds=kinds,
        sources={
            "idp_enabled": "GKE always authenticates Google identities through IAM",
            "local_credentials_enabled": (
                f"{LIST}.masterAuth.clientCertificate/clientCertificateConfig"
                ".issueClientCertificate/username, legacyAbac.enabled"
            ),
        },
    )


def workload_identity(cluster: Mapping[str, Any]) -> WorkloadIdentity:
    pool = str((cluster.get("workloadIdentityConfig") or {}).get("workloadPool") or "")
    return WorkloadIdentity(
        enabled=bool(pool),
        mechanisms=[f"workload-identity-federation-for-gke ({pool})"] if pool else [],
        sources={"enabled": f"{LIST}.workloadIdentityConfig.workloadPool"},
    )


def secrets_encryption(
    cluster: Mapping[str, Any], key: Mapping[str, Any] | None, key_error: str | None
) -> SecretsEncryption:
    """Application-layer secrets encryption with a Cloud KMS key, and that key's health."""
    enc = cluster.get("databaseEncryption") or {}
    state = enum_name(enc.get("state"), DATABASE_ENCRYPTION_STATE, "UNKNOWN")
    key_name = str(enc.get("keyName") or "") or None
    customer = state in _CUSTOMER_KEY_STATES and key_name is not None
    sources = {
        "customer_key_enabled": f"{LIST}.databaseEncryption.state ({state}) + keyName",
        "provider_default_encryption": "GKE encrypts etcd at rest with Google-managed keys",
    }
    facts: dict[str, Any] = {}
    if customer and key is not None:
        primary = key.get("primary") or {}
        key_state = enum_name(primary.get("state"), CRYPTO_KEY_VERSION_STATE, "NO_PRIMARY")
        seconds = _duration_seconds(key.get("rotationPeriod"))
        facts = {
            "key_state": key_state,
            "key_usable": key_state == "ENABLED",
            "rotation_enabled": seconds is not None,
            "rotation_period_days": None if seconds is None else seconds // 86400,
        }
        for name in ("key_state", "key_usable"):
            sources[name] = "cloudkms:GetCryptoKey cryptoKey.primary.state"
        for name in ("rotation_enabled", "rotation_period_days"):
            sources[name] = "cloudkms:GetCryptoKey cryptoKey.rotationPeriod"
    return SecretsEncryption(
        customer_key_enabled=customer,
        key_id=key_name if customer else None,
        provider_default_encryption=True,
        key_error=key_error if customer and key is None else None,
        sources=sources,
        **facts,
    )


def _duration_seconds(value: object) -> int | None:
    """'7776000s' (protobuf Duration JSON) -> 7776000; absent or zero -> None."""
    if value in (None, "", {}):
        return None
    if isinstance(value, Mapping):
        seconds = int(value.get("seconds", 0))
    else:
        seconds = int(float(str(value).rstrip("s") or 0))
    return seconds or None


def logging(cluster: Mapping[str, Any], policies: Sequence[PolicyLevel]) -> Logging:
    """Control-plane logs shipped to Cloud Logging, and whether audit logging is complete.

    ``loggingService`` ``logging.googleapis.com/kubernetes`` (Cloud Operations for GKE) ships
    system and workload logs only; control-plane component logs need ``loggingConfig``.
    Audit logging needs the APISERVER component and Data Access audit logs for
    container.googleapis.com (Admin Activity audit logs are always on and do not count),
    configured on the project or inherited from a folder or the organization. Without the
    APISERVER component the answer is no, whatever the IAM policies say; with it, an
    unreadable policy level leaves the answer unknown unless a readable one enables both
    DATA_READ and DATA_WRITE.
    """
    service = str(cluster.get("loggingService") or "")
    config = (cluster.get("loggingConfig") or {}).get("componentConfig") or {}
    names = [enum_name(c, LOGGING_COMPONENT) for c in config.get("enableComponents") or []]
    shipping = service != "none"
    components = [_COMPONENTS[n] for n in names if n in _COMPONENTS] if shipping else []
    sources = {
        "components": f"{LIST}.loggingConfig.componentConfig.enableComponents, loggingService",
        "destination": f"{LIST}.loggingService",
    }
    access = data_access_audit(policies)
    audit = access.enabled if "apiserver" in components else False
    sources["audit_enabled"] = (
        f"{LIST}.loggingConfig APISERVER "
        f"({'on' if 'apiserver' in components else 'off'}) + getIamPolicy auditConfigs "
        f"({access.describe()})"
    )
    if audit:
        components.append("audit")
    return Logging(
        audit_enabled=audit,
        components=components,
        destination=f"Cloud Logging ({service or 'default'})" if shipping else None,
        sources=sources,
    )


def network_policy(cluster: Mapping[str, Any]) -> NetworkPolicySupport:
    """Dataplane V2 enforces NetworkPolicy by itself; otherwise the Calico add-on must be on."""
    datapath = enum_name(
        (cluster.get("networkConfig") or {}).get("datapathProvider"), DATAPATH_PROVIDER
    )
    policy = cluster.get("networkPolicy") or {}
    addon_off = bool(
        ((cluster.get("addonsConfig") or {}).get("networkPolicyConfig") or {}).get("disabled")
    )
    sources = {
        "enforced": f"{LIST}.networkConfig.datapathProvider, networkPolicy.enabled, "
        "addonsConfig.networkPolicyConfig.disabled"
    }
    if datapath == "ADVANCED_DATAPATH":
        return NetworkPolicySupport(enforced=True, engine="dataplane-v2", sources=sources)
    if policy.get("enabled") and not addon_off:
        provider = enum_name(policy.get("provider"), NETWORK_POLICY_PROVIDER, "CALICO")
        return NetworkPolicySupport(enforced=True, engine=provider.lower(), sources=sources)
    return NetworkPolicySupport(enforced=False, engine=None, sources=sources)
