"""The terminal matrix: right characters in the right columns, within 80 columns, only on a
terminal (a file or pipe keeps today's table)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from cloudposture.cli.scan_command import CommonOptions, write_outputs
from cloudposture.model import ScanResult
from cloudposture.reporters.table import render_table
from cloudposture.reporters.terminal_summary import MAX_CLUSTERS, render_summary
from tests.reporters.synthetic import synthetic_result


def summary(result: ScanResult, width: int = 80) -> list[str]:
    console = Console(
        file=io.StringIO(), width=width, force_terminal=True, record=True, color_system="truecolor"
    )
    render_summary(result, console)
    text = console.export_text(styles=False)
    return text.rstrip("\n").split("\n")


def line_of(lines: list[str], name: str) -> str:
    return next(line for line in lines if line.strip().startswith(name))


def test_each_cell_is_one_character_under_its_table_row(result: ScanResult) -> None:
    lines = summary(result)
    assert all(len(line) <= 80 for line in lines)
    header = next(line for line in lines if line.strip().startswith("1"))
    assert header.split() == ["1", "3", "5", "L"]
    cells = {
        name: line_of(lines, name)[len(header) - len(header.lstrip()) :].rstrip()
        for name in ("prod-eu", "shop", "payments")
    }
    # columns: CP-001 | IAM-003 IAM-004 | ENC-001 | LOG-002
    assert cells["prod-eu"] == "C    · ~"
    assert cells["shop"] == "  !"
    assert cells["payments"] == "   -"
    assert "gcp · shop-prod · europe-west1" in lines


def test_long_names_are_cut_and_a_narrow_terminal_puts_cells_below() -> None:
    result = synthetic_result(clusters=3)
    long = result.model_copy(
        update={
            "findings": [
                f.model_copy(
                    update={"resource": f.resource.model_copy(update={"cluster": "x" * 60})}
                )
                for f in result.findings
            ]
        }
    )
    wide = summary(long)
    assert all(len(line) <= 80 for line in wide)
    assert any("x" * 20 + "…" in line for line in wide)
    narrow = summary(long, width=30)
    assert all(len(line) <= 30 for line in narrow)
    first = narrow.index(next(line for line in narrow if line.startswith("  xxx")))
    assert set(narrow[first + 1].strip()) <= set("CHMLI·!-~ ")  # cells on their own lines


def test_a_large_estate_shows_the_worst_clusters_and_says_how_many_are_hidden() -> None:
    lines = summary(synthetic_result(clusters=100))
    assert (
        lines[-1]
        == f"… {100 - MAX_CLUSTERS} more cluster(s) not shown: --format html shows every cluster"
    )
    rows = [line for line in lines if line.startswith("  ") and line.split()[0][-5:-4] == "-"]
    assert len(rows) == MAX_CLUSTERS


def test_the_table_on_a_terminal_gets_the_matrix_first(
    result: ScanResult, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    write_outputs(result, ["table"], CommonOptions(), Console(file=io.StringIO()))
    out = capsys.readouterr().out
    assert out.index("Estate by infrastructure-table row") < out.index("cloudposture findings")


def test_the_table_into_a_pipe_keeps_todays_layout(
    result: ScanResult, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    write_outputs(result, ["table"], CommonOptions(), Console(file=io.StringIO()))
    out = capsys.readouterr().out
    expected = io.StringIO()
    render_table(result, Console(file=expected, highlight=False))
    assert "Estate by" not in out
    assert out == expected.getvalue()


def test_nothing_to_show_prints_nothing(tmp_path: Path, result: ScanResult) -> None:
    assert summary(result.model_copy(update={"findings": []})) == [""]
