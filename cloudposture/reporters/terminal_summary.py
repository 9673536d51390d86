"""The estate at a glance in a terminal: clusters x rules, one coloured character per cell.

Printed before the findings table when ``scan`` writes to a terminal (never into a file or a
pipe: ``--format table`` stays what scripts read). Rules are grouped by infrastructure-table
row like the HTML matrix; a cell is the severity letter of a FAIL, so the text says what the
colour says. Fits 80 columns: long names are cut, and a catalogue too wide for one line
wraps between table-row groups.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from cloudposture.model import Finding, ScanResult, Severity, Status
from cloudposture.reporters.html.columns import Column, columns

MAX_CLUSTERS = 40
_SHORT = {"log": "L", "ver": "V", "iso": "I", "path": "P", "other": "?"}
_SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
_CELL = {
    Status.PASS: ("·", "green"),
    Status.ERROR: ("!", "magenta"),
    Status.NOT_APPLICABLE: ("-", "dim"),
    Status.MUTED: ("~", "dim"),
}
LEGEND = (
    "C H M L I: FAIL by severity (critical..info)  · pass  ! error  - n/a  ~ muted\n"
    "columns: table rows 1-5, L logging, V version, I isolation, P exposure path"
)


def cell(finding: Finding | None) -> Text:
    if finding is None:
        return Text(" ")
    if finding.status is Status.FAIL:
        letter = finding.severity.value[0].upper()
        return Text(letter, style=_SEVERITY_STYLE[finding.severity])
    char, style = _CELL[finding.status]
    return Text(char, style=style)


def _chunks(cols: Sequence[Column], room: int) -> list[list[list[Column]]]:
    """Column groups packed into lines of at most ``room`` characters (a space between)."""
    groups: list[list[Column]] = []
    for col in cols:
        if groups and groups[-1][0].group == col.group:
            groups[-1].append(col)
        else:
            groups.append([col])
    lines: list[list[list[Column]]] = [[]]
    used = 0
    for group in groups:
        need = len(group) + (1 if lines[-1] else 0)
        if lines[-1] and used + need > room:
            lines.append([])
            used, need = 0, len(group)
        lines[-1].append(group)
        used += need
    return lines


def render_summary(result: ScanResult, console: Console, width: int = 80) -> None:
    """Print the matrix (at most ``MAX_CLUSTERS`` rows, the worst first) within ``width``."""
    if not result.findings:
        return
    width = min(width, console.width)
    cols = columns(result.findings)
    cells: dict[tuple[str, str], dict[str, Finding]] = {}
    names: dict[tuple[str, str], Finding] = {}
    for f in result.findings:
        key = (f.resource.provider, f.resource.id)
        cells.setdefault(key, {})[f.rule_id] = f
        names.setdefault(key, f)
    keys = _shown(cells)
    cells_width = len(cols) + len({c.group for c in cols}) - 1
    name_width = max(len(names[k].resource.cluster) for k in keys) + 2
    lines = _chunks(cols, width - 2)
    inline = len(lines) == 1 and min(name_width, 28) + 2 + cells_width <= width
    name_width = min(name_width, width - cells_width - 2, 28) if inline else width - 2
    indent = name_width + 2 if inline else 2
    console.print(Text("Estate by infrastructure-table row", style="bold"))
    console.print(Text(LEGEND, style="dim"))
    for line in lines:
        console.print(Text(" " * indent + " ".join(_label(g) for g in line), style="bold"))
    where = None
    for key in keys:
        r = names[key].resource
        here = f"{r.provider} · {r.account} · {r.region}"
        if here != where:
            console.print(Text(here, style="dim bold"))
            where = here
        name = r.cluster if len(r.cluster) <= name_width - 2 else r.cluster[: name_width - 3] + "…"
        row = cells[key]
        if inline:
            text = Text(f"  {name}".ljust(indent))
            text.append_text(_cells(lines[0], row))
            console.print(text, soft_wrap=True)
            continue
        console.print(Text(f"  {name}"))
        for line in lines:
            console.print(Text("  ").append_text(_cells(line, row)), soft_wrap=True)
    hidden = len(cells) - len(keys)
    if hidden:
        console.print(
            Text(f"… {hidden} more cluster(s) not shown: --format html shows every cluster")
        )


def _label(group: list[Column]) -> str:
    key = group[0].group
    return _SHORT.get(key, key).ljust(len(group))[: len(group)]


def _cells(line: list[list[Column]], row: dict[str, Finding]) -> Text:
    out = Text()
    for n, group in enumerate(line):
        if n:
            out.append(" ")
        for col in group:
            out.append_text(cell(row.get(col.rule_id)))
    return out


def _shown(cells: dict[tuple[str, str], dict[str, Finding]]) -> list[tuple[str, str]]:
    """Every cluster when they fit, else the worst ones; in provider/account/region order."""

    def worst(key: tuple[str, str]) -> tuple[int, int]:
        fails = [f for f in cells[key].values() if f.status is Status.FAIL]
        return (max((f.severity.rank for f in fails), default=-1), len(fails))

    keys = list(cells)
    if len(keys) > MAX_CLUSTERS:
        keys = sorted(keys, key=worst, reverse=True)[:MAX_CLUSTERS]

    def place(key: tuple[str, str]) -> tuple[str, str, str, str]:
        r = next(iter(cells[key].values())).resource
        return (r.provider, r.account, r.region, r.cluster)

    return sorted(keys, key=place)
