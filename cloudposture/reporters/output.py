"""Format checks and file output shared by ``scan`` and the nightly ``run``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from cloudposture.model import ConfigurationError, ScanResult
from cloudposture.reporters.registry import get_reporter

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
    result: ScanResult,
    formats: Sequence[str],
    directory: Path,
    ocsf_class: str,
    stderr: Console | None,
    history: HistoryView | None = None,
) -> None:
    """Each format as ``DIRECTORY/cloudposture-<scan id>.<ext>`` (scan and nightly run); the
    HTML page also shows the run's ``history`` when the run has a store."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in formats:
        reporter = get_reporter(name, ocsf_class=ocsf_class)
        path = directory / f"cloudposture-{result.scan.id}.{reporter.extension}"
        if name == "html" and history is not None:
            from cloudposture.reporters.html import render_html

            text = render_html(result, history)
        else:
            text = reporter.render(result)
        path.write_text(text, encoding="utf-8")
        if stderr is not None:
            stderr.print(f"wrote {path}")
