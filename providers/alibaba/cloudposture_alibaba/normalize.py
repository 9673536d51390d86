"""ACK, SLB, KMS and log answers -> the neutral model's cluster-level sections (pure).

Every function takes API-shaped dicts (snake_case for ACK's ROA API, PascalCase for the RPC
APIs of ECS, SLB, RAM and KMS), so the unit tests feed the API references' examples straight
in. Node pools live in :mod:`cloudposture_alibaba.node_pools`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from cloudposture.model import (
    WHOLE_INTERNET_V4,
    Authentication,
    ClusterRef,
    EndpointAccess,
    EtcdAccess,
    Logging,
    NetworkPolicySupport,
    SecretsEncryption,
    VersionSupport,
    WorkloadIdentity,
)
from cloudposture_alibaba.meta import DETAIL, Parsed, addon_config, addons, capabilities

MANAGED = "ManagedKubernetes"
DEDICATED = "Kubernetes"
LOG_COMPONENTS: Mapping[str, str] = {
    "apiserver": "apiserver",
    "kcm": "controller-manager",
    "scheduler": "scheduler",
}
_KMS = "kms:DescribeKey KeyMetadata"

NO_PROVIDER_RANGES = (
    "ACK has no switch that admits Alibaba Cloud's own address ranges: the API server "
    "listener's ACL alone decides who connects"
)
"""Why ``endpoint.provider_ranges_allowed`` (a GKE switch) is not applicable on ACK."""


def cluster_ref(account: str, region: str, cluster: Mapping[str, Any]) -> ClusterRef:
    """A DescribeClustersV1 entry (or a DescribeClusterDetail answer) -> ClusterRef."""
    cluster_id = str(cluster.get("cluster_id") or "")
    tags = {
        str(t.get("key")): str(t.get("value") or "")
        for t in cluster.get("tags") or []
        if isinstance(t, Mapping) and t.get("key")
    }
    return ClusterRef(
        provider="alibaba",
        account=account,
        region=str(cluster.get("region_id") or region),
        name=str(cluster.get("name") or cluster_id),
        native_id=f"acs:cs:{region}:{account}:cluster/{cluster_id}",
        tags=tags,
    )


@dataclass(frozen=True)
class ListenerAcl:
    """The API server listener's access control, as SLB reports it."""

    status: str
    """AclStatus: on / off."""
    type: str = ""
    """AclType: white / black."""
    acl_ids: tuple[str, ...] = ()
    entries: tuple[str, ...] = ()
    """The AclEntryIP values of every associated ACL."""
    port: int = 6443
    load_balancer: str = ""


def api_server_port(master: Parsed) -> int:
    url = str(master.value.get("api_server_endpoint") or "")
    try:
        return urlsplit(url).port or 6443
    except ValueError:
        return 6443


def listener_acl_ids(listener: Mapping[str, Any]) -> tuple[str, ...]:
    ids = [str(i) for i in ((listener.get("AclIds") or {}).get("AclId") or [])]
    if listener.get("AclId"):
        ids.append(str(listener["AclId"]))
    return tuple(dict.fromkeys(i for i in ids if i))


def acl_entries(acl: Mapping[str, Any]) -> list[str]:
    return [
        str(e.get("AclEntryIP"))
        for e in (acl.get("AclEntrys") or {}).get("AclEntry") or []
        if e.get("AclEntryIP")
    ]


def endpoint(master: Parsed, acl: ListenerAcl | None, acl_error: str | None) -> EndpointAccess:
    """``master_url`` says whether a public endpoint exists; the API server SLB listener's
    ACL says who may reach it. CLB forwards every request when access control is off, when
    the list is a blacklist (everyone but the listed), and when a whitelist has no entry."""
    src = f"{DETAIL} master_url"
    if not master.ok:
        reason = master.error or "master_url unreadable"
        return EndpointAccess(
            unknown_reasons={
                "public_enabled": reason,
                "private_enabled": reason,
                "authorized_cidrs": reason,
            },
            not_applicable={"provider_ranges_allowed": NO_PROVIDER_RANGES},
        )
    public = bool(master.value.get("api_server_endpoint"))
    private = bool(master.value.get("intranet_api_server_endpoint"))
    sources = {
        "public_enabled": f"{src}.api_server_endpoint",
        "private_enabled": f"{src}.intranet_api_server_endpoint",
    }
    if not public:
        return EndpointAccess(
            public_enabled=False,
            private_enabled=private,
            authorized_cidrs=[],
            sources={**sources, "authorized_cidrs": f"{src} (no public endpoint)"},
            not_applicable={"provider_ranges_allowed": NO_PROVIDER_RANGES},
        )
    cidrs: list[str] | None = None
    unknown: dict[str, str] = {}
    if acl is None:
        unknown["authorized_cidrs"] = acl_error or "the API server listener ACL was not read"
        where = "slb:DescribeLoadBalancerTCPListenerAttribute (not read)"
    else:
        cidrs, where = _acl_cidrs(acl)
    return EndpointAccess(
        public_enabled=True,
        private_enabled=private,
        authorized_cidrs=cidrs,
        sources={**sources, "authorized_cidrs": where},
        unknown_reasons=unknown,
        not_applicable={"provider_ranges_allowed": NO_PROVIDER_RANGES},
    )


def _acl_cidrs(acl: ListenerAcl) -> tuple[list[str], str]:
    where = (
        f"slb:DescribeLoadBalancerTCPListenerAttribute {acl.load_balancer}:{acl.port} "
        f"AclStatus={acl.status or 'off'} AclType={acl.type or '-'} "
        f"AclIds={','.join(acl.acl_ids) or '-'}"
    )
    if acl.status.lower() != "on":
        detail = "access control off"
    elif acl.type.lower() != "white":
        detail = "blacklist"
    elif not acl.entries:
        detail = "whitelist with no entry"
    else:
        return list(acl.entries), f"{where} -> slb:DescribeAccessControlListAttribute AclEntrys"
    return [WHOLE_INTERNET_V4], f"{where} ({detail}: every address may connect)"


def authentication(meta: Parsed) -> Authentication:
    """ACK issues X.509 client-certificate kubeconfigs bound to RAM identities and cannot
    refuse them; ack-ram-authenticator adds RAM-token authentication."""
    names = {str(a.get("name")) for a in addons(meta)}
    return Authentication(
        idp_enabled="ack-ram-authenticator" in names if meta.ok else None,
        local_credentials_enabled=True,
        local_credential_kinds=["X.509 client-certificate kubeconfigs"],
        sources={
            "idp_enabled": f"{DETAIL} meta_data.Addons (ack-ram-authenticator)",
            "local_credentials_enabled": "ACK service design (DescribeClusterUserKubeconfig)",
        },
        unknown_reasons={} if meta.ok else {"idp_enabled": meta.error or "meta_data unreadable"},
    )


CONTROL_PLANE_IDENTITY: Mapping[str, str] = {
    MANAGED: "ACK's managed control plane calls cloud APIs as Alibaba Cloud service roles "
    "(AliyunCSManagedKubernetesRole and friends) whose policies Alibaba Cloud maintains",
    DEDICATED: "a dedicated cluster's masters are ECS instances in your account: their RAM "
    "role belongs to the 'masters' node pool, and ACK's own calls use Alibaba Cloud's "
    "service roles",
}
"""Why an ACK cluster has no control-plane identity of its own, by ``cluster_type``."""


def control_plane_identity(cluster: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """``(not_applicable, unknown_reasons)`` for the posture's ``control_plane_identity``."""
    kind = str(cluster.get("cluster_type") or "")
    if kind in CONTROL_PLANE_IDENTITY:
        return {"control_plane_identity": CONTROL_PLANE_IDENTITY[kind]}, {}
    why = f"cluster_type {kind or '(absent)'} is not an ACK managed or dedicated cluster"
    return {}, {"control_plane_identity": why}


def etcd(cluster: Mapping[str, Any]) -> EtcdAccess:
    kind = str(cluster.get("cluster_type") or "")
    src = {"provider_managed": f"{DETAIL} cluster_type={kind or '-'}"}
    if kind == MANAGED:
        return EtcdAccess(
            provider_managed=True,
            detail="ACK managed cluster: Alibaba Cloud runs the control plane and etcd, "
            "reachable only by the API server over TLS (shared responsibility)",
            sources=src,
        )
    if kind == DEDICATED:
        return EtcdAccess(
            provider_managed=False,
            detail="ACK dedicated cluster: the masters and etcd run on ECS instances in your "
            "account; their access and TLS are yours to prove",
            sources=src,
        )
    return EtcdAccess(
        sources=src,
        unknown_reasons={
            "provider_managed": f"cluster_type {kind or '(absent)'} is not an "
            "ACK managed or dedicated cluster"
        },
    )


def workload_identity(cluster: Mapping[str, Any], meta: Parsed) -> WorkloadIdentity:
    """RRSA (RAM Roles for Service Accounts): ``rrsa_config.enabled``, or meta_data's
    ``RRSAConfig.enabled`` on API versions that only report it there."""
    rrsa = cluster.get("rrsa_config")
    source = f"{DETAIL} rrsa_config.enabled"
    if not isinstance(rrsa, Mapping) or rrsa.get("enabled") is None:
        rrsa = meta.value.get("RRSAConfig")
        source = f"{DETAIL} meta_data.RRSAConfig.enabled"
    if not isinstance(rrsa, Mapping) or rrsa.get("enabled") is None:
        return WorkloadIdentity(
            unknown_reasons={
                "enabled": "neither rrsa_config nor meta_data.RRSAConfig says "
                "whether RRSA is on" + (f" ({meta.error})" if meta.error else "")
            }
        )
    on = rrsa.get("enabled") is True or str(rrsa.get("enabled")).lower() == "true"
    return WorkloadIdentity(
        enabled=on, mechanisms=["rrsa"] if on else [], sources={"enabled": source}
    )


def network_policy(meta: Parsed) -> NetworkPolicySupport:
    """Terway enforces NetworkPolicy only with its ``NetworkPolicy`` option on; Calico always;
    Flannel never."""
    src = {"enforced": f"{DETAIL} meta_data.Addons (network plugin and its config)"}
    if not meta.ok:
        reason = meta.error or "meta_data unreadable"
        return NetworkPolicySupport(sources=src, unknown_reasons=dict.fromkeys(_POLICY, reason))
    plugins = {str(a.get("name") or ""): a for a in addons(meta)}
    terway = [a for n, a in plugins.items() if n.startswith("terway")]
    if any(n.startswith("calico") for n in plugins):
        return NetworkPolicySupport(enforced=True, engine="calico", sources=src)
    if any(_on(addon_config(a).get("NetworkPolicy")) for a in terway):
        return NetworkPolicySupport(enforced=True, engine="terway", sources=src)
    if terway or any("flannel" in n for n in plugins):
        engine = "terway (NetworkPolicy option off)" if terway else "flannel"
        return NetworkPolicySupport(enforced=False, engine=engine, sources=src)
    network = str((capabilities(meta) or {}).get("Network") or "")
    reason = f"meta_data names no known network plugin (Capabilities.Network={network or '-'})"
    return NetworkPolicySupport(sources=src, unknown_reasons=dict.fromkeys(_POLICY, reason))


_POLICY = ("enforced", "engine")
"""What an unreadable or unknown network plugin leaves unknown: whether and which engine."""


def _on(value: object) -> bool:
    return value is True or str(value).lower() == "true"


@dataclass(frozen=True)
class KeyFacts:
    state: str | None = None
    usable: bool | None = None
    rotation_enabled: bool | None = None
    rotation_days: int | None = None
    error: str | None = None
    unknown: Mapping[str, str] = field(default_factory=dict)
    """SecretsEncryption field -> why DescribeKey's answer leaves it None."""


_KEY_STATE = ("key_state", "key_usable", "rotation_enabled", "rotation_period_days")
"""The SecretsEncryption facts DescribeKey answers."""
_ENCRYPTION = ("customer_key_enabled", "provider_default_encryption", "key_id", *_KEY_STATE)
"""What an unreadable EncryptionKMSKeyId leaves unknown: whether there is a key, and so
every fact about it."""
_KEY_NOT_READ = KeyFacts(unknown=dict.fromkeys(_KEY_STATE, "the KMS key was not read"))


def key_facts(body: Mapping[str, Any]) -> KeyFacts:
    """kms:DescribeKey: KeyState Enabled is usable (Disabled, PendingDeletion, PendingImport
    are not); AutomaticRotation Enabled rotates (Disabled and Suspended do not)."""
    meta = body.get("KeyMetadata") or {}
    state = str(meta.get("KeyState") or "") or None
    rotation = str(meta.get("AutomaticRotation") or "") or None
    interval = re.fullmatch(r"(\d+)s", str(meta.get("RotationInterval") or ""))
    unknown: dict[str, str] = {}
    if state is None:
        unknown |= dict.fromkeys(("key_state", "key_usable"), f"{_KMS}.KeyState is absent")
    if rotation is None:
        why = f"{_KMS}.AutomaticRotation is absent"
        unknown |= dict.fromkeys(("rotation_enabled", "rotation_period_days"), why)
    elif rotation == "Enabled" and not interval:
        unknown["rotation_period_days"] = (
            f"{_KMS}.RotationInterval is absent or not a number of seconds"
        )
    return KeyFacts(
        state=state,
        usable=None if state is None else state == "Enabled",
        rotation_enabled=None if rotation is None else rotation == "Enabled",
        rotation_days=int(interval.group(1)) // 86400 if interval else None,
        unknown=unknown,
    )


def secrets_encryption(meta: Parsed, key: KeyFacts | None) -> SecretsEncryption:
    """``meta_data`` Capabilities.EncryptionKMSKeyId: a key id means secrets are envelope-
    encrypted with that KMS key; an empty string means they are not. Absent or unparseable:
    unknown, never a PASS."""
    src = f"{DETAIL} meta_data.Capabilities.EncryptionKMSKeyId"
    caps = capabilities(meta)
    if not meta.ok or caps is None or "EncryptionKMSKeyId" not in caps:
        reason = meta.error or f"{src} is absent"
        return SecretsEncryption(
            sources={"customer_key_enabled": src},
            unknown_reasons=dict.fromkeys(_ENCRYPTION, reason),
        )
    key_id = str(caps.get("EncryptionKMSKeyId") or "")
    on = bool(key_id)
    facts = key or _KEY_NOT_READ
    return SecretsEncryption(
        customer_key_enabled=on,
        key_id=key_id or None,
        # Without KMS, ACK stores secrets in etcd on encrypted disks, not envelope-encrypted.
        provider_default_encryption=False,
        key_state=facts.state if on else None,
        key_usable=facts.usable if on else None,
        rotation_enabled=facts.rotation_enabled if on else None,
        rotation_period_days=facts.rotation_days if on else None,
        key_error=facts.error if on else None,
        unknown_reasons=dict(facts.unknown) if on and not facts.error else {},
        sources={
            "customer_key_enabled": src,
            "key_id": src,
            "key_state": f"{_KMS}.KeyState",
            "key_usable": f"{_KMS}.KeyState",
            "rotation_enabled": f"{_KMS}.AutomaticRotation",
            "rotation_period_days": f"{_KMS}.RotationInterval",
        },
    )


@dataclass(frozen=True)
class LogInputs:
    control_plane: Mapping[str, Any] | None = None
    audit: Mapping[str, Any] | None = None
    errors: Mapping[str, str] = field(default_factory=dict)


def log_components(body: Mapping[str, Any]) -> list[str]:
    """CheckControlPlaneLogEnable ``components``: a list of names, and in the API reference's
    own example a list holding one JSON-encoded list; both are read."""
    import json

    names: list[str] = []
    for item in body.get("components") or []:
        text = str(item).strip()
        if text.startswith("["):
            try:
                names.extend(str(n) for n in json.loads(text))
                continue
            except json.JSONDecodeError:
                pass
        names.append(text)
    return names


NO_LOG_PROJECT = (
    "logs are shipped but neither GetClusterAuditProject sls_project_name nor "
    "CheckControlPlaneLogEnable log_project names the Simple Log Service project"
)


def logging(inputs: LogInputs) -> Logging:
    cp = inputs.control_plane
    audit = inputs.audit
    components = None
    if cp is not None:
        components = sorted(
            {LOG_COMPONENTS.get(n, "other") for n in log_components(cp)} - {"other"}
        )
    audit_on = None if audit is None else audit.get("audit_enabled") is True
    project = (audit or {}).get("sls_project_name") or (cp or {}).get("log_project")
    unknown: dict[str, str] = {}
    shipped = audit_on is True or bool(components)
    if not project and audit is not None and cp is not None and shipped:
        unknown["destination"] = NO_LOG_PROJECT
    return Logging(
        audit_enabled=audit_on,
        components=components,
        destination=f"Simple Log Service project {project}" if project else None,
        unknown_reasons=unknown,
        sources={
            "audit_enabled": "cs:GetClusterAuditProject audit_enabled",
            "components": "cs:CheckControlPlaneLogEnable components",
            "destination": "cs:GetClusterAuditProject sls_project_name / log_project",
        },
    )


def minor(version: str) -> tuple[int, int] | None:
    found = re.match(r"v?(\d+)\.(\d+)", version)
    return (int(found.group(1)), int(found.group(2))) if found else None


def version(
    cluster: Mapping[str, Any],
    offered: Sequence[Mapping[str, Any]] | None,
    now: datetime | None = None,
) -> VersionSupport:
    """The cluster's ``current_version`` against the versions DescribeKubernetesVersionMetadata
    lists as supported: its minor must be listed and not past its ``expiration_date``."""
    current = str(cluster.get("current_version") or "")
    src = {
        "version": f"{DETAIL} current_version",
        "standard_support": "cs:DescribeKubernetesVersionMetadata (Mode=supported) version, "
        "expiration_date",
    }
    wanted = minor(current)
    if offered is None or wanted is None:
        why = "current_version is absent or not a version" if wanted is None else ""
        unknown = {"standard_support": why} if why else {}
        if not current:
            unknown["version"] = f"{DETAIL} has no current_version"
        return VersionSupport(version=current or None, sources=src, unknown_reasons=unknown)
    now = now or datetime.now(UTC)
    same = [v for v in offered if minor(str(v.get("version") or "")) == wanted]
    if not same:
        listed = ", ".join(sorted({str(v.get("version")) for v in offered})) or "none"
        return VersionSupport(
            version=current,
            standard_support=False,
            detail=f"ACK no longer lists {wanted[0]}.{wanted[1]} (supported: {listed})",
            sources=src,
        )
    ends = [_date(v.get("expiration_date")) for v in same]
    known = [e for e in ends if e is not None]
    if known and all(e <= now for e in known) and len(known) == len(ends):
        return VersionSupport(
            version=current,
            standard_support=False,
            detail=f"support ended {max(known).date().isoformat()}",
            sources=src,
        )
    end = max(known).date().isoformat() if known else None
    return VersionSupport(
        version=current,
        standard_support=True,
        detail=f"supported until {end}" if end else "listed as supported",
        sources=src,
    )


def _date(value: object) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
