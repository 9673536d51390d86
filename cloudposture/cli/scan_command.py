"""What ``cloudposture scan <provider>`` does once its options are parsed.

Kept apart from cli/main.py so the demo and tests share the exact same path: build scanners,
scan with progress, write formats, compute the exit code. What the nightly run shares with it
lives below both: select_rules (rules.catalog), check_formats and write_to_directory
(reporters.output), exit_code (exit_codes).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from cloudposture.atomic_files import check_output_dir, check_output_file, write_atomic
from cloudposture.engine import ProgressListener, ScanOptions, SpooledScan, spool_scan
from cloudposture.exit_codes import ExitCode, exit_code
from cloudposture.model import ConfigurationError, Severity
from cloudposture.plugin import ProviderPlugin
from cloudposture.reporters.output import (
    Scanned,
    check_formats,
    render_to,
    whole,
    write_to_directory,
)
from cloudposture.reporters.registry import get_reporter
from cloudposture.rules.base import RuleSettings
from cloudposture.rules.catalog import select_rules
from cloudposture.state_env import store_wanted


@dataclass(frozen=True)
class CommonOptions:
    formats: tuple[str, ...] = ()
    output: Path | None = None
    output_dir: Path | None = None
    fail_on: Severity | None = Severity.LOW
    rules: tuple[str, ...] = ()
    skip_rules: tuple[str, ...] = ()
    broad_prefix: int = 24
    max_workers: int = 16
    quiet: bool = False
    ocsf_class: str = "compliance"
    sinks: tuple[str, ...] = ()
    state: str | None = None

    @classmethod
    def from_kwargs(cls, kwargs: Mapping[str, Any]) -> CommonOptions:
        fail_on = str(kwargs.get("fail_on") or "low").lower()
        return cls(
            formats=tuple(kwargs.get("formats") or ()),
            output=kwargs.get("output"),
            output_dir=kwargs.get("output_dir"),
            fail_on=None if fail_on == "none" else Severity(fail_on),
            rules=tuple(kwargs.get("rules") or ()),
            skip_rules=tuple(kwargs.get("skip_rules") or ()),
            broad_prefix=int(kwargs.get("broad_prefix") or 24),
            max_workers=int(kwargs.get("max_workers") or 16),
            quiet=bool(kwargs.get("quiet")),
            ocsf_class=str(kwargs.get("ocsf_class") or "compliance"),
            sinks=tuple(kwargs.get("sinks") or ()),
            state=kwargs.get("state"),
        )


def execute_scan(
    plugin: ProviderPlugin,
    settings: Mapping[str, Any],
    common: CommonOptions,
    stderr: Console,
) -> int:
    rules = select_rules(common.rules, common.skip_rules)
    formats = _resolve_formats(common, plugin.name)
    check_outputs(common)
    if store_wanted(common.sinks, common.state):  # sinks, store, retry settings: before any call
        from cloudposture.outbox.delivery import check_delivery

        check_delivery(common.sinks, common.state)
    elif common.sinks:
        from cloudposture.sinks.registry import sinks_from_urls

        sinks_from_urls(common.sinks)
    scanners = plugin.scanners(settings, common.max_workers)
    options = ScanOptions(
        rules=rules,
        settings=RuleSettings(broad_prefix=common.broad_prefix),
        max_workers=common.max_workers,
    )
    with scan_with_progress(scanners, options, stderr, quiet=common.quiet) as scanned:
        if scanned.findings.fallback and not common.quiet:
            stderr.print(f"warning: {scanned.findings.fallback}", style="yellow")
        write_outputs(scanned, formats, common, stderr)
        delivered = deliver(scanned, common, stderr)
        code = exit_code(scanned, common.fail_on, stderr, quiet=common.quiet)
        return code if delivered else max(code, ExitCode.INCOMPLETE)


def check_outputs(common: CommonOptions) -> None:
    """``-o`` / ``--output-dir`` can be written: found now, not after the whole scan."""
    if common.output is not None:
        check_output_file(common.output)
    if common.output_dir is not None:
        check_output_dir(common.output_dir)


def deliver(scanned: Scanned, common: CommonOptions, stderr: Console) -> bool:
    """Record the scan and send it to the ``--sink`` SIEMs through the outbox. A SIEM that is
    down leaves events queued and never changes the exit code; findings that could not even
    be queued (the store failed meanwhile) do: False, and the scan exits 3. Without a sink or
    a state store nothing is recorded, and the store (SQLAlchemy, Alembic) is not imported.
    The spooled findings are recorded and queued a batch at a time, never built whole."""
    if not store_wanted(common.sinks, common.state):
        return True
    from cloudposture.outbox.delivery import deliver_scan

    return not deliver_scan(scanned, common.sinks, common.state, stderr).problem


def scan_with_progress(
    scanners: Sequence[Any], options: ScanOptions, stderr: Console, *, quiet: bool
) -> SpooledScan:
    if quiet or not stderr.is_terminal:
        return spool_scan(scanners, options)
    from cloudposture.cli.progress import RichProgress

    with RichProgress(stderr) as progress:
        listener: ProgressListener = progress
        return spool_scan(scanners, options, listener)


def _resolve_formats(common: CommonOptions, provider: str) -> tuple[str, ...]:
    formats = common.formats or (("table",) if sys.stdout.isatty() else ("json",))
    check_formats(formats, [provider], common.ocsf_class)
    if len(formats) > 1 and common.output_dir is None:
        raise ConfigurationError("several --format values need --output-dir")
    if common.output is not None and common.output_dir is not None:
        raise ConfigurationError("use either --output or --output-dir, not both")
    return formats


def write_outputs(
    scanned: Scanned, formats: Sequence[str], common: CommonOptions, stderr: Console
) -> None:
    if common.output_dir is not None:
        write_to_directory(
            scanned, formats, common.output_dir, common.ocsf_class, None if common.quiet else stderr
        )
        return
    (name,) = formats
    if common.output is not None:
        reporter = get_reporter(name, ocsf_class=common.ocsf_class)
        write_atomic(common.output, lambda out: render_to(reporter, scanned, out))
        if not common.quiet:
            stderr.print(f"wrote {common.output}")
            stderr.print(_summary(scanned))
        return
    if name == "table":  # the terminal table prints through rich, not as text
        from cloudposture.reporters.table import render_table
        from cloudposture.reporters.terminal_summary import render_summary

        result = whole(scanned)
        console = Console(highlight=False)
        if console.is_terminal:  # the matrix is for eyes; a file or pipe keeps the table only
            render_summary(result, console)
        render_table(result, console)
    else:
        render_to(get_reporter(name, ocsf_class=common.ocsf_class), scanned, sys.stdout)
        sys.stdout.flush()


def _summary(scanned: Scanned) -> str:
    from cloudposture.reporters.table import summary_line, summary_of

    if isinstance(scanned, SpooledScan):
        spool = scanned.findings
        return summary_of(scanned.scan, spool.counts(), spool.clusters())
    return summary_line(scanned)
