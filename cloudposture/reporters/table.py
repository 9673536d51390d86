"""``--format table``: what a person reads in a terminal after a scan.

Shows what needs attention (FAIL, ERROR, MUTED), the coverage errors that made the scan
partial, and a one-line summary; PASS and NOT_APPLICABLE are counted, not listed.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cloudposture.model import ScanInfo, ScanResult, Severity, Status
from cloudposture.reporters.interface import Reporter

_SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
_STATUS_STYLE = {
    Status.FAIL: "bold red",
    Status.ERROR: "magenta",
    Status.MUTED: "dim",
    Status.PASS: "green",
    Status.NOT_APPLICABLE: "dim",
}
_SHOWN = (Status.FAIL, Status.ERROR, Status.MUTED)


def render_table(result: ScanResult, console: Console) -> None:
    shown = [f for f in result.findings if f.status in _SHOWN]
    if shown:
        table = Table(title="cloudposture findings", show_lines=False, expand=False)
        table.add_column("cluster", overflow="fold", min_width=14)
        table.add_column("rule", no_wrap=True)
        table.add_column("severity", no_wrap=True)
        table.add_column("status", no_wrap=True)
        table.add_column("finding", overflow="fold", ratio=1)
        accounts = {(f.resource.provider, f.resource.account) for f in shown}
        for f in shown:
            r = f.resource
            cluster = f"{r.region}/{r.cluster}"
            if len(accounts) > 1:
                cluster = f"{r.provider}:{r.account}/{cluster}"
            table.add_row(
                cluster,
                f.rule_id,
                Text(f.severity.value, style=_SEVERITY_STYLE[f.severity]),
                Text(f.status.value, style=_STATUS_STYLE[f.status]),
                f.message,
            )
        console.print(table)
    errors = [c for c in result.scan.coverage if c.status == "error"]
    for entry in errors:
        where = "/".join(x for x in (entry.account, entry.region, entry.cluster or "") if x)
        line = f"not fully scanned: {entry.provider}:{where}: {entry.reason}"
        console.print(Text(line, "magenta"))
    console.print(summary_line(result))


def summary_line(result: ScanResult) -> str:
    """One line a person or a log reader takes in at a glance: clusters, counts, completeness."""
    clusters = len({(f.resource.provider, f.resource.id) for f in result.findings})
    return summary_of(result.scan, result.counts(), clusters)


def summary_of(scan: ScanInfo, counts: Mapping[str, int], clusters: int) -> str:
    """:func:`summary_line` from totals (a spooled scan keeps totals, not findings)."""
    shown = ", ".join(f"{n} {status.lower()}" for status, n in counts.items() if n)
    state = "complete" if scan.complete else "INCOMPLETE"
    return f"scan {scan.id}: {clusters} cluster(s), {shown or 'no findings'}; {state}"


class TableReporter(Reporter):
    name = "table"
    extension = "txt"
    description = "a table for people: FAIL, ERROR and MUTED findings plus a summary"

    def render(self, result: ScanResult) -> str:
        buffer = io.StringIO()
        render_table(result, Console(file=buffer, width=160, no_color=True, highlight=False))
        return buffer.getvalue()
