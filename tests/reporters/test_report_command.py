"""``cloudposture report`` and the nightly job's HTML output over a three-night history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cloudposture.cli import main
from cloudposture.model import ScanResult
from cloudposture.nightly.history import RunDiff
from cloudposture.nightly.history_sql import SqlHistoryStore
from cloudposture.reporters.example import example_result
from cloudposture.reporters.html.payload import FIELDS
from cloudposture.store import Store
from tests.nightly.factories import T0
from tests.reporters.history_estate import three_nights
from tests.reporters.test_html_report import data_of


def changes_in(data: dict[str, Any]) -> dict[str, set[tuple[str, str]]]:
    rules = [r["id"] for r in data["rules"]]
    out: dict[str, set[tuple[str, str]]] = {}
    for row in [*data["findings"], *data["prior"]]:
        change = data["changes"][row[FIELDS.index("change")]]
        if change:
            cluster = data["clusters"][row[FIELDS.index("cluster")]][3]
            out.setdefault(change, set()).add((cluster, rules[row[FIELDS.index("rule")]]))
    return out


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    base = tmp_path_factory.mktemp("history")
    url = f"sqlite:///{base / 'state.db'}"
    three_nights(url, base / "nightly")
    return url, base


def test_report_renders_the_latest_run_with_changes_trend_and_first_seen(
    estate: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, base = estate
    out = base / "report.html"
    assert main(["report", "--store", url, "--runs", "5", "-o", str(out)]) == 0
    assert "2 regressed, 2 resolved, 2 stale" in capsys.readouterr().err
    data = data_of(out.read_text(encoding="utf-8"))
    both = {"CP-001", "CP-002"}
    assert changes_in(data) == {
        "persisting": {("a", r) for r in both},
        "resolved": {("c", r) for r in both},
        "regressed": {("b", r) for r in both},
        "stale": {("x", r) for r in both},
    }
    history = data["history"]
    assert history["counts"]["regressed"] == 2
    assert [p["failing"]["critical"] for p in history["trend"]] == [3, 3, 2]
    assert [p["complete"] for p in history["trend"]] == [True, True, False]
    first_seen = {
        data["clusters"][row[0]][3]: row[FIELDS.index("first_seen")]
        for row in data["findings"]
        if data["statuses"][row[2]] == "FAIL"
    }
    assert first_seen["a"] == T0.date().isoformat()  # open since night 1
    assert first_seen["b"] == T0.date().isoformat()  # regressed: keeps its first night


def test_trend_covers_only_the_runs_asked_for(estate: tuple[str, Path]) -> None:
    url, base = estate
    out = base / "two.html"
    assert (
        main(["report", "--store", url, "--config-name", "estate", "--runs", "2", "-o", str(out)])
        == 0
    )
    assert len(data_of(out.read_text(encoding="utf-8"))["history"]["trend"]) == 2


def test_the_nightly_run_writes_the_page_with_its_history(estate: tuple[str, Path]) -> None:
    _, base = estate
    pages = sorted((base / "nightly").glob("cloudposture-*.html"))
    assert len(pages) == 3  # one per night, beside the json
    assert len(list((base / "nightly").glob("cloudposture-*.json"))) == 3
    latest = max(
        pages, key=lambda p: len(data_of(p.read_text(encoding="utf-8"))["history"]["trend"])
    )
    data = data_of(latest.read_text(encoding="utf-8"))
    assert changes_in(data)["stale"] == {("x", "CP-001"), ("x", "CP-002")}


def test_an_empty_store_or_unknown_config_is_one_line_and_exit_2(
    tmp_path: Path, estate: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--store", f"sqlite:///{tmp_path / 'empty.db'}"]) == 2
    assert capsys.readouterr().err.strip() == "error: no complete run in the store"
    assert main(["report", "--store", estate[0], "--config-name", "other"]) == 2
    assert (
        capsys.readouterr().err.strip() == "error: no complete run of config 'other' in the store"
    )


def test_a_store_with_several_configs_needs_a_config_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    result = example_result()
    with Store.open(url) as store:
        history = SqlHistoryStore(store)
        for key in ("prod", "staging"):
            run_id = f"{key}-run"
            run = ScanResult(
                scan=result.scan.model_copy(update={"id": run_id}),
                findings=[f.model_copy(update={"scan_id": run_id}) for f in result.findings],
            )
            history.start_run(run_id, key, T0, 1)
            history.finish_run(run_id, run, RunDiff([]), {})
    assert main(["report", "--store", url]) == 2
    assert "several configs (prod, staging): choose one with --config-name" in (
        capsys.readouterr().err
    )
    assert main(["report", "--store", url, "--config-name", "staging"]) == 0
    page = capsys.readouterr().out
    assert data_of(page)["history"]["run"] == "staging-run"
