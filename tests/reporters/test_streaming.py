"""Formats that stream write, one finding at a time, exactly what they render whole."""

from __future__ import annotations

import io

import pytest

from cloudposture.reporters.base import StreamingReporter
from cloudposture.reporters.example import example_result
from cloudposture.reporters.registry import REPORTERS, get_reporter

STREAMING = [
    name for name, reporter in REPORTERS.items() if isinstance(reporter, StreamingReporter)
]


def test_the_line_and_document_formats_stream() -> None:
    assert set(STREAMING) == {"json", "jsonl", "ocsf", "csv"}


@pytest.mark.parametrize("name", STREAMING)
def test_write_equals_render(name: str) -> None:
    result = example_result()
    reporter = get_reporter(name)
    assert isinstance(reporter, StreamingReporter)
    out = io.StringIO()

    reporter.write(result.scan, iter(result.findings), out)

    assert out.getvalue() == reporter.render(result)


def test_json_without_findings_is_the_model_dump() -> None:
    result = example_result().model_copy(update={"findings": []})
    assert get_reporter("json").render(result) == result.model_dump_json(indent=2) + "\n"
