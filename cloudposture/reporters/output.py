"""Format checks and file output shared by ``scan`` and the nightly ``run``."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rich.console import Console

from cloudposture.atomic_files import StagedFiles, check_output_dir
from cloudposture.engine import SpooledScan
from cloudposture.model import ConfigurationError, Finding, ScanResult
from cloudposture.reporters.interface import Reporter
from cloudposture.reporters.registry import get_reporter

Scanned = ScanResult | SpooledScan
"""A scan's output: whole (the nightly run merges and diffs it) or still in the engine's spool
(``scan``: streamed to the formats that can be written one finding at a time)."""

if TYPE_CHECKING:
    from cloudposture.reporters.html.history import HistoryView


def check_formats(formats: Sequence[str], providers: Sequence[str], ocsf_class: str) -> None:
    """Every format problem fails here, before any API call, not after a whole scan."""
    for name in formats:
        reporter = get_reporter(name, ocsf_class=ocsf_class)
        only = reporter.only_providers
        others = [p for p in providers if only is not None and p not in only]
        if only is not None and others:
            raise ConfigurationError(
                f"--format {name} holds {', '.join(only)} findings only, not {', '.join(others)}"
            )


def write_to_directory(
    result: Scanned,
    formats: Sequence[str],
    directory: Path,
    ocsf_class: str,
    stderr: Console | None,
    history: HistoryView | None = None,
) -> None:
    """Each format as ``DIRECTORY/cloudposture-<scan id>.<ext>`` (scan and nightly run); the
    HTML page also shows the run's ``history`` when the run has a store. All are written to
    temporary files first and renamed together, so a failure (a full disk) leaves neither a
    half-written report nor some formats without the others."""
    check_output_dir(directory)
    written = []
    with StagedFiles() as staged:
        for name in formats:
            reporter = get_reporter(name, ocsf_class=ocsf_class)
            path = directory / f"cloudposture-{result.scan.id}.{reporter.extension}"
            with staged.open(path) as out:
                if name == "html" and history is not None:
                    from cloudposture.reporters.html import render_html

                    out.write(render_html(whole(result), history))
                else:
                    render_to(reporter, result, out)
                out.flush()
                os.fsync(out.fileno())
            written.append(path)
        staged.commit()
    if stderr is not None:
        for path in written:
            stderr.print(f"wrote {path}")


def render_to(reporter: Reporter, scanned: Scanned, out: TextIO) -> None:
    """One finding at a time when the format allows it and the findings are still spooled;
    otherwise the whole document at once."""
    if isinstance(scanned, SpooledScan) and reporter.streams:
        reporter.write(scanned.scan, scanned.completed(), out)
    else:
        out.write(reporter.render(whole(scanned)))


def whole(scanned: Scanned) -> ScanResult:
    """Every finding in one ScanResult (built once per spooled scan)."""
    return scanned.whole if isinstance(scanned, SpooledScan) else scanned


def findings_of(scanned: Scanned) -> Iterable[Finding]:
    """The findings exactly as every output writes them, one at a time: a spooled scan's
    :meth:`~cloudposture.engine.SpooledScan.completed` (read from the spool again on every
    call, never held), a whole result's list. Delivery records and queues from this."""
    return scanned.completed() if isinstance(scanned, SpooledScan) else scanned.findings
