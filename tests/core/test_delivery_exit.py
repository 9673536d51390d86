"""A state store that fails between the pre-scan check and delivery: exit 3, and the message
says which findings were not recorded, queued or delivered (it once said "nothing queued"
and exited as if all was well)."""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from cloudposture.cli.scan_command import CommonOptions, execute_scan
from cloudposture.model import ClusterRef
from cloudposture.plugin import ProviderScanner, Target
from tests.core.fakes import FakeScanner


@dataclass
class _Vanishing(FakeScanner):
    folder: Path = Path()

    def discover(self, target: Target) -> Sequence[ClusterRef]:
        shutil.rmtree(self.folder, ignore_errors=True)
        return super().discover(target)


class _Plugin:
    name = "fake"
    summary = "fake"

    def __init__(self, scanner: FakeScanner) -> None:
        self._scanner = scanner

    def cli_options(self) -> Sequence[Any]:
        return []

    def scanners(self, settings: Mapping[str, Any], max_workers: int) -> Sequence[ProviderScanner]:
        return [self._scanner]


def test_store_lost_during_the_scan_exits_3_and_names_what_was_not_delivered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CP_HEC_TOKEN", "tok-123")
    folder = tmp_path / "state"
    folder.mkdir()
    # the folder (and the database the pre-scan check opened in it) disappears mid-scan
    scanner = _Vanishing(clusters={("111", "r1"): [("private", False)]}, folder=folder)
    console = Console(record=True, width=400)
    sink = "splunk+http://127.0.0.1:9?token_env=CP_HEC_TOKEN"
    common = CommonOptions(
        formats=("json",), output=tmp_path / "r.json", sinks=(sink,), state=str(folder / "s.db")
    )
    code = execute_scan(_Plugin(scanner), {}, common, console)  # type: ignore[arg-type]
    assert code == 3
    text = console.export_text()
    assert "delivery: state store unavailable: not recorded, not queued, not delivered: " in text
    assert f"finding(s) for {sink}" in text
    assert (tmp_path / "r.json").is_file()  # the report itself was written
