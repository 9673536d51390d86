"""What a nightly run writes and prints: skipped units in the summary, the OCSF class the
config asks for, and only real providers in the run's provider list."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from cloudposture.config.loader import parse_config
from cloudposture.model import ANY_PROVIDER, CollectionError, CoverageEntry, ScanResult
from cloudposture.nightly.fanout import merge_results
from cloudposture.nightly.history import RunDiff
from cloudposture.nightly.run_command import Finalized, print_summary, summarize, write_reports
from cloudposture.reporters.example import example_result

T0 = datetime(2024, 5, 1, 2, 0, tzinfo=UTC)


def with_coverage(result: ScanResult, *entries: CoverageEntry) -> ScanResult:
    info = result.scan.model_copy(update={"coverage": [*result.scan.coverage, *entries]})
    return result.model_copy(update={"scan": info})


def test_a_missing_shard_never_makes_star_a_provider() -> None:
    missing = CoverageEntry(
        provider=ANY_PROVIDER,
        account="shard 1/2",
        region="*",
        status="error",
        errors=[CollectionError(call="shard", kind="unavailable", message="never reported")],
    )
    merged = merge_results([example_result()], "run-1", T0, T0, [missing])
    assert ANY_PROVIDER not in merged.scan.providers
    assert merged.scan.providers == sorted(example_result().scan.providers)
    assert merged.scan.complete is False


def test_the_summary_lists_skipped_units_with_their_note() -> None:
    skipped = CoverageEntry(
        provider="azure",
        account="sub-off",
        region="-",
        status="skipped",
        note="subscription is Disabled",
    )
    result = with_coverage(example_result(), skipped)
    diff = RunDiff(findings=result.findings)
    summary = summarize(result, diff)
    assert summary["targets_skipped"] == 1
    console = Console(record=True, width=300)
    print_summary(Finalized(result, diff, None, summary), "estate", console)
    text = console.export_text()
    assert "1 skipped" in text.splitlines()[0]
    assert "  skipped: azure sub-off/-: subscription is Disabled" in text


def test_output_ocsf_class_chooses_the_class_of_the_written_ocsf(tmp_path: Path) -> None:
    text = (
        "targets:\n  aws:\n    - profile: p\n"
        f"output:\n  formats: [ocsf]\n  directory: {tmp_path}\n  ocsf_class: detection\n"
    )
    config = parse_config(text, "cfg.yaml", {})
    result = example_result()
    write_reports(config, result, Console(quiet=True))
    (written,) = tmp_path.glob("*.ocsf.jsonl")
    first = json.loads(written.read_text().splitlines()[0])
    assert first["class_uid"] == 2004


def test_the_store_keeps_skipped_units(tmp_path: Path) -> None:
    from cloudposture.model import ScanInfo
    from cloudposture.store import Store

    skipped = CoverageEntry(
        provider="azure",
        account="sub-off",
        region="-",
        status="skipped",
        note="subscription is Disabled",
    )
    result = with_coverage(example_result(), skipped)
    with Store.open(str(tmp_path / "s.db")) as store:
        store.record_scan(result, "estate", T0)
        row = store.scan_row(result.scan.id)
    assert row is not None
    stored = ScanInfo.model_validate_json(row["info_json"])
    assert [(c.status, c.note) for c in stored.coverage if c.account == "sub-off"] == [
        ("skipped", "subscription is Disabled")
    ]
