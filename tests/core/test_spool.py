"""The finding spool: what goes in comes back, equal, in report order, with the counters."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cloudposture.engine import ScanOptions, run_scan, spool_scan
from cloudposture.model import Finding, Remediation, Resource, Severity, Status
from cloudposture.model.spool import FindingSpool
from cloudposture.rules.base import ProviderGuidance
from cloudposture.rules.catalog import ALL_RULES
from cloudposture.rules.guidance import GuidanceCatalog, with_guidance
from tests.core.fakes import FakeScanner

NOW = datetime(2026, 1, 2, tzinfo=UTC)
FIX = ProviderGuidance("endpoint", Remediation(summary="make it private"))


class FakeGuidance:
    name = "fake"
    title = "Fake cloud"
    guidance = {"CP-002": FIX}
    not_applicable = {"ETCD-001": "no etcd here"}


GUIDANCE = GuidanceCatalog([FakeGuidance()])


def _finding(cluster: str, rule: str, status: Status, severity: Severity) -> Finding:
    return Finding(
        uid=f"{cluster}-{rule}",
        rule_id=rule,
        title="t",
        row="1",
        status=status,
        severity=severity,
        message="m",
        resource=Resource(
            provider="fake", account="1", region="r", cluster=cluster, id=f"id-{cluster}"
        ),
        scan_id="s",
        created_at=NOW,
    )


def test_findings_come_back_equal_in_report_order_with_counts() -> None:
    b_cluster = [
        _finding("b", "X-001", Status.FAIL, Severity.HIGH),
        _finding("b", "X-002", Status.PASS, Severity.LOW),
    ]
    a_cluster = [
        _finding("a", "X-002", Status.ERROR, Severity.LOW),
        _finding("a", "X-001", Status.FAIL, Severity.LOW),
    ]
    spool = FindingSpool()
    try:
        spool.add(b_cluster)
        spool.add([])
        spool.add(a_cluster)

        assert list(spool) == [*a_cluster, *b_cluster], "clusters sorted, each in its order"
        assert list(spool) == [*a_cluster, *b_cluster], "re-readable"
        assert len(spool) == 4
        assert spool.clusters() == 2
        assert spool.counts() == {
            "PASS": 1,
            "FAIL": 2,
            "ERROR": 1,
            "NOT_APPLICABLE": 0,
            "MUTED": 0,
        }
        assert spool.fails_at_or_above(Severity.HIGH)
        assert not spool.fails_at_or_above(Severity.CRITICAL)
    finally:
        spool.close()


def test_without_a_writable_temporary_directory_the_spool_stays_in_memory(
    tmp_path: Path,
) -> None:
    spool = FindingSpool(directory=str(tmp_path / "missing"))
    try:
        findings = [_finding("a", "X-001", Status.PASS, Severity.LOW)]
        spool.add(findings)
        assert list(spool) == findings
    finally:
        spool.close()


def test_spooled_scan_is_the_scan_with_remediation_filled_in_on_the_way_out() -> None:
    clusters = {("111", "r1"): [("open", True), ("closed", False)], ("111", "r0"): [("z", None)]}
    options = ScanOptions(rules=ALL_RULES, guidance=GUIDANCE)

    whole = run_scan([FakeScanner(clusters)], options)
    with spool_scan([FakeScanner(clusters)], options) as spooled:
        lean = list(spooled.findings)
        completed = list(spooled.completed())
        assert spooled.findings.counts() == whole.counts()

    assert all(f.remediation is None and not f.references for f in lean)
    assert completed == [with_guidance(f, GUIDANCE) for f in lean]
    assert [_same(f) for f in completed] == [_same(f) for f in whole.findings]
    fixed = {f.rule_id for f in completed if f.remediation == FIX.remediation}
    assert fixed == {"CP-002"}
    assert {f.status for f in lean if f.rule_id == "ETCD-001"} == {Status.NOT_APPLICABLE}
    assert completed[0].resource.region == "r0", "report order"


def _same(finding: Finding) -> dict[str, object]:
    """Two scans of the same clusters differ only in their scan id and time."""
    return finding.model_dump(exclude={"scan_id", "created_at"})
