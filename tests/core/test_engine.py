from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from cloudposture.engine import ScanOptions, run_scan
from cloudposture.model import (
    ClusterPosture,
    ClusterRef,
    CollectionError,
    CollectionFailure,
    ConfigurationError,
    Remediation,
    Severity,
    Status,
)
from cloudposture.plugin import PartialListing, Target
from cloudposture.rules.base import (
    ProviderGuidance,
    Rule,
    RuleMeta,
    RuleSettings,
    ev,
    failed,
    passed,
    unknown,
)
from cloudposture.rules.guidance import GuidanceCatalog
from tests.core.fakes import FakeScanner


def _public_check(p: ClusterPosture, _: RuleSettings):  # type: ignore[no-untyped-def]
    value = p.endpoint.public_enabled
    if value is None:
        return unknown(p, "endpoint")
    evidence = ev("endpoint.public_enabled", value)
    return failed("public", evidence) if value else passed("private", evidence)


PUBLIC = Rule(
    RuleMeta(
        id="TST-001",
        title="public endpoint",
        row="1",
        severity=Severity.HIGH,
        rationale="test rule",
    ),
    _public_check,
)
NOT_FOR_FAKE = Rule(
    RuleMeta(
        id="TST-002",
        title="never on fake",
        row="+",
        severity=Severity.LOW,
        rationale="test rule",
    ),
    _public_check,
)
RULES = (PUBLIC, NOT_FOR_FAKE)


class FakeGuidance:
    """What the fake cloud's plugin says about the test rules."""

    name = "fake"
    title = "Fake cloud"
    guidance = {"TST-001": ProviderGuidance("endpoint", Remediation(summary="make it private"))}
    not_applicable = {"TST-002": "fake clouds have no such thing"}


GUIDANCE = GuidanceCatalog([FakeGuidance()])
DENIED = CollectionError(call="fake:List", kind="denied", code="AccessDenied", message="nope")


def _scan(scanner: FakeScanner, **kwargs: object):  # type: ignore[no-untyped-def]
    options = ScanOptions(rules=RULES, guidance=GUIDANCE, **kwargs)  # type: ignore[arg-type]
    return run_scan([scanner], options, clock=lambda: datetime(2026, 1, 1, tzinfo=UTC))


def _by_cluster(result) -> dict[str, dict[str, Status]]:  # type: ignore[no-untyped-def]
    out: dict[str, dict[str, Status]] = {}
    for f in result.findings:
        out.setdefault(f.resource.cluster, {})[f.rule_id] = f.status
    return out


def test_every_cluster_gets_one_finding_per_rule_and_not_applicable_is_reported() -> None:
    scanner = FakeScanner(
        {("111", "r1"): [("a", True), ("b", False)], ("111", "r2"): [("c", None)]}
    )
    result = _scan(scanner)
    assert _by_cluster(result) == {
        "a": {"TST-001": Status.FAIL, "TST-002": Status.NOT_APPLICABLE},
        "b": {"TST-001": Status.PASS, "TST-002": Status.NOT_APPLICABLE},
        "c": {"TST-001": Status.ERROR, "TST-002": Status.NOT_APPLICABLE},
    }
    assert result.scan.complete
    assert {(c.region, c.clusters_found) for c in result.scan.coverage} == {("r1", 2), ("r2", 1)}


def test_denied_region_is_a_coverage_error_and_other_regions_complete() -> None:
    scanner = FakeScanner(
        {("111", "r1"): [("a", True)], ("111", "r2"): [("c", False)]},
        failing_regions={"r2": DENIED},
    )
    result = _scan(scanner)
    assert not result.scan.complete
    errors = [c for c in result.scan.coverage if c.status == "error"]
    assert [(c.region, c.errors[0].kind) for c in errors] == [("r2", "denied")]
    assert "AccessDenied" in errors[0].reason
    assert _by_cluster(result) == {"a": {"TST-001": Status.FAIL, "TST-002": Status.NOT_APPLICABLE}}


def test_unreadable_cluster_gets_error_findings_with_the_reason() -> None:
    scanner = FakeScanner(
        {("111", "r1"): [("a", True), ("b", False)]},
        failing_clusters={"b": CollectionFailure(DENIED)},
    )
    result = _scan(scanner)
    b = [f for f in result.findings if f.resource.cluster == "b"]
    assert {f.rule_id: f.status for f in b} == {
        "TST-001": Status.ERROR,
        "TST-002": Status.NOT_APPLICABLE,
    }
    assert "AccessDenied" in next(f.message for f in b if f.rule_id == "TST-001")
    assert [c.cluster for c in result.scan.coverage if c.status == "error"] == ["b"]


def test_a_provider_bug_is_recorded_not_raised() -> None:
    scanner = FakeScanner(
        {("111", "r1"): [("a", True)]}, failing_clusters={"a": KeyError("resourcesVpcConfig")}
    )
    result = _scan(scanner)
    (entry,) = [c for c in result.scan.coverage if c.status == "error"]
    assert entry.errors[0].code == "KeyError"
    assert "internal error" in entry.errors[0].message
    assert {f.status for f in result.findings} == {Status.ERROR, Status.NOT_APPLICABLE}


def test_partial_collection_marks_the_scan_incomplete_but_keeps_findings() -> None:
    partial = CollectionError(call="iam:GetRole", kind="denied", affects=["node_pools.identities"])
    scanner = FakeScanner({("111", "r1"): [("a", True)]}, partial_clusters={"a": partial})
    result = _scan(scanner)
    assert not result.scan.complete
    assert _by_cluster(result)["a"]["TST-001"] is Status.FAIL


def test_setup_errors_raise_by_default_and_are_recorded_on_request() -> None:
    scanner = FakeScanner({}, targets_error=ConfigurationError("role cannot be assumed"))
    with pytest.raises(ConfigurationError, match="assumed"):
        _scan(scanner)
    result = _scan(scanner, setup_errors="record")
    (entry,) = result.scan.coverage
    assert entry.status == "error"
    assert "role cannot be assumed" in entry.reason


def test_concurrency_is_bounded_by_max_workers() -> None:
    clusters = {("111", f"r{i}"): [(f"c{i}-{j}", False) for j in range(4)] for i in range(4)}
    scanner = FakeScanner(clusters, delay=0.01)
    result = _scan(scanner, max_workers=3)
    assert len(result.findings) == 16 * 2
    assert 1 < scanner.max_in_flight <= 3


def test_finding_uids_are_stable_across_runs_and_unique_per_rule() -> None:
    scanner = FakeScanner({("111", "r1"): [("a", True), ("b", False)]})
    first = {f.uid for f in _scan(scanner).findings}
    second = {f.uid for f in _scan(scanner).findings}
    assert first == second
    assert len(first) == 4


class _PartialScanner(FakeScanner):
    """Lists what it can and says why the rest may be missing (GKE missingZones)."""

    def discover(self, target: Target) -> Sequence[ClusterRef]:
        listed = super().discover(target)
        return PartialListing(listed, [CollectionError(call="fake:List", code="missingZones")])


def test_partial_listing_is_a_target_error_and_the_listed_clusters_still_scan() -> None:
    result = _scan(_PartialScanner({("111", "r1"): [("a", True)]}))
    assert not result.scan.complete
    (entry,) = result.scan.coverage
    assert (entry.status, entry.clusters_found, entry.errors[0].code) == (
        "error",
        1,
        "missingZones",
    )
    assert _by_cluster(result)["a"]["TST-001"] is Status.FAIL
