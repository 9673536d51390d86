"""``--format csv``: one row per finding, for spreadsheets and quick filters.

Cells that a spreadsheet would run as a formula (starting with ``= + - @`` or a tab / carriage
return) get a leading apostrophe: tag values and messages come from cloud APIs, which anyone
with write access to a cluster's tags controls (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import TextIO

from cloudposture.model import Finding, ScanInfo, ScanResult
from cloudposture.reporters.interface import Reporter
from cloudposture.reporters.ocsf import control_name

COLUMNS = (
    "scan_id",
    "uid",
    "rule_id",
    "title",
    "row",
    "status",
    "severity",
    "provider",
    "account",
    "region",
    "cluster",
    "resource_id",
    "message",
    "remediation",
    "controls",
    "suppression",
    "evidence",
    "first_seen",
    "last_seen",
    "created_at",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """A lone sign (the infrastructure row "+") is no formula and stays as it is."""
    return "'" + value if len(value) > 1 and value.startswith(_FORMULA_START) else value


def _row(f: Finding) -> list[str]:
    res = f.resource
    evidence = [{"fact": e.fact, "value": e.value, "source": e.source} for e in f.evidence]
    row = [
        f.scan_id,
        f.uid,
        f.rule_id,
        f.title,
        f.row,
        f.status.value,
        f.severity.value,
        res.provider,
        res.account,
        res.region,
        res.cluster,
        res.id,
        f.message,
        f.remediation.summary if f.remediation else "",
        "; ".join(control_name(r.benchmark, r.version, r.control) for r in f.references),
        f.suppression.reason if f.suppression else "",
        json.dumps(evidence, sort_keys=True) if evidence else "",
        f.first_seen.isoformat() if f.first_seen else "",
        f.last_seen.isoformat() if f.last_seen else "",
        f.created_at.isoformat(),
    ]
    return [_cell(v) for v in row]


class CsvReporter(Reporter):
    name = "csv"
    extension = "csv"
    description = "one row per finding (RFC 4180 quoting, formula cells neutralized)"
    streams = True

    def render(self, result: ScanResult) -> str:
        buffer = io.StringIO()
        self.write(result.scan, result.findings, buffer)
        return buffer.getvalue()

    def write(self, scan: ScanInfo, findings: Iterable[Finding], out: TextIO) -> None:
        """The header, then one row per finding as it comes (streams from the spool)."""
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(_row(f) for f in findings)
