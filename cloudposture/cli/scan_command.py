"""What ``cloudposture scan <provider>`` does once its options are parsed.

Kept apart from cli.py so the demo, the nightly run and tests share the exact same path:
build scanners, scan with progress, write formats, compute the exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from cloudposture.cli.progress import RichProgress
from cloudposture.engine import ProgressListener, ScanOptions, run_scan
from cloudposture.exit_codes import ExitCode
from cloudposture.model import ConfigurationError, ScanResult, Severity
from cloudposture.plugin import ProviderPlugin
from cloudposture.reporters.files import (
    check_output_dir,
    check_output_file,
    write_all_atomic,
    write_atomic,
)
from cloudposture.reporters.registry import check_formats, get_reporter
from cloudposture.reporters.table import render_table, summary_line
from cloudposture.rules.base import Rule, RuleSettings
from cloudposture.rules.catalog import ALL_RULES, RULES_BY_ID


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


def select_rules(only: Sequence[str], skip: Sequence[str]) -> list[Rule]:
    """The catalogue filtered by ``--rule`` / ``--skip-rule``; unknown ids are an error."""
    if any(not i.strip() for i in [*only, *skip]):
        raise ConfigurationError(
            "empty rule id in --rule/--skip-rule (see 'cloudposture rules list')"
        )
    wanted = [i.upper() for i in only]
    unwanted = {i.upper() for i in skip}
    unknown = [i for i in [*wanted, *unwanted] if i not in RULES_BY_ID]
    if unknown:
        raise ConfigurationError(
            f"unknown rule id(s): {', '.join(unknown)} (see 'cloudposture rules list')"
        )
    chosen = [r for r in ALL_RULES if (not wanted or r.meta.id in wanted)]
    chosen = [r for r in chosen if r.meta.id not in unwanted]
    if not chosen:
        raise ConfigurationError("no rules left to run after --rule/--skip-rule")
    return chosen


def execute_scan(
    plugin: ProviderPlugin,
    settings: Mapping[str, Any],
    common: CommonOptions,
    stderr: Console,
) -> int:
    from cloudposture.outbox.delivery import check_delivery

    rules = select_rules(common.rules, common.skip_rules)
    formats = _resolve_formats(common, plugin.name)
    check_outputs(common)
    check_delivery(common.sinks, common.state)  # sinks, store, retry settings: before any call
    scanners = plugin.scanners(settings, common.max_workers)
    options = ScanOptions(
        rules=rules,
        settings=RuleSettings(broad_prefix=common.broad_prefix),
        max_workers=common.max_workers,
    )
    result = scan_with_progress(scanners, options, stderr, quiet=common.quiet)
    write_outputs(result, formats, common, stderr)
    delivered = deliver(result, common, stderr)
    code = exit_code(result, common.fail_on, stderr, quiet=common.quiet)
    return code if delivered else max(code, ExitCode.INCOMPLETE)


def check_outputs(common: CommonOptions) -> None:
    """``-o`` / ``--output-dir`` can be written: found now, not after the whole scan."""
    if common.output is not None:
        check_output_file(common.output)
    if common.output_dir is not None:
        check_output_dir(common.output_dir)


def deliver(result: ScanResult, common: CommonOptions, stderr: Console) -> bool:
    """Record the scan and send it to the ``--sink`` SIEMs through the outbox. A SIEM that is
    down leaves events queued and never changes the exit code; findings that could not even
    be queued (the store failed meanwhile) do: False, and the scan exits 3."""
    from cloudposture.outbox.delivery import deliver_scan

    return not deliver_scan(result, common.sinks, common.state, stderr).problem


def scan_with_progress(
    scanners: Sequence[Any], options: ScanOptions, stderr: Console, *, quiet: bool
) -> ScanResult:
    if quiet or not stderr.is_terminal:
        return run_scan(scanners, options)
    with RichProgress(stderr) as progress:
        listener: ProgressListener = progress
        return run_scan(scanners, options, listener)


def _resolve_formats(common: CommonOptions, provider: str) -> tuple[str, ...]:
    formats = common.formats or (("table",) if sys.stdout.isatty() else ("json",))
    check_formats(formats, [provider], common.ocsf_class)
    if len(formats) > 1 and common.output_dir is None:
        raise ConfigurationError("several --format values need --output-dir")
    if common.output is not None and common.output_dir is not None:
        raise ConfigurationError("use either --output or --output-dir, not both")
    return formats


def write_to_directory(
    result: ScanResult,
    formats: Sequence[str],
    directory: Path,
    ocsf_class: str,
    stderr: Console | None,
) -> None:
    """Each format as ``DIRECTORY/cloudposture-<scan id>.<ext>`` (scan and nightly run), all
    rendered first and then written together, so a failure leaves none half-written."""
    check_output_dir(directory)
    files = []
    for name in formats:
        reporter = get_reporter(name, ocsf_class=ocsf_class)
        path = directory / f"cloudposture-{result.scan.id}.{reporter.extension}"
        files.append((path, reporter.render(result)))
    write_all_atomic(files)
    if stderr is not None:
        for path, _ in files:
            stderr.print(f"wrote {path}")


def write_outputs(
    result: ScanResult, formats: Sequence[str], common: CommonOptions, stderr: Console
) -> None:
    if common.output_dir is not None:
        write_to_directory(
            result, formats, common.output_dir, common.ocsf_class, None if common.quiet else stderr
        )
        return
    (name,) = formats
    if common.output is not None:
        reporter = get_reporter(name, ocsf_class=common.ocsf_class)
        write_atomic(common.output, reporter.render(result))
        if not common.quiet:
            stderr.print(f"wrote {common.output}")
            stderr.print(summary_line(result))
        return
    if name == "table":
        render_table(result, Console(highlight=False))
    else:
        sys.stdout.write(get_reporter(name, ocsf_class=common.ocsf_class).render(result))
        sys.stdout.flush()


def exit_code(
    result: ScanResult, fail_on: Severity | None, stderr: Console, *, quiet: bool = False
) -> int:
    """3 when something could not be read (an incomplete scan cannot vouch for anything),
    else 1 when a FAIL reaches ``fail_on``, else 0."""
    if not result.scan.complete:
        failed = [c for c in result.scan.coverage if c.status == "error"]
        stderr.print(
            f"warning: scan incomplete: {len(failed)} unit(s) could not be fully read "
            "(see coverage); affected rules report ERROR",
            style="yellow",
        )
        return ExitCode.INCOMPLETE
    skipped = [c for c in result.scan.coverage if c.status == "skipped"]
    if skipped and not quiet:
        stderr.print(f"note: {len(skipped)} unit(s) skipped on purpose (see coverage)")
    if fail_on is not None and result.failing(fail_on):
        return ExitCode.FINDINGS
    return ExitCode.OK
