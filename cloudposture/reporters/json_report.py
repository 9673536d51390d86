"""``--format json``: one object, ``scan`` and ``findings``, exactly the pydantic model.

The JSON Schema in docs/schema/scan-result.schema.json is generated from the same models, so
the field names users key on are defined once.
"""

from __future__ import annotations

from typing import Any

from cloudposture.model import ScanResult
from cloudposture.reporters.interface import Reporter


class JsonReporter(Reporter):
    name = "json"
    extension = "json"
    description = "one JSON object: scan (id, version, times, coverage) and findings"

    def render(self, result: ScanResult) -> str:
        return result.model_dump_json(indent=2) + "\n"


def scan_result_schema() -> dict[str, Any]:
    """JSON Schema of ``--format json`` (published in docs/schema/)."""
    schema = ScanResult.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "cloudposture scan result"
    return schema
