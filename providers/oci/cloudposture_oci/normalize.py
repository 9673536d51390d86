"""OKE API responses -> the provider-neutral posture. Pure: REST-shaped JSON in, model out.

Inputs are the REST shapes (camelCase) of the Container Engine, Networking, Compute, Identity,
Key Management and Logging APIs, as the SDK's ``sanitize_for_serialization`` writes them.
Whatever the adapter could not read arrives as ``None`` and stays ``None`` in the posture,
next to the ``CollectionError`` that says why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cloudposture.model import (
    Authentication,
    ClusterPosture,
    ClusterRef,
    CollectionError,
    EndpointAccess,
    EtcdAccess,
    Logging,
    NetworkPolicySupport,
    SecretsEncryption,
    VersionSupport,
    WorkloadIdentity,
)
from cloudposture_oci.node_identity import IamView
from cloudposture_oci.node_pools import PoolInputs, node_pool
from cloudposture_oci.not_on_oke import NO_LOCAL_CREDENTIALS, ORACLE_MANAGED_CONTROL_PLANE
from cloudposture_oci.policy_grammar import parse_statement
from cloudposture_oci.security_rules import (
    AllowRule,
    nsg_rules,
    security_list_rules,
    sources_reaching,
)
from cloudposture_oci.tokens import SyntaxProblem

JSON = Mapping[str, Any]
CLUSTER = "containerengine:GetCluster cluster"
API_PORT = 6443
OKE_LOG_SERVICE = "oke-k8s-cp-prod"
"""The Logging service's source service for OKE control-plane (service) logs."""
_CONTROL_PLANE = ["apiserver", "controller-manager", "scheduler"]
_USABLE_KEY_STATES = {"ENABLED"}
NO_CLUSTER_TYPE = (
    "GetCluster returned no cluster type (BASIC_CLUSTER or ENHANCED_CLUSTER), and only an "
    "enhanced cluster offers OKE workload identity"
)
NO_ROTATION_FLAG = "kms:GetKey returned no isAutoRotationEnabled for the key"
NO_ROTATION_INTERVAL = (
    "kms:GetKey shows automatic rotation on but no autoKeyRotationDetails.rotationIntervalInDays"
)
NO_VERSION = "GetCluster returned no kubernetesVersion"


@dataclass(frozen=True)
class ClusterInputs:
    """Everything the adapter read for one cluster; None = could not be read."""

    cluster: JSON
    endpoint_subnet: JSON | None = None
    endpoint_security_lists: Sequence[JSON] | None = None
    endpoint_nsgs: Mapping[str, Sequence[JSON]] | None = None
    pools: Sequence[PoolInputs] | None = None
    iam: IamView | None = None
    key: JSON | None = None
    key_error: str | None = None
    logs: Sequence[JSON] | None = None
    """Every OKE service log (source service ``oke-k8s-cp-prod``) in the region."""
    kubernetes_versions: Sequence[str] | None = None
    errors: Sequence[CollectionError] = field(default_factory=tuple)


def cluster_ref(tenancy_id: str, region: str, cluster: JSON) -> ClusterRef:
    tags = {str(k): str(v) for k, v in (cluster.get("freeformTags") or {}).items()}
    return ClusterRef(
        provider="oci",
        account=tenancy_id,
        region=region,
        name=str(cluster.get("name") or cluster.get("id")),
        native_id=str(cluster.get("id")),
        tags=tags,
    )


def normalize_cluster(ref: ClusterRef, inputs: ClusterInputs) -> ClusterPosture:
    cluster = inputs.cluster
    pools = None
    if inputs.pools is not None and inputs.iam is not None:
        pools = [node_pool(p, inputs.iam) for p in inputs.pools]
    return ClusterPosture(
        ref=ref,
        endpoint=endpoint(cluster, inputs),
        authentication=authentication(),
        node_pools=pools,
        control_plane_identity=None,
        workload_identity=workload_identity(cluster, inputs.iam),
        secrets_encryption=secrets_encryption(cluster, inputs.key, inputs.key_error),
        logging=logging(str(cluster.get("id")), inputs.logs),
        version=version_support(cluster.get("kubernetesVersion"), inputs.kubernetes_versions),
        network_policy=network_policy(cluster),
        etcd=EtcdAccess(
            provider_managed=True,
            detail=(
                "OKE runs etcd inside the Oracle-managed control plane; only the API server "
                "reaches it, over TLS, and no customer network path to it exists"
            ),
            sources={"provider_managed": "OKE shared responsibility model (control plane)"},
        ),
        collection_errors=list(inputs.errors),
        not_applicable={"control_plane_identity": ORACLE_MANAGED_CONTROL_PLANE},
    )


def authentication() -> Authentication:
    """Every OKE API request carries an OCI IAM token (``oci ce cluster generate-token``) or,
    if configured, a token of the cluster's OIDC issuer: an IdP always decides, and OKE has
    no local credentials that could be on or off."""
    return Authentication(
        idp_enabled=True,
        sources={
            "idp_enabled": "OKE authenticates Kubernetes API requests with OCI IAM tokens "
            "(kubeconfig: oci ce cluster generate-token)"
        },
        not_applicable={"local_credentials_enabled": NO_LOCAL_CREDENTIALS},
    )


def endpoint(cluster: JSON, inputs: ClusterInputs) -> EndpointAccess:
    """Public endpoint on/off, and who may open TCP 6443 on it.

    VCN-native clusters put the API endpoint in a subnet: its security lists and the
    endpoint's NSGs decide who reaches it. A cluster without ``endpointConfig`` predates
    VCN-native endpoints: its endpoint is public and no customer ACL applies to it.
    """
    config = cluster.get("endpointConfig")
    endpoints = cluster.get("endpoints") or {}
    private = bool(endpoints.get("privateEndpoint"))
    sources = {
        "public_enabled": f"{CLUSTER}.endpointConfig.isPublicIpEnabled",
        "private_enabled": f"{CLUSTER}.endpoints.privateEndpoint",
        "authorized_cidrs": (
            "core:ListNetworkSecurityGroupSecurityRules (endpointConfig.nsgIds) + "
            "core:GetSecurityList (endpoint subnet securityListIds): sources allowed to "
            f"tcp/{API_PORT}"
        ),
        "provider_ranges_allowed": "OCI has no provider-wide address allowance on OKE",
    }
    if config is None:
        sources["public_enabled"] = f"{CLUSTER}.endpoints.kubernetes (no endpointConfig)"
        return EndpointAccess(
            public_enabled=True,
            private_enabled=False,
            authorized_cidrs=["0.0.0.0/0"],
            provider_ranges_allowed=False,
            sources=sources,
        )
    public = bool(config.get("isPublicIpEnabled"))
    cidrs: list[str] | None = []
    if public:
        rules = _endpoint_rules(inputs)
        cidrs = None if rules is None else sources_reaching(rules, API_PORT)
    return EndpointAccess(
        public_enabled=public,
        private_enabled=private,
        authorized_cidrs=cidrs,
        provider_ranges_allowed=False,
        sources=sources,
    )


def _endpoint_rules(inputs: ClusterInputs) -> list[AllowRule] | None:
    if inputs.endpoint_security_lists is None or inputs.endpoint_nsgs is None:
        return None
    rules: list[AllowRule] = []
    for security_list in inputs.endpoint_security_lists:
        rules += security_list_rules(security_list)
    for nsg_id, nsg in inputs.endpoint_nsgs.items():
        rules += nsg_rules(nsg_id, nsg)
    return rules


def workload_identity(cluster: JSON, iam: IamView | None = None) -> WorkloadIdentity:
    """OKE workload identity exists on enhanced clusters only. Its grants are policy
    statements whose ``where`` names the cluster (``request.principal.cluster_id``); how many
    there are is shown with the mechanism, for evidence."""
    kind = cluster.get("type")
    source = {
        "enabled": f"{CLUSTER}.type (ENHANCED_CLUSTER offers OKE workload identity)",
        "mechanisms": "identity:ListPolicies statements where request.principal.cluster_id "
        "is the cluster",
    }
    if kind is None:
        return WorkloadIdentity(sources=source, unknown_reasons={"enabled": NO_CLUSTER_TYPE})
    enhanced = str(kind) == "ENHANCED_CLUSTER"
    mechanisms = ["oke-workload-identity"] if enhanced else []
    grants = workload_grants(str(cluster.get("id")), iam)
    if enhanced and grants is not None:
        mechanisms.append(f"{grants} workload identity policy statement(s) for this cluster")
    return WorkloadIdentity(enabled=enhanced, mechanisms=mechanisms, sources=source)


def workload_grants(cluster_id: str, iam: IamView | None) -> int | None:
    """Allow statements whose condition names this cluster's workloads; None if unread."""
    if iam is None or iam.policies is None:
        return None
    count = 0
    for policy in iam.policies:
        for text in policy.get("statements") or []:
            try:
                statement = parse_statement(str(text))
            except SyntaxProblem:
                continue
            where = (statement.where or "").lower()
            if "request.principal.cluster_id" in where and cluster_id.lower() in where:
                count += 1
    return count


def secrets_encryption(cluster: JSON, key: JSON | None, key_error: str | None) -> SecretsEncryption:
    key_id = str(cluster.get("kmsKeyId") or "") or None
    sources = {
        "customer_key_enabled": f"{CLUSTER}.kmsKeyId",
        "provider_default_encryption": "OKE encrypts etcd with an Oracle-managed key",
    }
    facts: dict[str, Any] = {}
    unknown: dict[str, str] = {}
    if key_id and key is not None:
        state = str(key.get("lifecycleState") or "UNKNOWN")
        rotation = key.get("isAutoRotationEnabled")
        interval = (key.get("autoKeyRotationDetails") or {}).get("rotationIntervalInDays")
        facts = {
            "key_state": state,
            "key_usable": state in _USABLE_KEY_STATES,
            "rotation_enabled": None if rotation is None else bool(rotation),
            "rotation_period_days": int(interval) if interval and rotation else None,
        }
        if rotation is None:
            unknown = dict.fromkeys(("rotation_enabled", "rotation_period_days"), NO_ROTATION_FLAG)
        elif rotation and facts["rotation_period_days"] is None:
            unknown = {"rotation_period_days": NO_ROTATION_INTERVAL}
        for name in ("key_state", "key_usable"):
            sources[name] = "kms:GetKey (vault managementEndpoint) key.lifecycleState"
        for name in ("rotation_enabled", "rotation_period_days"):
            sources[name] = (
                "kms:GetKey key.isAutoRotationEnabled / autoKeyRotationDetails."
                "rotationIntervalInDays"
            )
    return SecretsEncryption(
        customer_key_enabled=key_id is not None,
        key_id=key_id,
        provider_default_encryption=True,
        key_error=key_error if key_id and key is None else None,
        sources=sources,
        unknown_reasons=unknown,
        **facts,
    )


def logging(cluster_id: str, logs: Sequence[JSON] | None) -> Logging:
    """Audit: the Kubernetes API server's audit events go to OCI Audit, always on and not
    configurable. Components: an enabled OKE service log (Logging service, source service
    ``oke-k8s-cp-prod``, resource = the cluster) carries kube-apiserver,
    kube-controller-manager, kube-scheduler and cloud-controller-manager logs together."""
    sources = {
        "audit_enabled": "OCI Audit records Kubernetes API server audit events of every OKE "
        "cluster (always on, not configurable)",
        "components": f"logging:ListLogs source.service {OKE_LOG_SERVICE}, source.resource "
        "= cluster OCID, isEnabled",
        "destination": "logging:ListLogs",
    }
    if logs is None:
        return Logging(audit_enabled=True, sources=sources)
    enabled = [
        log
        for log in logs
        if log.get("isEnabled")
        and str(log.get("lifecycleState") or "ACTIVE") == "ACTIVE"
        and _log_source(log).get("resource") == cluster_id
        and _log_source(log).get("service") == OKE_LOG_SERVICE
    ]
    names = ", ".join(str(log.get("displayName") or log.get("id")) for log in enabled)
    return Logging(
        audit_enabled=True,
        components=[*_CONTROL_PLANE, "audit"] if enabled else ["audit"],
        destination=f"OCI Audit; OCI Logging ({names})" if enabled else "OCI Audit",
        sources=sources,
    )


def _log_source(log: JSON) -> JSON:
    return (log.get("configuration") or {}).get("source") or {}


def version_support(version: object, offered: Sequence[str] | None) -> VersionSupport:
    """A minor OKE no longer offers for new clusters (``GetClusterOptions
    kubernetesVersions``) is past standard support."""
    sources = {
        "version": f"{CLUSTER}.kubernetesVersion",
        "standard_support": "containerengine:GetClusterOptions clusterOptions.kubernetesVersions",
    }
    text = str(version or "")
    if not text:
        return VersionSupport(
            detail="the cluster reported no Kubernetes version",
            sources=sources,
            unknown_reasons=dict.fromkeys(("version", "standard_support"), NO_VERSION),
        )
    if offered is None:
        return VersionSupport(version=text, sources=sources)
    minors = sorted({_minor(v) for v in offered}, key=_sort_key)
    minor = _minor(text)
    listed = ", ".join(minors) or "none"
    supported = minor in minors
    state = "offered" if supported else "no longer offered"
    return VersionSupport(
        version=text,
        standard_support=supported,
        detail=f"{minor} is {state} by OKE (offered: {listed})",
        sources=sources,
    )


def _minor(version: str) -> str:
    return ".".join(version.lstrip("v").split(".")[:2])


def _sort_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def network_policy(cluster: JSON) -> NetworkPolicySupport:
    """Neither OKE CNI enforces NetworkPolicy: flannel does not, and OCI VCN-native pod
    networking does not either; OKE's documented way is to install Calico into the cluster,
    which the OCI API cannot see. So the answer is unknown, with that reason."""
    cnis = [
        str(o.get("cniType"))
        for o in cluster.get("clusterPodNetworkOptions") or []
        if o.get("cniType")
    ]
    engine = ", ".join(cnis) or "FLANNEL_OVERLAY (default)"
    return NetworkPolicySupport(
        enforced=None,
        engine=engine,
        sources={"enforced": f"{CLUSTER}.clusterPodNetworkOptions[].cniType"},
        unknown_reasons={
            "enforced": f"the cluster's CNI ({engine}) does not enforce NetworkPolicy; "
            "enforcement needs Calico installed in the cluster, which the OCI API cannot "
            "show: check with kubectl"
        },
    )
