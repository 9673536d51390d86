"""normalize.py with API-shaped JSON, including the fields moto does not model.

moto 5 does not model: accessConfig, clusterSecurityGroupId, eks:DescribeClusterVersions,
add-ons (ListAddons / DescribeAddon configurationValues), KMS KeyManager=AWS keys and
RotationPeriodInDays. Those are covered here only, as the EKS / KMS APIs document them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from cloudposture_aws import normalize

from cloudposture.model import ClusterPosture, ClusterRef

TODAY = date(2026, 11, 23)


def vpc(**fields: Any) -> dict[str, Any]:
    return {"resourcesVpcConfig": {"subnetIds": ["subnet-1"], **fields}}


@pytest.mark.parametrize(
    ("cluster", "public", "private", "cidrs"),
    [
        # AWS answers publicAccessCidrs [0.0.0.0/0] for an unrestricted public endpoint ...
        (
            vpc(
                endpointPublicAccess=True,
                endpointPrivateAccess=False,
                publicAccessCidrs=["0.0.0.0/0"],
            ),
            True,
            False,
            ["0.0.0.0/0"],
        ),
        # ... and an absent list means the same.
        (vpc(endpointPublicAccess=True, endpointPrivateAccess=True), True, True, ["0.0.0.0/0"]),
        (
            vpc(
                endpointPublicAccess=True,
                endpointPrivateAccess=True,
                publicAccessCidrs=["203.0.113.0/24", "198.51.100.7/32"],
            ),
            True,
            True,
            ["203.0.113.0/24", "198.51.100.7/32"],
        ),
        (
            vpc(
                endpointPublicAccess=False,
                endpointPrivateAccess=True,
                publicAccessCidrs=["0.0.0.0/0"],
            ),
            False,
            True,
            [],
        ),
        ({}, None, None, None),
    ],
)
def test_endpoint_access(
    cluster: dict[str, Any], public: bool | None, private: bool | None, cidrs: list[str] | None
) -> None:
    got = normalize.endpoint_access(cluster)
    assert (got.public_enabled, got.private_enabled, got.authorized_cidrs) == (
        public,
        private,
        cidrs,
    )
    assert got.source_of("authorized_cidrs").endswith("resourcesVpcConfig.publicAccessCidrs")


@pytest.mark.parametrize(
    ("access", "local", "kinds"),
    [
        ({"authenticationMode": "CONFIG_MAP"}, True, ["aws-auth ConfigMap"]),
        ({"authenticationMode": "API_AND_CONFIG_MAP"}, False, ["aws-auth ConfigMap"]),
        ({"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": True}, False, []),
        (None, True, ["aws-auth ConfigMap"]),  # predates access entries: CONFIG_MAP
    ],
)
def test_authentication_modes(access: dict[str, Any] | None, local: bool, kinds: list[str]) -> None:
    cluster = {"accessConfig": access} if access is not None else {}
    got = normalize.authentication(cluster)
    assert got.idp_enabled is True
    assert got.local_credentials_enabled is local
    assert got.local_credential_kinds == kinds
    mode = (access or {}).get("authenticationMode", "CONFIG_MAP")
    assert got.source_of("local_credentials_enabled").endswith(f"= {mode}")


def test_logging_reads_every_cluster_logging_entry() -> None:
    cluster = {
        "logging": {
            "clusterLogging": [
                {"types": ["api", "scheduler"], "enabled": True},
                {"types": ["controllerManager", "authenticator"], "enabled": False},
                {"types": ["audit"], "enabled": True},
            ]
        }
    }
    got = normalize.logging_config(cluster)
    assert got.components == ["apiserver", "audit", "scheduler"]
    assert got.audit_enabled is True
    assert got.destination is not None


def test_logging_all_disabled_and_absent() -> None:
    off = {"logging": {"clusterLogging": [{"types": ["api", "audit"], "enabled": False}]}}
    got = normalize.logging_config(off)
    assert (got.components, got.audit_enabled, got.destination) == ([], False, None)
    unknown = normalize.logging_config({})
    assert (unknown.components, unknown.audit_enabled) == (None, None)


KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
WITH_KEY = {
    "version": "1.27",
    "encryptionConfig": [{"resources": ["secrets"], "provider": {"keyArn": KEY_ARN}}],
}


def test_secrets_with_customer_key_enabled_and_rotating() -> None:
    key = {"KeyId": "1234", "KeyState": "Enabled", "Enabled": True, "KeyManager": "CUSTOMER"}
    rotation = {"KeyRotationEnabled": True, "RotationPeriodInDays": 180}
    got = normalize.secrets_encryption(WITH_KEY, key, rotation)
    assert got.customer_key_enabled is True
    assert got.key_id == KEY_ARN
    assert got.key_usable is True
    assert got.key_state == "Enabled (CUSTOMER managed)"
    assert (got.rotation_enabled, got.rotation_period_days) == (True, 180)
    assert got.provider_default_encryption is False  # 1.27 predates default encryption


@pytest.mark.parametrize(
    ("state", "enabled", "usable"),
    [
        ("Disabled", False, False),
        ("PendingDeletion", False, False),
        ("Enabled", True, True),
        ("PendingImport", False, False),
    ],
)
def test_secrets_key_states(state: str, enabled: bool, usable: bool) -> None:
    key = {"KeyState": state, "Enabled": enabled, "KeyManager": "CUSTOMER"}
    got = normalize.secrets_encryption(WITH_KEY, key, {"KeyRotationEnabled": False})
    assert got.key_usable is usable
    assert got.rotation_enabled is False


def test_secrets_with_aws_managed_key_rotates_yearly() -> None:
    key = {"KeyState": "Enabled", "Enabled": True, "KeyManager": "AWS"}
    got = normalize.secrets_encryption(WITH_KEY, key)
    assert (got.rotation_enabled, got.rotation_period_days) == (True, 365)
    assert got.key_state == "Enabled (AWS managed)"


def test_secrets_key_unreadable_leaves_key_facts_unknown() -> None:
    got = normalize.secrets_encryption(WITH_KEY, key_error="kms:DescribeKey failed (AccessDenied)")
    assert got.customer_key_enabled is True
    assert (got.key_usable, got.key_state, got.rotation_enabled) == (None, None, None)
    assert got.key_error == "kms:DescribeKey failed (AccessDenied)"


@pytest.mark.parametrize(
    ("cluster", "customer", "default"),
    [
        ({"version": "1.30", "encryptionConfig": []}, False, True),
        ({"version": "1.28"}, False, True),
        ({"version": "1.27"}, False, False),
        # a config that covers no secrets, or names no key, is not secrets encryption
        (
            {
                "version": "1.29",
                "encryptionConfig": [
                    {"resources": ["configmaps"], "provider": {"keyArn": KEY_ARN}}
                ],
            },
            False,
            True,
        ),
        (
            {"version": "1.29", "encryptionConfig": [{"resources": ["secrets"], "provider": {}}]},
            False,
            True,
        ),
        ({}, False, None),
    ],
)
def test_secrets_without_customer_key(
    cluster: dict[str, Any], customer: bool, default: bool | None
) -> None:
    got = normalize.secrets_encryption(cluster)
    assert (got.customer_key_enabled, got.provider_default_encryption) == (customer, default)
    assert got.key_id is None


CATALOG: list[dict[str, Any]] = [
    {
        "clusterVersion": "1.33",
        "versionStatus": "STANDARD_SUPPORT",
        "endOfStandardSupportDate": datetime(2026, 7, 29, tzinfo=UTC),
    },
    {
        "clusterVersion": "1.30",
        "versionStatus": "EXTENDED_SUPPORT",
        "endOfStandardSupportDate": datetime(2025, 7, 23, tzinfo=UTC),
    },
    {"clusterVersion": "1.21", "versionStatus": "UNSUPPORTED"},
]


@pytest.mark.parametrize(
    ("version", "catalog", "today", "standard", "source_word"),
    [
        # DescribeClusterVersions is the authority when it names the version
        ("1.33", CATALOG, TODAY, True, "DescribeClusterVersions"),
        ("1.30", CATALOG, TODAY, False, "DescribeClusterVersions"),
        ("1.21", CATALOG, TODAY, False, "DescribeClusterVersions"),
        # else the embedded calendar, by date
        ("1.34", CATALOG, TODAY, True, "calendar"),
        ("1.34", None, date(2026, 12, 3), False, "calendar"),
        ("1.31", None, TODAY, False, "calendar"),
        ("1.31", None, date(2025, 11, 26), True, "calendar"),
        ("1.99", None, TODAY, True, "calendar"),  # newer than the calendar
        ("1.10", None, TODAY, False, "calendar"),  # older than the calendar
    ],
)
def test_version_support(
    version: str,
    catalog: list[dict[str, Any]] | None,
    today: date,
    standard: bool,
    source_word: str,
) -> None:
    got = normalize.version_support(version, catalog, today)
    assert got.version == version
    assert got.standard_support is standard
    assert source_word in got.source_of("standard_support")
    assert got.detail


def test_version_unknown_or_unparsable() -> None:
    assert normalize.version_support(None, CATALOG, TODAY).standard_support is None
    assert normalize.version_support("latest", None, TODAY).standard_support is None


ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
OIDC_ARN = (
    "arn:aws:iam::123456789012:oidc-provider/"
    "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
)
OTHER_ARN = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/OTHER"


@pytest.mark.parametrize(
    ("providers", "addons", "enabled", "mechanisms"),
    [
        ([OIDC_ARN], [], True, ["IRSA"]),
        ([OTHER_ARN], ["vpc-cni", "eks-pod-identity-agent"], True, ["EKS Pod Identity"]),
        ([OIDC_ARN], ["eks-pod-identity-agent"], True, ["IRSA", "EKS Pod Identity"]),
        ([OTHER_ARN], ["vpc-cni"], False, []),
        (None, ["eks-pod-identity-agent"], True, ["EKS Pod Identity"]),
        ([OIDC_ARN], None, True, ["IRSA"]),
        (None, ["vpc-cni"], None, []),  # providers unreadable, no agent: unknown
        ([OTHER_ARN], None, None, []),  # add-ons unreadable, no IRSA: unknown
    ],
)
def test_workload_identity(
    providers: list[str] | None,
    addons: list[str] | None,
    enabled: bool | None,
    mechanisms: list[str],
) -> None:
    got = normalize.workload_identity(ISSUER, providers, addons)
    assert (got.enabled, got.mechanisms) == (enabled, mechanisms)


@pytest.mark.parametrize(
    ("configuration", "enforced"),
    [
        ('{"enableNetworkPolicy": "true"}', True),
        ('{"enableNetworkPolicy": "false", "env": {"WARM_IP_TARGET": "5"}}', False),
        ("enableNetworkPolicy: true\n", True),  # configurationValues may be YAML
        ("", False),
        ('{"env": {"ENABLE_PREFIX_DELEGATION": "true"}}', False),
    ],
)
def test_network_policy_from_vpc_cni_configuration(configuration: str, enforced: bool) -> None:
    addon = {
        "addonName": "vpc-cni",
        "addonVersion": "v1.18.1-eksbuild.1",
        "configurationValues": configuration,
    }
    got = normalize.network_policy(addon)
    assert got.enforced is enforced
    assert (got.engine is not None) is enforced


def test_network_policy_self_managed_cni_is_unknown_with_reason() -> None:
    got = normalize.network_policy(None)
    assert got.enforced is None
    ref = ClusterRef(provider="aws", account="1", region="r", name="c", native_id="arn")
    posture = ClusterPosture(ref=ref, network_policy=got)
    assert "self-managed CNI" in posture.reason_unknown("network_policy.enforced")


def test_network_policy_unparsable_configuration_is_unknown() -> None:
    got = normalize.network_policy({"configurationValues": "{not: [valid"})
    assert got.enforced is None
    assert "parsed" in got.unknown_reasons["enforced"]


def test_etcd_is_provider_managed() -> None:
    got = normalize.etcd_access()
    assert got.provider_managed is True
    assert got.detail is not None
    assert "TLS" in got.detail


# --- every None says why (the posture contract, tests/contract) --------------------------


def test_endpoint_declares_provider_ranges_not_applicable_and_omissions_unknown() -> None:
    got = normalize.endpoint_access(vpc(endpointPublicAccess=True, endpointPrivateAccess=True))
    assert got.not_applicable == {"provider_ranges_allowed": normalize.NO_PROVIDER_RANGES}
    assert got.unknown_reasons == {}
    omitted = normalize.endpoint_access({})
    assert set(omitted.unknown_reasons) == {"public_enabled", "authorized_cidrs", "private_enabled"}
    assert "endpointPublicAccess" in omitted.unknown_reasons["public_enabled"]


def test_rotation_on_without_a_period_says_the_api_left_it_out() -> None:
    key = {"KeyState": "Enabled", "Enabled": True, "KeyManager": "CUSTOMER"}
    got = normalize.secrets_encryption(WITH_KEY, key, {"KeyRotationEnabled": True})
    assert (got.rotation_enabled, got.rotation_period_days) == (True, None)
    assert got.unknown_reasons == {"rotation_period_days": normalize.ROTATION_PERIOD_NOT_RETURNED}
    off = normalize.secrets_encryption(WITH_KEY, key, {"KeyRotationEnabled": False})
    assert off.unknown_reasons == {}  # rotation off: no period, implied by the section itself


def test_unknown_version_gives_its_reason_to_every_fact_it_decides() -> None:
    for version in (None, "latest"):
        got = normalize.version_support(version, CATALOG, TODAY)
        assert got.unknown_reasons["standard_support"] == normalize.VERSION_NOT_READABLE
        enc = normalize.secrets_encryption({"version": version} if version else {})
        assert enc.unknown_reasons == {
            "provider_default_encryption": normalize.VERSION_NOT_READABLE
        }


def test_absent_logging_and_unparsable_cni_config_say_why() -> None:
    logs = normalize.logging_config({})
    assert set(logs.unknown_reasons) == {"audit_enabled", "components", "destination"}
    net = normalize.network_policy({"configurationValues": "{not: [valid"})
    assert net.unknown_reasons["engine"] == net.unknown_reasons["enforced"]
