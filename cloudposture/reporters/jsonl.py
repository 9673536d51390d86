"""``--format jsonl``: one finding per line, exactly the model's JSON (as in ``--format json``).

For log shippers and ``jq``: each line stands alone and carries its own ``scan_id``.
"""

from __future__ import annotations

from cloudposture.model import ScanResult
from cloudposture.reporters.interface import Reporter


class JsonlReporter(Reporter):
    name = "jsonl"
    extension = "jsonl"
    description = "one finding per line, the same fields as --format json"

    def render(self, result: ScanResult) -> str:
        return "".join(f.model_dump_json() + "\n" for f in result.findings)
