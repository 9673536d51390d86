"""``scan --state``: what the store records is what the report says, finding for finding (the
scan hands delivery its spooled findings, which are recorded a batch at a time)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from cloudposture.cli.scan_command import CommonOptions, execute_scan
from cloudposture.model import Finding
from cloudposture.plugin import ProviderScanner
from cloudposture.store import Store, db
from tests.core.fakes import FakeScanner


class _Plugin:
    name = "fake"
    summary = "fake"

    def cli_options(self) -> Sequence[Any]:
        return []

    def scanners(self, settings: Mapping[str, Any], max_workers: int) -> Sequence[ProviderScanner]:
        clusters = {
            ("111", "r1"): [("open", True), ("closed", False)],
            ("111", "r0"): [("z", None)],
        }
        return [FakeScanner(clusters)]


def test_the_store_records_exactly_the_reported_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "WRITE_BATCH", 5)
    report, state = tmp_path / "r.json", str(tmp_path / "s.db")
    common = CommonOptions(formats=("json",), output=report, state=state, fail_on=None)
    assert execute_scan(_Plugin(), {}, common, Console(quiet=True)) == 0  # type: ignore[arg-type]
    written = json.loads(report.read_text())
    with Store.open(state) as store:
        recorded = store.scan_findings(written["scan"]["id"])
    reported = sorted((Finding.model_validate(f) for f in written["findings"]), key=lambda f: f.uid)
    assert len(reported) > 10
    assert recorded == reported


def test_findings_unreadable_from_the_spool_are_not_blamed_on_the_store(tmp_path: Path) -> None:
    """A disk error reading the scan's own temporary file back during delivery is said as
    that, not as "state store failed", and nothing half-recorded is left in the store."""
    from cloudposture.engine import ScanOptions, spool_scan
    from cloudposture.model.spool import SpoolUnreadable
    from cloudposture.outbox.delivery import deliver_scan
    from cloudposture.rules.catalog import ALL_RULES

    state = str(tmp_path / "s.db")
    scanned = spool_scan(_Plugin().scanners({}, 2), ScanOptions(rules=ALL_RULES))
    try:
        scratch = scanned.findings._stores[0]  # the real temporary file: corrupt its bytes
        scratch.seek(0)
        scratch.write(b"\0" * 64)
        with pytest.raises(SpoolUnreadable) as caught:
            deliver_scan(scanned, [], state, None)
    finally:
        scanned.close()
    assert str(caught.value).startswith(
        "[Errno 5] cannot read the scan's findings back from its temporary file ("
    )
    with Store.open(state) as store:
        assert store.scan_findings(scanned.scan.id) == []
