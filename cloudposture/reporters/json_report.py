"""``--format json``: one object, ``scan`` and ``findings``, exactly the pydantic model.

The JSON Schema in docs/schema/scan-result.schema.json is generated from the same models, so
the field names users key on are defined once. The document is written one finding at a time
(byte for byte what ``ScanResult.model_dump_json(indent=2)`` gives), so a large scan streams
from the engine's spool to the file without ever holding every finding.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any, TextIO

from cloudposture.model import Finding, ScanInfo, ScanResult
from cloudposture.reporters.interface import Reporter


def write_json(scan: ScanInfo, findings: Iterable[Finding], out: TextIO) -> None:
    """The ``--format json`` document for ``scan`` and ``findings``, written to ``out``."""
    header = scan.model_dump_json(indent=2).replace("\n", "\n  ")
    out.write('{\n  "scan": ' + header + ',\n  "findings": [')
    separator = "\n    "
    for finding in findings:
        out.write(separator + finding.model_dump_json(indent=2).replace("\n", "\n    "))
        separator = ",\n    "
    out.write("]\n}\n" if separator == "\n    " else "\n  ]\n}\n")


class JsonReporter(Reporter):
    name = "json"
    extension = "json"
    description = "one JSON object: scan (id, version, times, coverage) and findings"
    streams = True

    def render(self, result: ScanResult) -> str:
        buffer = io.StringIO()
        self.write(result.scan, result.findings, buffer)
        return buffer.getvalue()

    def write(self, scan: ScanInfo, findings: Iterable[Finding], out: TextIO) -> None:
        write_json(scan, findings, out)


def scan_result_schema() -> dict[str, Any]:
    """JSON Schema of ``--format json`` (published in docs/schema/)."""
    schema = ScanResult.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "cloudposture scan result"
    return schema
