"""ManagedCluster (and friends) as ARM returns them -> the neutral model (pure).

Every function takes the REST-shaped dict (camelCase keys, ``properties`` envelope), so the
unit tests feed API-shaped JSON straight in. Absent booleans take ARM's documented defaults
(``disableLocalAccounts`` absent = local accounts on, ``enablePrivateCluster`` absent = public),
because that is what the cluster does; a section the adapter could not read at all stays
``None`` and the rules report ERROR.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from cloudposture.model import (
    WHOLE_INTERNET_V4,
    Authentication,
    EndpointAccess,
    EtcdAccess,
    Identity,
    IngressRule,
    Logging,
    NetworkPolicySupport,
    NodePool,
    SecretsEncryption,
    WorkloadIdentity,
)
from cloudposture_azure.roles import RoleSummary

GET = "containerservice:ManagedClusters.Get"
DIAG = "monitor:DiagnosticSettings.List"

POLICY_ENGINES = frozenset({"azure", "calico", "cilium"})

# Diagnostic-setting categories of a managed cluster -> neutral log component names.
LOG_CATEGORIES: Mapping[str, str] = {
    "kube-audit": "audit",
    "kube-audit-admin": "audit",
    "kube-apiserver": "apiserver",
    "kube-controller-manager": "controller-manager",
    "kube-scheduler": "scheduler",
    "guard": "authenticator",
}
# Category groups expand to these categories on a managed cluster.
LOG_GROUPS: Mapping[str, tuple[str, ...]] = {
    "alllogs": tuple(LOG_CATEGORIES),
    "audit": ("kube-audit", "kube-audit-admin", "guard"),
}
# Facts of the neutral model that do not exist on AKS, and facts AKS cannot show: the reasons
# a finding gives when a rule meets their None (see cloudposture.model.completeness).
NO_PROVIDER_RANGES = (
    "AKS has no switch that admits Azure's own address space to the API server: only "
    "authorizedIPRanges admit public sources"
)
NO_OAUTH_SCOPES = (
    "Azure VMs have no OAuth access scopes: the node identities' role assignments alone "
    "decide what the nodes reach"
)
SSH_SOURCE_IS_NSG = (
    "AKS node SSH has no source setting of its own: NSG rules decide who reaches port 22 "
    "(judged by NODE-002)"
)
BYO_CNI = (
    "the cluster brings its own CNI (networkPlugin none): whether that CNI enforces "
    "NetworkPolicy is not visible in the Azure API"
)
_DESTINATIONS = (
    ("workspaceId", "log-analytics"),
    ("storageAccountId", "storage"),
    ("eventHubAuthorizationRuleId", "event-hub"),
    ("marketplacePartnerId", "partner"),
)


def props(cluster: Mapping[str, Any]) -> Mapping[str, Any]:
    return cluster.get("properties") or {}


def endpoint(cluster: Mapping[str, Any]) -> EndpointAccess:
    """apiServerAccessProfile: private cluster, authorized IP ranges, VNet integration."""
    access = props(cluster).get("apiServerAccessProfile") or {}
    private = bool(access.get("enablePrivateCluster"))
    vnet = bool(access.get("enableVnetIntegration"))
    ranges = [str(r) for r in access.get("authorizedIPRanges") or []]
    path = f"{GET} properties.apiServerAccessProfile"
    return EndpointAccess(
        public_enabled=not private,
        private_enabled=private or vnet,
        authorized_cidrs=[] if private else (ranges or [WHOLE_INTERNET_V4]),
        not_applicable={"provider_ranges_allowed": NO_PROVIDER_RANGES},
        sources={
            "public_enabled": f"{path}.enablePrivateCluster",
            "private_enabled": f"{path}.enablePrivateCluster / enableVnetIntegration",
            "authorized_cidrs": f"{path}.authorizedIPRanges",
        },
    )


def authentication(cluster: Mapping[str, Any]) -> Authentication:
    """Entra ID integration (aadProfile) versus local accounts and Kubernetes RBAC."""
    p = props(cluster)
    aad = p.get("aadProfile")
    local = not bool(p.get("disableLocalAccounts"))
    kinds = ["local accounts (clusterAdmin / clusterUser kubeconfig with a static token)"] * local
    if p.get("enableRBAC") is False:
        kinds.append("Kubernetes RBAC disabled (enableRBAC false): every user is all-powerful")
    if aad and not aad.get("managed", True):
        kinds.append("legacy AAD integration with a server application secret")
    return Authentication(
        idp_enabled=bool(aad),
        local_credentials_enabled=local or p.get("enableRBAC") is False,
        local_credential_kinds=kinds,
        sources={
            "idp_enabled": f"{GET} properties.aadProfile (enableAzureRBAC "
            f"{bool((aad or {}).get('enableAzureRBAC'))})",
            "local_credentials_enabled": f"{GET} properties.disableLocalAccounts / enableRBAC",
        },
    )


def workload_identity(cluster: Mapping[str, Any]) -> WorkloadIdentity:
    """Workload identity needs both the OIDC issuer and the workload identity webhook."""
    p = props(cluster)
    oidc = bool((p.get("oidcIssuerProfile") or {}).get("enabled"))
    webhook = bool(((p.get("securityProfile") or {}).get("workloadIdentity") or {}).get("enabled"))
    mechanisms = ["oidc-issuer"] * oidc + ["workload-identity"] * webhook
    return WorkloadIdentity(
        enabled=oidc and webhook,
        mechanisms=mechanisms,
        sources={
            "enabled": f"{GET} properties.oidcIssuerProfile.enabled, "
            "properties.securityProfile.workloadIdentity.enabled"
        },
    )


def network_policy(cluster: Mapping[str, Any]) -> NetworkPolicySupport:
    """networkPolicy azure / calico / cilium (or the Cilium dataplane) enforce NetworkPolicy;
    with a CNI of the customer's own (networkPlugin none) the API cannot say."""
    net = props(cluster).get("networkProfile") or {}
    policy = str(net.get("networkPolicy") or "none").lower()
    dataplane = str(net.get("networkDataplane") or "").lower()
    engine = policy if policy in POLICY_ENGINES else ("cilium" if dataplane == "cilium" else None)
    source = f"{GET} properties.networkProfile.networkPolicy / networkDataplane"
    if engine is None and str(net.get("networkPlugin") or "").lower() == "none":
        unknown = dict.fromkeys(("enforced", "engine"), BYO_CNI)
        plugin = f"{GET} properties.networkProfile.networkPlugin"
        return NetworkPolicySupport(unknown_reasons=unknown, sources={"enforced": plugin})
    return NetworkPolicySupport(
        enforced=engine is not None,
        engine=engine,
        sources={"enforced": source, "engine": source},
    )


def etcd() -> EtcdAccess:
    return EtcdAccess(
        provider_managed=True,
        detail=(
            "AKS runs etcd inside the Microsoft-managed control plane; only the API server "
            "reaches it, over mutual TLS (shared responsibility)"
        ),
        sources={"provider_managed": "AKS service design (managed control plane)"},
    )


@dataclass(frozen=True)
class KmsConfig:
    enabled: bool
    key_id: str | None
    network_access: str | None
    vault_resource_id: str | None


def kms_config(cluster: Mapping[str, Any]) -> KmsConfig:
    kms = (props(cluster).get("securityProfile") or {}).get("azureKeyVaultKms") or {}
    return KmsConfig(
        enabled=bool(kms.get("enabled")),
        key_id=kms.get("keyId") or None,
        network_access=kms.get("keyVaultNetworkAccess") or ("Public" if kms else None),
        vault_resource_id=kms.get("keyVaultResourceId") or None,
    )


@dataclass(frozen=True)
class KeyFacts:
    """What the Key Vault key said, or why it could not be read."""

    state: str | None = None
    usable: bool | None = None
    rotation_enabled: bool | None = None
    rotation_days: int | None = None
    error: str | None = None
    rotation_days_unknown: str | None = None
    """Why a key that rotates has no period in days (its policy's trigger is not one)."""


def secrets_encryption(cluster: Mapping[str, Any], key: KeyFacts | None) -> SecretsEncryption:
    """securityProfile.azureKeyVaultKms versus the platform-managed default."""
    kms = kms_config(cluster)
    path = f"{GET} properties.securityProfile.azureKeyVaultKms"
    on = kms.enabled and kms.key_id is not None
    key = key or KeyFacts()
    return SecretsEncryption(
        customer_key_enabled=on,
        key_id=kms.key_id if on else None,
        # AKS encrypts etcd at rest with platform-managed keys whether or not KMS is on.
        provider_default_encryption=True,
        key_state=key.state if on else None,
        key_usable=key.usable if on else None,
        rotation_enabled=key.rotation_enabled if on else None,
        rotation_period_days=key.rotation_days if on else None,
        key_error=key.error if on else None,
        unknown_reasons=_reasons(rotation_period_days=key.rotation_days_unknown if on else None),
        sources={
            "customer_key_enabled": f"{path}.enabled",
            "key_id": f"{path}.keyId (keyVaultNetworkAccess {kms.network_access or 'n/a'})",
            "key_state": "keyvault:Keys.GetVersion properties.attributes",
            "key_usable": "keyvault:Keys.GetVersion properties.attributes (enabled, exp, nbf)",
            "rotation_enabled": "keyvault:Keys.Get properties.rotationPolicy.lifetimeActions",
            "rotation_period_days": "keyvault:Keys.Get properties.rotationPolicy "
            "(timeAfterCreate, or expiryTime less timeBeforeExpiry)",
        },
    )


def key_facts(
    version: Mapping[str, Any], key: Mapping[str, Any] | None, now: datetime | None = None
) -> KeyFacts:
    """Key Vault key (ARM Keys.GetVersion / Keys.Get dicts) -> usable / rotation facts."""
    now = now or datetime.now(UTC)
    attrs = (version.get("properties") or {}).get("attributes") or {}
    enabled = attrs.get("enabled", True) is not False
    expires = _epoch(attrs.get("exp"))
    not_before = _epoch(attrs.get("nbf"))
    problems = []
    if not enabled:
        problems.append("disabled")
    if expires is not None and expires <= now:
        problems.append(f"expired {expires:%Y-%m-%d}")
    if not_before is not None and not_before > now:
        problems.append(f"not valid before {not_before:%Y-%m-%d}")
    rotation_enabled, days, why = _rotation(key)
    return KeyFacts(
        state=", ".join(problems) or "enabled",
        usable=not problems,
        rotation_enabled=rotation_enabled,
        rotation_days=days,
        rotation_days_unknown=why,
    )


def _epoch(value: Any) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(int(value), UTC)


def _rotation(key: Mapping[str, Any] | None) -> tuple[bool | None, int | None, str | None]:
    """(auto-rotation on?, period in days, why the period is unknown): on when the key's
    rotation policy has a Rotate action with a trigger. A trigger before expiry rotates every
    policy expiryTime less that lead time."""
    if key is None:
        return None, None, None
    policy = (key.get("properties") or {}).get("rotationPolicy") or {}
    expiry = (policy.get("attributes") or {}).get("expiryTime")
    for action in policy.get("lifetimeActions") or []:
        kind = str((action.get("action") or {}).get("type") or "").lower()
        trigger = action.get("trigger") or {}
        after, before = trigger.get("timeAfterCreate"), trigger.get("timeBeforeExpiry")
        if kind != "rotate" or not (after or before):
            continue
        if after:
            days = _days(after)
        else:
            lifetime, lead = _days(expiry), _days(before)
            days = lifetime - lead if lifetime and lead and lifetime > lead else None
        trigger_text = f"timeAfterCreate {after}" if after else f"timeBeforeExpiry {before}"
        why = None
        if days is None:
            why = (
                f"the rotation trigger ({trigger_text}, expiryTime {expiry or 'unset'}) gives "
                "no period in days"
            )
        return True, days, why
    return False, None, None


def _reasons(**reasons: str | None) -> dict[str, str]:
    """The reasons that apply (a None reason: the fact has a value)."""
    return {field: why for field, why in reasons.items() if why}


def _days(duration: Any) -> int | None:
    """ISO 8601 'P90D' / 'P1Y' / 'P3M' -> days (approximate for years and months)."""
    text = str(duration or "").upper()
    if not text.startswith("P") or "T" in text:
        return None
    total, number = 0, ""
    for char in text[1:]:
        if char.isdigit():
            number += char
            continue
        scale = {"Y": 365, "M": 30, "W": 7, "D": 1}.get(char)
        if scale is None or not number:
            return None
        total, number = total + int(number) * scale, ""
    return total or None


def logging(settings: Sequence[Mapping[str, Any]]) -> Logging:
    """Diagnostic settings on the cluster -> audit on?, components, where they go."""
    categories: set[str] = set()
    destinations: list[str] = []
    for setting in settings:
        sp = setting.get("properties") or {}
        where = [f"{label}:{sp[k]}" for k, label in _DESTINATIONS if sp.get(k)]
        enabled = set()
        for log in sp.get("logs") or []:
            if not log.get("enabled"):
                continue
            if log.get("category"):
                enabled.add(str(log["category"]).lower())
            group = str(log.get("categoryGroup") or "").lower()
            enabled.update(LOG_GROUPS.get(group, ()))
        if enabled and where:
            categories |= enabled
            destinations.extend(where)
    components = sorted({LOG_CATEGORIES[c] for c in categories if c in LOG_CATEGORIES})
    return Logging(
        audit_enabled="audit" in components,
        components=components,
        destination="; ".join(dict.fromkeys(destinations)) or None,
        sources={
            "audit_enabled": f"{DIAG} properties.logs[category kube-audit|kube-audit-admin]",
            "components": f"{DIAG} properties.logs[].category / categoryGroup",
            "destination": f"{DIAG} properties.workspaceId / storageAccountId / "
            "eventHubAuthorizationRuleId",
        },
    )


@dataclass(frozen=True)
class NodeIdentity:
    """A user-assigned identity on the nodes besides the kubelet's (object id, label)."""

    principal: str | None
    label: str


@dataclass(frozen=True)
class ClusterIdentities:
    """Who the cluster acts as: principal object ids, or why one is unknown."""

    control_plane: str | None
    control_plane_label: str
    kubelet: str | None
    kubelet_label: str
    service_principal: str | None = None
    """The application (client) id of the service principal a cluster without managed
    identities acts as, for the control plane and the kubelet alike. Its object id, which
    role assignments name, comes from Microsoft Graph."""

    node_extra: tuple[NodeIdentity, ...] = ()
    """Other identities the nodes carry, which pods reach through IMDS like the kubelet's:
    further ``identityProfile`` entries and the identities of enabled add-ons (AKS assigns
    those to the node pools' scale sets)."""

    def principals(self) -> set[str]:
        """The object ids known from the cluster body (for planning the role reads)."""
        extra = (n.principal for n in self.node_extra)
        return {p for p in (self.control_plane, self.kubelet, *extra) if p}


def identities(cluster: Mapping[str, Any]) -> ClusterIdentities:
    """The cluster (control-plane) identity and the kubelet identity, as principal ids."""
    p = props(cluster)
    identity = cluster.get("identity") or {}
    kind = str(identity.get("type") or "").lower()
    cp_id: str | None = None
    cp_label = str(cluster.get("id") or "")
    if kind == "systemassigned":
        cp_id = identity.get("principalId")
        cp_label = f"system-assigned identity of {cluster.get('name')}"
    elif kind == "userassigned":
        assigned = identity.get("userAssignedIdentities") or {}
        for resource_id, detail in assigned.items():
            cp_id, cp_label = (detail or {}).get("principalId"), resource_id
            break
    kubelet = (p.get("identityProfile") or {}).get("kubeletidentity") or {}
    client_id = str((p.get("servicePrincipalProfile") or {}).get("clientId") or "")
    extra = _node_extra(p, kubelet.get("objectId"))
    if kind in ("", "none") and client_id and client_id.lower() != "msi":
        label = f"service principal {client_id}"
        return ClusterIdentities(
            None, label, None, label, service_principal=client_id, node_extra=extra
        )
    return ClusterIdentities(
        control_plane=cp_id,
        control_plane_label=cp_label,
        kubelet=kubelet.get("objectId"),
        kubelet_label=str(kubelet.get("resourceId") or "kubelet identity"),
        node_extra=extra,
    )


def _node_extra(p: Mapping[str, Any], kubelet: str | None) -> tuple[NodeIdentity, ...]:
    """identityProfile entries other than the kubelet's, and enabled add-ons' identities,
    each once (an add-on may reuse an identity)."""
    found: list[NodeIdentity] = []
    for key, ident in (p.get("identityProfile") or {}).items():
        if key.lower() != "kubeletidentity" and ident:
            found.append(_node_identity(ident, f"identityProfile.{key}"))
    for name, addon in (p.get("addonProfiles") or {}).items():
        ident = (addon or {}).get("identity")
        if (addon or {}).get("enabled") and ident:
            found.append(_node_identity(ident, f"{name} add-on identity"))
    seen: set[str | None] = {kubelet} if kubelet else set()
    out: list[NodeIdentity] = []
    for node in found:
        if node.principal is None or node.principal not in seen:
            out.append(node)
            seen.add(node.principal)
    return tuple(out)


def _node_identity(ident: Mapping[str, Any], fallback: str) -> NodeIdentity:
    return NodeIdentity(ident.get("objectId") or None, str(ident.get("resourceId") or fallback))


IMDS_DETAIL = (
    "pods on AKS nodes can reach the instance metadata service (169.254.169.254) and get "
    "tokens for the kubelet identity unless a network policy blocks that egress"
)


def admin_ssh_key(cluster: Mapping[str, Any]) -> bool:
    """The cluster installs an admin SSH public key on its nodes (``linuxProfile``)."""
    ssh = (props(cluster).get("linuxProfile") or {}).get("ssh") or {}
    return any((k or {}).get("keyData") for k in ssh.get("publicKeys") or [])


def ssh_access(profile: Mapping[str, Any], admin_key: bool) -> tuple[bool | None, str | None]:
    """(SSH onto the pool's nodes?, why unknown): ``sshAccess`` LocalUser (the default) admits
    the cluster's admin key if it has one, EntraId admits Entra ID sign-ins, Disabled stops
    the SSH service."""
    mode = str((profile.get("securityProfile") or {}).get("sshAccess") or "LocalUser")
    match mode.lower():
        case "disabled":
            return False, None
        case "entraid":
            return True, None
        case "localuser":
            return admin_key, None
    return None, f"AKS reports sshAccess '{mode}', which cloudposture does not know"


def node_pool(
    profile: Mapping[str, Any],
    ingress: list[IngressRule] | None,
    identities: list[Identity],
    ingress_source: str,
    admin_key: bool,
) -> NodePool:
    """One agent pool: public IPs, NSG-reduced internet ingress, the identities its nodes
    carry (the kubelet's, then the others in :attr:`ClusterIdentities.node_extra`), IMDS,
    SSH (``admin_key``: the cluster has an admin SSH key, see :func:`admin_ssh_key`)."""
    name = str(profile.get("name") or "")
    path = f"{GET} properties.agentPoolProfiles[{name}]"
    ssh, ssh_unknown = ssh_access(profile, admin_key)
    return NodePool(
        name=name,
        kind="managed",
        public_ip=bool(profile.get("enableNodePublicIP")),
        internet_ingress=ingress,
        ssh_access=ssh,
        identities=identities,
        metadata_credentials_exposed=True,
        metadata_detail=IMDS_DETAIL,
        unknown_reasons=_reasons(ssh_access=ssh_unknown),
        not_applicable={
            "ssh_source_restricted": SSH_SOURCE_IS_NSG,
            "full_cloud_api_scope": NO_OAUTH_SCOPES,
        },
        sources={
            "public_ip": f"{path}.enableNodePublicIP",
            "ssh_access": f"{path}.securityProfile.sshAccess (LocalUser when absent) + "
            f"{GET} properties.linuxProfile.ssh.publicKeys",
            "internet_ingress": ingress_source,
            "identities": f"{GET} properties.identityProfile (kubeletidentity and any "
            "other) + addonProfiles[enabled].identity + "
            "authorization:RoleAssignments.ListForSubscription",
            "metadata_credentials_exposed": "AKS node design (IMDS reachable from pods)",
        },
    )


def identity(
    label: str, role: Literal["control-plane", "node"], summary: RoleSummary | None
) -> Identity:
    """An identity with its role assignments summarized (see :mod:`cloudposture_azure.roles`);
    ``summary`` None: they could not be read (the collection error says why)."""
    source = "authorization:RoleAssignments.ListForSubscription + RoleDefinitions.GetById"
    # Never a shared provider default: AKS makes each cluster its own identities, or the
    # customer brings them (a service principal, user-assigned identities).
    not_default = {"is_default": "AKS identity design (per-cluster or customer-provided)"}
    if summary is None:
        return Identity(id=label, role=role, is_default=False, sources=not_default)
    judged: tuple[str, ...] = ("admin_equivalent", "wildcard_grants", "grants")
    judged += ("exceeds_minimum",) if role == "control-plane" else ()
    return Identity(
        id=label,
        role=role,
        is_default=False,
        admin_equivalent=summary.admin_equivalent,
        wildcard_grants=summary.wildcard_grants,
        exceeds_minimum=summary.admin_equivalent if role == "control-plane" else None,
        grants=summary.grants,
        sources=not_default | dict.fromkeys(judged, source),
    )
