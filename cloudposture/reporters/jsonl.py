"""``--format jsonl``: one finding per line, exactly the model's JSON (as in ``--format json``).

For log shippers and ``jq``: each line stands alone and carries its own ``scan_id``. Written
one finding at a time, so a large scan streams from the engine's spool to the file.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TextIO

from cloudposture.model import Finding, ScanInfo, ScanResult
from cloudposture.reporters.interface import Reporter


class JsonlReporter(Reporter):
    name = "jsonl"
    extension = "jsonl"
    description = "one finding per line, the same fields as --format json"
    streams = True

    def render(self, result: ScanResult) -> str:
        buffer = io.StringIO()
        self.write(result.scan, result.findings, buffer)
        return buffer.getvalue()

    def write(self, scan: ScanInfo, findings: Iterable[Finding], out: TextIO) -> None:
        for finding in findings:
            out.write(finding.model_dump_json() + "\n")
