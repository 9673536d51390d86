"""The scanner against the fake ARM: real SDK clients, real pagination, the issue's clusters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cloudposture_azure.guidance import NOT_APPLICABLE
from cloudposture_azure.permissions import CALLS

from cloudposture.model import ClusterPosture, ClusterRef, CollectionFailure, Finding, Status
from cloudposture.plugin import Target
from cloudposture.rules.base import RuleSettings
from cloudposture.rules.catalog import ALL_RULES
from cloudposture.rules.evaluate import evaluate_all
from tests.providers.azure.aks_clients import make_scanner
from tests.providers.azure.aks_fake import FakeArm
from tests.providers.azure.aks_world import (
    DENIED,
    EXPECTED_FAILS,
    SUB,
    SUBNET,
    SUBNET_NSG,
    cluster_id,
)


def scan(fake: FakeArm) -> dict[str, ClusterPosture]:
    scanner = make_scanner(fake, (SUB,))
    (target,) = scanner.targets()
    return {ref.name: scanner.collect(ref) for ref in scanner.discover(target)}


def findings(posture: ClusterPosture) -> dict[str, Finding]:
    now = datetime.now(UTC)
    found = evaluate_all(posture, ALL_RULES, RuleSettings(), scan_id="t", now=now)
    return {f.rule_id: f for f in found}


@pytest.fixture
def postures(world: FakeArm) -> dict[str, ClusterPosture]:
    result = scan(world)
    assert world.problems == []  # every request hit a route at the api-version the SDK sends
    return result


def test_exact_fail_set_per_cluster(postures: dict[str, ClusterPosture]) -> None:
    fails = {
        name: {rid for rid, f in findings(p).items() if f.status is Status.FAIL}
        for name, p in postures.items()
    }
    assert fails == EXPECTED_FAILS


# Every rule that applies to AKS: (rule, cluster where it PASSes, cluster where it FAILs).
PASS_FAIL = [
    ("CP-001", "public-narrow", "public-wide"),
    ("CP-002", "hardened", "public-narrow"),
    ("CP-003", "public-narrow", "public-broad"),
    ("CP-004", "hardened", "public-wide"),
    ("NODE-001", "hardened", "public-wide"),
    ("NODE-002", "public-narrow", "public-wide"),
    ("NODE-003", "public-broad", "public-wide"),
    ("IAM-001", "public-narrow", "public-wide"),
    ("IAM-002", "hardened", "public-wide"),
    ("IAM-005", "hardened", "public-narrow"),
    ("ENC-001", "hardened", "public-wide"),
    ("ENC-002", "hardened", "public-broad"),
    ("LOG-001", "public-broad", "public-narrow"),
    ("LOG-002", "hardened", "public-narrow"),
    ("VER-001", "hardened", "public-wide"),
    ("NET-001", "public-narrow", "public-wide"),
    ("PATH-001", "hardened", "public-wide"),
]


@pytest.mark.parametrize(("rule", "passing", "failing"), PASS_FAIL)
def test_each_aks_rule_passes_and_fails(
    postures: dict[str, ClusterPosture], rule: str, passing: str, failing: str
) -> None:
    assert findings(postures[passing])[rule].status is Status.PASS
    assert findings(postures[failing])[rule].status is Status.FAIL


def test_every_applicable_rule_has_a_pass_and_fail_case() -> None:
    applicable = {r.meta.id for r in ALL_RULES if r.meta.id not in NOT_APPLICABLE}
    assert applicable - {"ETCD-001"} == {rule for rule, _, _ in PASS_FAIL}


def test_not_applicable_on_aks_and_etcd_provider_managed(
    postures: dict[str, ClusterPosture],
) -> None:
    found = findings(postures["public-wide"])
    for rule in ("NODE-004", "IAM-003", "IAM-004", "IAM-006"):
        assert found[rule].status is Status.NOT_APPLICABLE, rule
        assert NOT_APPLICABLE[rule] in found[rule].message
    assert found["ETCD-001"].status is Status.PASS


def test_unreadable_kms_key_is_an_error_with_the_reason(
    postures: dict[str, ClusterPosture],
) -> None:
    narrow = postures["public-narrow"]
    enc = narrow.secrets_encryption
    assert (enc.customer_key_enabled, enc.key_usable) == (True, None)
    assert enc.key_error is not None
    assert "Forbidden" in enc.key_error
    finding = findings(narrow)["ENC-002"]
    assert finding.status is Status.ERROR
    assert "narrowkv" in finding.message
    (error,) = narrow.collection_errors
    assert (error.call, error.kind) == ("keyvault:Keys.GetVersion", "denied")


def test_endpoint_and_authentication_facts(postures: dict[str, ClusterPosture]) -> None:
    hardened, wide = postures["hardened"], postures["public-wide"]
    assert (hardened.endpoint.public_enabled, hardened.endpoint.authorized_cidrs) == (False, [])
    assert wide.endpoint.authorized_cidrs == ["0.0.0.0/0"]
    assert postures["public-narrow"].endpoint.authorized_cidrs == [
        "203.0.113.0/24",
        "10.20.0.0/16",
    ]
    assert (hardened.authentication.idp_enabled, wide.authentication.idp_enabled) == (True, False)
    assert wide.authentication.local_credentials_enabled is True
    assert hardened.authentication.local_credentials_enabled is False


def test_node_pool_facts(postures: dict[str, ClusterPosture]) -> None:
    (wide,) = postures["public-wide"].node_pools or []
    assert wide.public_ip is True
    assert {
        (r.protocol, r.port_from, r.kubernetes_service) for r in wide.internet_ingress or []
    } == {
        ("tcp", 22, False),
        ("tcp", 10250, False),
        ("tcp", 8080, False),
        ("tcp", 443, True),
    }
    assert wide.identities is not None
    assert len(wide.identities) == 1
    assert wide.identities[0].admin_equivalent is True
    assert wide.identities[0].grants == [f"Contributor at subscription scope /subscriptions/{SUB}"]
    assert wide.metadata_credentials_exposed is True
    (hardened,) = postures["hardened"].node_pools or []
    # the subnet NSG's Deny from the internet at 4000 hides the Allow 22 at 4001
    assert [r.describe() for r in hardened.internet_ingress or []] == [
        "tcp/80 from Internet (nodes-nsg/k8s-azure-lb_allow_IPv4_0123abcd)"
    ]
    narrow = postures["public-narrow"].node_pools or []
    assert [p.name for p in narrow] == ["pool1", "pool2"]  # from AgentPools.List, two pages
    assert all(p.internet_ingress == [] for p in narrow)
    assert narrow[0].identities is not None
    assert len(narrow[0].identities) == 1
    assert narrow[0].identities[0].admin_equivalent is False
    assert "resource-group scope" in narrow[0].identities[0].grants[0]


def test_identity_logging_version_policy_facts(postures: dict[str, ClusterPosture]) -> None:
    wide, hardened = postures["public-wide"], postures["hardened"]
    assert wide.control_plane_identity is not None
    assert wide.control_plane_identity.exceeds_minimum is True
    assert hardened.control_plane_identity is not None
    assert hardened.control_plane_identity.exceeds_minimum is False
    assert hardened.logging.components == ["apiserver", "audit", "controller-manager", "scheduler"]
    assert hardened.logging.destination is not None
    assert hardened.logging.destination.startswith("log-analytics:")
    assert (wide.logging.audit_enabled, wide.logging.components) == (False, [])
    assert postures["public-narrow"].logging.destination.startswith("storage:")  # type: ignore[union-attr]
    assert (wide.version.version, wide.version.standard_support) == ("1.27.9", False)
    assert postures["public-broad"].version.standard_support is False
    assert (hardened.network_policy.enforced, hardened.network_policy.engine) == (True, "cilium")
    assert wide.network_policy.enforced is False
    assert hardened.workload_identity.enabled is True
    assert postures["public-narrow"].workload_identity.enabled is False
    rotation = hardened.secrets_encryption
    assert (rotation.rotation_enabled, rotation.rotation_period_days) == (True, 90)
    assert postures["public-broad"].secrets_encryption.key_state is not None
    assert "expired" in postures["public-broad"].secrets_encryption.key_state


def test_shared_lookups_are_read_once_and_clusters_never_fetched_again(world: FakeArm) -> None:
    scan(world)
    assert world.count(SUBNET) == 1  # two clusters' pools sit on it
    assert world.count(SUBNET_NSG) == 1
    versions = f"/subscriptions/{SUB}/providers/Microsoft.ContainerService/locations/westeurope"
    assert world.count(f"{versions}/kubernetesVersions") == 1
    assert world.count(cluster_id("hardened")) == 0  # the list's body is reused
    listed = f"/subscriptions/{SUB}/providers/Microsoft.ContainerService/managedClusters"
    assert world.count(listed) == 2  # two pages through nextLink
    assert world.count(f"/subscriptions/{SUB}/providers/Microsoft.KeyVault/vaults") == 2


def test_all_subscriptions_when_none_given(world: FakeArm) -> None:
    scanner = make_scanner(world)
    targets = [(t.account, t.skipped) for t in scanner.targets()]
    # the Disabled one is a skipped unit (listed in coverage with why), never discovered
    assert targets == [(SUB, None), (DENIED, None), ("off", "subscription is Disabled")]


def test_a_disabled_subscription_is_skipped_coverage_and_the_scan_stays_complete(
    world: FakeArm,
) -> None:
    from cloudposture.engine import ScanOptions, run_scan

    result = run_scan([make_scanner(world)], ScanOptions(rules=ALL_RULES[:1]))
    (off,) = [c for c in result.scan.coverage if c.account == "off"]
    assert (off.status, off.note, off.errors) == ("skipped", "subscription is Disabled", [])
    assert (
        world.count("/subscriptions/off/providers/Microsoft.ContainerService/managedClusters") == 0
    )


def test_denied_subscription_is_a_collection_failure(world: FakeArm) -> None:
    scanner = make_scanner(world, (DENIED,))
    with pytest.raises(CollectionFailure) as caught:
        scanner.discover(Target(provider="azure", account=DENIED, region="-"))
    error = caught.value.error
    assert (error.kind, error.code, error.call) == (
        "denied",
        "AuthorizationFailed",
        "containerservice:ManagedClusters.List",
    )


def test_a_ref_not_from_discovery_is_fetched_with_one_get(world: FakeArm) -> None:
    body = next(c for c in _clusters() if c["name"] == "hardened")
    world.add(cluster_id("hardened"), "2026-08-01", body)
    ref = ClusterRef(
        provider="azure", account=SUB, region="westeurope", name="hardened",
        native_id=cluster_id("hardened"),
    )  # fmt: skip
    posture = make_scanner(world, (SUB,)).collect(ref)
    assert posture.endpoint.public_enabled is False
    assert world.count(cluster_id("hardened")) == 1


def test_missing_cluster_raises_not_found(world: FakeArm) -> None:
    ref = ClusterRef(
        provider="azure", account=SUB, region="westeurope", name="gone",
        native_id=cluster_id("gone"),
    )  # fmt: skip
    with pytest.raises(CollectionFailure) as caught:
        make_scanner(world, (SUB,)).collect(ref)
    assert caught.value.error.kind == "not-found"


def test_partial_failures_become_errors_that_name_the_facts(world: FakeArm) -> None:
    world.fail(
        f"{cluster_id('hardened')}/providers/Microsoft.Insights/diagnosticSettings",
        "2021-05-01-preview",
        429,
        "TooManyRequests",
    )
    world.fail(SUBNET, "2026-03-01", 403, "AuthorizationFailed")
    hardened = scan(world)["hardened"]
    kinds = {e.call: (e.kind, e.affects) for e in hardened.collection_errors}
    assert kinds == {
        "monitor:DiagnosticSettings.List": ("throttled", ["logging"]),
        "network:Subnets.Get": ("denied", ["node_pools.internet_ingress"]),
    }
    assert hardened.logging.audit_enabled is None
    assert (hardened.node_pools or [])[0].internet_ingress is None
    found = findings(hardened)
    for rule in ("LOG-001", "LOG-002", "NODE-002", "NODE-003"):
        assert found[rule].status is Status.ERROR, rule
    assert "TooManyRequests" in found["LOG-001"].message
    assert set(kinds) <= set(CALLS)


def _clusters() -> list[dict[str, object]]:
    from tests.providers.azure.aks_world import clusters

    return clusters()
