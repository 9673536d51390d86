"""The documented exit codes, defined once (README "Exit codes"), and how a scan's result
maps to one (shared by ``scan`` and the nightly ``run``)."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # kept out of the import path: ``cloudposture --help`` imports this module
    from rich.console import Console

    from cloudposture.model import ScanInfo, Severity


class Judged(Protocol):
    """What the exit code reads: a ScanResult, or a scan whose findings are still spooled."""

    @property
    def scan(self) -> ScanInfo: ...

    def failing(self, at_or_above: Severity) -> object:
        """Truthy when a FAIL reaches ``at_or_above``."""
        ...


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2
    INCOMPLETE = 3
    INTERNAL = 4
    INTERRUPTED = 130
    """Ctrl-C / SIGINT: the shell's convention (128 + SIGINT)."""


def exit_code(
    result: Judged, fail_on: Severity | None, stderr: Console, *, quiet: bool = False
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
