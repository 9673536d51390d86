"""``--format html``: one self-contained page to hand to a cluster owner or attach to a ticket.

No JavaScript and no external assets (the page must open from a mail attachment or an
air-gapped share): a summary per cluster, the coverage errors that made the scan partial,
then every finding that needs attention with its evidence and the fix for its provider.
PASS and NOT_APPLICABLE are counted per cluster, not listed. Every value that came from a
cloud API (tags, names, messages) is HTML-escaped: anyone who can tag a cluster controls it.
"""

from __future__ import annotations

import json
from collections import Counter
from html import escape

from cloudposture.model import Finding, ScanResult, Status
from cloudposture.reporters.interface import Reporter

_ATTENTION = (Status.FAIL, Status.ERROR, Status.MUTED)
_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2430}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #d5dae1;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f8}.critical,.high{color:#b00020;font-weight:600}.medium{color:#a15c00}
.FAIL{color:#b00020;font-weight:600}.ERROR{color:#6a1b9a;font-weight:600}.MUTED{color:#666}
details{margin-top:.25rem}code{font-size:.8rem;white-space:pre-wrap}.meta{color:#555}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


class HtmlReporter(Reporter):
    name = "html"
    extension = "html"
    description = "one self-contained HTML page: per-cluster summary, coverage, findings"

    def render(self, result: ScanResult) -> str:
        scan = result.scan
        state = "complete" if scan.complete else "INCOMPLETE: some units could not be read"
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>cloudposture scan {_e(scan.id)}</title>",
            f"<style>{_STYLE}</style></head><body>",
            "<h1>cloudposture: cloud layer of managed Kubernetes</h1>",
            f'<p class="meta">scan {_e(scan.id)} · {_e(scan.tool)} {_e(scan.tool_version)} · '
            f"{_e(scan.started_at.isoformat())} to {_e(scan.finished_at.isoformat())} · "
            f"{_e(state)}</p>",
            _clusters(result),
            _coverage(result),
            _findings([f for f in result.findings if f.status in _ATTENTION]),
            "</body></html>",
        ]
        return "\n".join(p for p in parts if p) + "\n"


def _clusters(result: ScanResult) -> str:
    per: dict[tuple[str, str, str, str], Counter[Status]] = {}
    for f in result.findings:
        r = f.resource
        per.setdefault((r.provider, r.account, r.region, r.cluster), Counter())[f.status] += 1
    rows = "".join(
        f"<tr><td>{_e(p)}</td><td>{_e(a)}</td><td>{_e(reg)}</td><td>{_e(c)}</td>"
        + "".join(_count_cell(s, counts[s]) for s in Status)
        + "</tr>"
        for (p, a, reg, c), counts in sorted(per.items())
    )
    head = "".join(f"<th>{s.value}</th>" for s in Status)
    return (
        "<h2>Clusters</h2><table><tr><th>provider</th><th>account</th><th>region</th>"
        f"<th>cluster</th>{head}</tr>{rows}</table>"
    )


def _count_cell(status: Status, count: int) -> str:
    style = f' class="{status.value}"' if count and status in _ATTENTION else ""
    return f"<td{style}>{count}</td>"


def _coverage(result: ScanResult) -> str:
    errors = [c for c in result.scan.coverage if c.status == "error"]
    if not errors:
        return ""
    rows = "".join(
        f"<tr><td>{_e(c.provider)}</td><td>{_e(c.account)}</td><td>{_e(c.region)}</td>"
        f"<td>{_e(c.cluster or '')}</td><td>{_e(c.reason)}</td></tr>"
        for c in errors
    )
    return (
        "<h2>Not fully scanned</h2><table><tr><th>provider</th><th>account</th>"
        f"<th>region</th><th>cluster</th><th>reason</th></tr>{rows}</table>"
    )


def _findings(findings: list[Finding]) -> str:
    if not findings:
        return "<h2>Findings</h2><p>Nothing needs attention.</p>"
    rows = "".join(_finding_row(f) for f in findings)
    return (
        "<h2>Findings that need attention</h2><table><tr><th>cluster</th><th>rule</th>"
        f"<th>severity</th><th>status</th><th>finding</th></tr>{rows}</table>"
    )


def _finding_row(f: Finding) -> str:
    r = f.resource
    evidence = json.dumps(
        [e.model_dump(mode="json") for e in f.evidence], indent=1, ensure_ascii=False
    )
    fix = ""
    if f.remediation is not None:
        steps = [("", f.remediation.summary), ("CLI: ", f.remediation.cli)]
        steps.append(("Terraform: ", f.remediation.terraform))
        fix = "".join(
            f"<div>{_e(label)}<code>{_e(text)}</code></div>" for label, text in steps if text
        )
    muted = ""
    if f.suppression is not None:
        muted = f"<div>muted: {_e(f.suppression.reason)} (until {_e(f.suppression.expires)})</div>"
    refs = ", ".join(f"{ref.benchmark} {ref.version} {ref.control}" for ref in f.references)
    return (
        f"<tr><td>{_e(r.provider)}:{_e(r.account)}/{_e(r.region)}/{_e(r.cluster)}</td>"
        f"<td>{_e(f.rule_id)}<br>{_e(f.title)}</td>"
        f'<td class="{_e(f.severity.value)}">{_e(f.severity.value)}</td>'
        f'<td class="{_e(f.status.value)}">{_e(f.status.value)}</td>'
        f"<td>{_e(f.message)}{muted}<details><summary>evidence, fix, references</summary>"
        f"<code>{_e(evidence)}</code>{fix}<div>{_e(refs)}</div></details></td></tr>"
    )
