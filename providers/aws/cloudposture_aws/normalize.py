"""Pure functions: EKS / EC2 / KMS API answers (dicts shaped as boto3 returns them) -> model.

Nothing here does I/O, so every field the rules read is unit-tested with API-shaped JSON,
including the fields moto does not model. ``None`` always means "the API did not say";
defaults are applied only where AWS documents them, and the detail says which default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import yaml

from cloudposture.model import (
    WHOLE_INTERNET_V4,
    Authentication,
    EndpointAccess,
    EtcdAccess,
    Logging,
    NetworkPolicySupport,
    SecretsEncryption,
    VersionSupport,
    WorkloadIdentity,
)
from cloudposture_aws.versions import (
    END_OF_STANDARD_SUPPORT,
    TABLE_DATE,
    minor_version,
    newest_in_table,
)

DC = "eks:DescribeCluster cluster"


def not_returned(field: str) -> str:
    """The unknown reason for a field the EKS answer left out (the API documents it always)."""
    return f"eks:DescribeCluster did not return {field}"


NO_PROVIDER_RANGES = (
    "EKS has no switch that admits AWS's own address space: the public endpoint admits "
    "exactly publicAccessCidrs"
)

# --- row 1: API server endpoint and authentication ---------------------------------------


def endpoint_access(cluster: Mapping[str, Any]) -> EndpointAccess:
    """resourcesVpcConfig -> EndpointAccess. AWS reports ``publicAccessCidrs: [0.0.0.0/0]`` for
    an unrestricted public endpoint; an absent list with public access on means the same."""
    vpc = cluster.get("resourcesVpcConfig") or {}
    public = vpc.get("endpointPublicAccess")
    private = vpc.get("endpointPrivateAccess")
    cidrs: list[str] | None = None
    if public is True:
        cidrs = list(vpc.get("publicAccessCidrs") or []) or [WHOLE_INTERNET_V4]
    elif public is False:
        cidrs = []
    path = f"{DC}.resourcesVpcConfig"
    unknown: dict[str, str] = {}
    if not isinstance(public, bool):
        why = not_returned("resourcesVpcConfig.endpointPublicAccess")
        unknown = {"public_enabled": why, "authorized_cidrs": why}
    if not isinstance(private, bool):
        unknown["private_enabled"] = not_returned("resourcesVpcConfig.endpointPrivateAccess")
    return EndpointAccess(
        public_enabled=public if isinstance(public, bool) else None,
        private_enabled=private if isinstance(private, bool) else None,
        authorized_cidrs=cidrs,
        unknown_reasons=unknown,
        not_applicable={"provider_ranges_allowed": NO_PROVIDER_RANGES},
        sources={
            "public_enabled": f"{path}.endpointPublicAccess",
            "private_enabled": f"{path}.endpointPrivateAccess",
            "authorized_cidrs": f"{path}.publicAccessCidrs",
        },
    )


AUTH_MODE_SOURCE = f"{DC}.accessConfig.authenticationMode"


def authentication(cluster: Mapping[str, Any]) -> Authentication:
    """accessConfig.authenticationMode -> Authentication.

    EKS authenticates every caller through IAM (aws-iam-authenticator), so ``idp_enabled`` is
    always True. CONFIG_MAP means the aws-auth ConfigMap, editable by anyone with Kubernetes
    write access to kube-system, is the access list; API and API_AND_CONFIG_MAP use access
    entries managed through the EKS API. An absent accessConfig predates access entries
    (December 2023), when the aws-auth ConfigMap was the only mode.
    """
    mode = (cluster.get("accessConfig") or {}).get("authenticationMode")
    source = AUTH_MODE_SOURCE
    if mode is None:
        mode = "CONFIG_MAP"
        source = f"{AUTH_MODE_SOURCE} (absent: the pre-access-entries default CONFIG_MAP)"
    config_map = mode in ("CONFIG_MAP", "API_AND_CONFIG_MAP")
    return Authentication(
        idp_enabled=True,
        local_credentials_enabled=mode == "CONFIG_MAP",
        local_credential_kinds=["aws-auth ConfigMap"] if config_map else [],
        sources={
            "idp_enabled": f"{DC}.identity (EKS authenticates every caller with IAM)",
            "local_credentials_enabled": f"{source} = {mode}",
            "local_credential_kinds": f"{source} = {mode}",
        },
    )


# --- row 4 and 5: etcd, secrets encryption ------------------------------------------------


def etcd_access() -> EtcdAccess:
    return EtcdAccess(
        provider_managed=True,
        detail=(
            "EKS runs etcd inside the AWS-managed control plane: it is reachable only by the "
            "API server, over TLS, and never from the customer VPC"
        ),
        sources={"provider_managed": "Amazon EKS shared responsibility model (control plane)"},
    )


def secrets_key_arn(cluster: Mapping[str, Any]) -> str | None:
    """The KMS key that envelope-encrypts secrets, or None when no encryptionConfig covers them."""
    for entry in cluster.get("encryptionConfig") or []:
        key = (entry.get("provider") or {}).get("keyArn")
        if "secrets" in (entry.get("resources") or []) and key:
            return str(key)
    return None


ROTATION_PERIOD_NOT_RETURNED = (
    "kms:GetKeyRotationStatus reported rotation on but returned no RotationPeriodInDays"
)
VERSION_NOT_READABLE = "the cluster's Kubernetes version was not returned or not understood"


def provider_default_encryption(version: str | None) -> bool | None:
    """Since Kubernetes 1.28 EKS envelope-encrypts all API data with an AWS-owned key."""
    minor = minor_version(version) if version else None
    return None if minor is None else minor >= (1, 28)


def secrets_encryption(
    cluster: Mapping[str, Any],
    key: Mapping[str, Any] | None = None,
    rotation: Mapping[str, Any] | None = None,
    key_error: str | None = None,
) -> SecretsEncryption:
    """encryptionConfig (+ kms:DescribeKey ``KeyMetadata`` and kms:GetKeyRotationStatus)."""
    key_arn = secrets_key_arn(cluster)
    sources = {
        "customer_key_enabled": f"{DC}.encryptionConfig[].resources/provider.keyArn",
        "key_id": f"{DC}.encryptionConfig[].provider.keyArn",
        "provider_default_encryption": (
            f"{DC}.version >= 1.28: EKS default envelope encryption with an AWS owned key"
        ),
    }
    fields: dict[str, Any] = {}
    unknown: dict[str, str] = {}
    if key_arn and key is not None:
        state = key.get("KeyState")
        manager = key.get("KeyManager")
        fields = {
            "key_state": f"{state} ({manager} managed)" if manager else state,
            "key_usable": bool(key.get("Enabled")) and state == "Enabled",
        }
        sources["key_state"] = "kms:DescribeKey KeyMetadata.KeyState/KeyManager"
        sources["key_usable"] = "kms:DescribeKey KeyMetadata.Enabled/KeyState"
        if manager == "AWS":
            # AWS-managed keys rotate yearly and cannot be changed (KMS documentation).
            fields.update(rotation_enabled=True, rotation_period_days=365)
            sources["rotation_enabled"] = "kms:DescribeKey KeyManager = AWS (rotated yearly)"
        elif rotation is not None:
            fields["rotation_enabled"] = bool(rotation.get("KeyRotationEnabled"))
            period = rotation.get("RotationPeriodInDays")
            fields["rotation_period_days"] = int(period) if period else None
            sources["rotation_enabled"] = "kms:GetKeyRotationStatus KeyRotationEnabled"
            sources["rotation_period_days"] = "kms:GetKeyRotationStatus RotationPeriodInDays"
            if fields["rotation_enabled"] and not period:
                unknown["rotation_period_days"] = ROTATION_PERIOD_NOT_RETURNED
    default = provider_default_encryption(cluster.get("version"))
    if default is None:
        unknown["provider_default_encryption"] = VERSION_NOT_READABLE
    return SecretsEncryption(
        customer_key_enabled=key_arn is not None,
        key_id=key_arn,
        provider_default_encryption=default,
        key_error=key_error,
        sources=sources,
        unknown_reasons=unknown,
        **fields,
    )


# --- logging, version ---------------------------------------------------------------------

LOG_TYPES = {
    "api": "apiserver",
    "audit": "audit",
    "authenticator": "authenticator",
    "controllerManager": "controller-manager",
    "scheduler": "scheduler",
}


def logging_config(cluster: Mapping[str, Any]) -> Logging:
    """Every clusterLogging entry (EKS splits enabled and disabled types into separate ones)."""
    entries = (cluster.get("logging") or {}).get("clusterLogging")
    path = f"{DC}.logging.clusterLogging[]"
    if entries is None:
        why = not_returned("logging.clusterLogging")
        return Logging(
            sources={"components": path},
            unknown_reasons=dict.fromkeys(("audit_enabled", "components", "destination"), why),
        )
    enabled = [
        LOG_TYPES.get(t, "other")
        for entry in entries
        if entry.get("enabled") is True
        for t in entry.get("types") or []
    ]
    components = sorted(set(enabled))
    return Logging(
        audit_enabled="audit" in components,
        components=components,
        destination="CloudWatch Logs /aws/eks/<cluster>/cluster" if components else None,
        sources={"audit_enabled": path, "components": path, "destination": path},
    )


STANDARD = "STANDARD_SUPPORT"
VERSIONS_SOURCE = "eks:DescribeClusterVersions clusterVersions[].versionStatus"


def version_support(
    version: str | None, catalog: Sequence[Mapping[str, Any]] | None, today: date
) -> VersionSupport:
    """From eks:DescribeClusterVersions when it answered for this version, else the table."""
    if not version:
        return VersionSupport(
            sources={"version": f"{DC}.version"},
            unknown_reasons=dict.fromkeys(("version", "standard_support"), VERSION_NOT_READABLE),
        )
    base = {"version": f"{DC}.version"}
    for entry in catalog or []:
        if entry.get("clusterVersion") == version and entry.get("versionStatus"):
            status = str(entry["versionStatus"])
            end = entry.get("endOfStandardSupportDate")
            ends = f", standard support ends {_day(end)}" if end else ""
            return VersionSupport(
                version=version,
                standard_support=status == STANDARD,
                detail=f"EKS reports {status}{ends}",
                sources=base | {"standard_support": VERSIONS_SOURCE},
            )
    table = f"cloudposture EKS release calendar (as of {TABLE_DATE.isoformat()})"
    sources = base | {"standard_support": table}
    minor = minor_version(version)
    end_date = END_OF_STANDARD_SUPPORT.get(f"{minor[0]}.{minor[1]}") if minor else None
    if end_date is not None:
        within = today <= end_date
        verb = "ends" if within else "ended"
        return VersionSupport(
            version=version,
            standard_support=within,
            detail=f"standard support {verb} {end_date.isoformat()}",
            sources=sources,
        )
    if minor is not None and minor > newest_in_table():
        return VersionSupport(
            version=version,
            standard_support=True,
            detail="newer than every version in the release calendar: within standard support",
            sources=sources,
        )
    if minor is None:
        return VersionSupport(
            version=version,
            sources=sources,
            unknown_reasons={"standard_support": VERSION_NOT_READABLE},
        )
    return VersionSupport(
        version=version,
        standard_support=False,
        detail="older than every version in the release calendar",
        sources=sources,
    )


def _day(value: Any) -> str:
    return value.date().isoformat() if hasattr(value, "date") else str(value)[:10]


# --- workload identity, network policy ----------------------------------------------------

POD_IDENTITY_ADDON = "eks-pod-identity-agent"
VPC_CNI_ADDON = "vpc-cni"


def issuer_host_path(issuer: str | None) -> str | None:
    if not issuer:
        return None
    return issuer.removeprefix("https://").rstrip("/")


def workload_identity(
    issuer: str | None,
    oidc_provider_arns: Iterable[str] | None,
    addon_names: Iterable[str] | None,
) -> WorkloadIdentity:
    """IRSA (an IAM OIDC provider for the cluster issuer) or the EKS Pod Identity agent.

    ``None`` inputs were not readable; the answer is known when one mechanism was found, or
    when both were read and neither is there.
    """
    mechanisms: list[str] = []
    sources: dict[str, str] = {}
    wanted = issuer_host_path(issuer)
    if (
        oidc_provider_arns is not None
        and wanted
        and any(arn.split(":oidc-provider/", 1)[-1] == wanted for arn in oidc_provider_arns)
    ):
        mechanisms.append("IRSA")
    if addon_names is not None and POD_IDENTITY_ADDON in set(addon_names):
        mechanisms.append("EKS Pod Identity")
    sources["enabled"] = (
        "iam:ListOpenIDConnectProviders vs eks:DescribeCluster cluster.identity.oidc.issuer; "
        f"eks:ListAddons {POD_IDENTITY_ADDON}"
    )
    enabled: bool | None = True if mechanisms else None
    if not mechanisms and oidc_provider_arns is not None and addon_names is not None:
        enabled = False
    return WorkloadIdentity(enabled=enabled, mechanisms=mechanisms, sources=sources)


SELF_MANAGED_CNI = (
    "no EKS-managed vpc-cni add-on: the cluster runs a self-managed CNI, whose network-policy "
    "support the AWS API cannot show"
)


def network_policy(vpc_cni_addon: Mapping[str, Any] | None) -> NetworkPolicySupport:
    """vpc-cni add-on ``configurationValues.enableNetworkPolicy`` (a JSON or YAML string).

    Without the EKS-managed add-on the CNI is self-managed (or replaced by Calico, Cilium ...):
    the answer is unknown and the reason says so, rather than guessing either way.
    """
    if vpc_cni_addon is None:
        return NetworkPolicySupport(
            unknown_reasons={"enforced": SELF_MANAGED_CNI, "engine": SELF_MANAGED_CNI},
            sources={"enforced": f"eks:ListAddons {VPC_CNI_ADDON}"},
        )
    raw = vpc_cni_addon.get("configurationValues") or ""
    try:
        values = yaml.safe_load(raw) if raw else {}
    except yaml.YAMLError:
        values = None
    source = f"eks:DescribeAddon {VPC_CNI_ADDON} addon.configurationValues.enableNetworkPolicy"
    if not isinstance(values, dict):
        reason = "vpc-cni configurationValues could not be parsed"
        return NetworkPolicySupport(
            unknown_reasons={"enforced": reason, "engine": reason}, sources={"enforced": source}
        )
    flag = values.get("enableNetworkPolicy")
    enforced = str(flag).lower() == "true" if flag is not None else False
    return NetworkPolicySupport(
        enforced=enforced,
        engine="Amazon VPC CNI network policy agent" if enforced else None,
        sources={"enforced": source, "engine": source},
    )
