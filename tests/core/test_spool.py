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


FILL_THEN_READ = """
import json, resource, signal, sys
from tests.core.test_spool import _finding
from cloudposture.model import Severity, Status
from cloudposture.model.spool import FindingSpool

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, as a full disk gives ENOSPC
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
spool = FindingSpool(sys.argv[2])
names = [f"c{i:03d}" for i in range(60)]
for name in reversed(names):
    spool.add([_finding(name, f"X-{r:03d}", Status.FAIL, Severity.HIGH) for r in range(20)])
back = [(f.resource.cluster, f.rule_id) for f in spool]
expected = [(n, f"X-{r:03d}") for n in names for r in range(20)]
print(json.dumps({"same": back == expected, "n": len(back), "fallback": spool.fallback}))
spool.close()
"""


def _fill(limit: int, directory: Path) -> dict[str, object]:
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", FILL_THEN_READ, str(limit), str(directory)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=root,
        check=True,
    )
    loaded = json.loads(out.stdout)
    assert isinstance(loaded, dict)
    return loaded


def test_a_full_disk_moves_the_spool_to_memory_and_loses_nothing(tmp_path: Path) -> None:
    """The file size limit stops the temporary file part-way through the scan (a full disk
    mid-scan): the blocks written before it and those kept in memory after it all read back,
    in order, and the spool says where it could not write and why."""
    filled = _fill(4096, tmp_path)
    assert filled["same"] is True
    assert filled["n"] == 60 * 20
    assert filled["fallback"] == (
        f"cannot write temporary files in {tmp_path} (File too large); findings are kept in memory"
    )


def test_without_a_limit_the_spool_stays_on_disk(tmp_path: Path) -> None:
    filled = _fill(resource_unlimited(), tmp_path)
    assert filled == {"same": True, "n": 1200, "fallback": None}


def resource_unlimited() -> int:
    import resource

    return resource.RLIM_INFINITY


def test_a_missing_temporary_directory_keeps_findings_in_memory_and_says_where(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "gone"
    spool = FindingSpool(str(missing))
    try:
        spool.add([_finding("a", "X-001", Status.FAIL, Severity.HIGH)])
        assert [f.rule_id for f in spool] == ["X-001"]
        assert spool.fallback is not None
        assert spool.fallback.startswith(f"cannot write temporary files in {missing} (")
    finally:
        spool.close()
