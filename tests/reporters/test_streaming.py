"""Formats that stream write, one finding at a time, exactly what they render whole."""

from __future__ import annotations

import io

import pytest

from cloudposture.reporters.example import example_result
from cloudposture.reporters.registry import REPORTERS, get_reporter

STREAMING = [name for name, reporter in REPORTERS.items() if reporter.streams]


def test_the_line_and_document_formats_stream() -> None:
    assert set(STREAMING) == {"json", "jsonl", "ocsf", "csv"}


@pytest.mark.parametrize("name", list(REPORTERS))
def test_write_equals_render(name: str) -> None:
    """Streaming formats write it finding by finding; the others gather the findings first."""
    reporter = get_reporter(name)
    result = example_result()
    only = reporter.only_providers
    if only is not None:  # ASFF holds one cloud's findings
        kept = [f for f in result.findings if f.resource.provider in only]
        result = result.model_copy(update={"findings": kept})
    out = io.StringIO()

    reporter.write(result.scan, iter(result.findings), out)

    assert out.getvalue() == reporter.render(result)


def test_json_without_findings_is_the_model_dump() -> None:
    result = example_result().model_copy(update={"findings": []})
    assert get_reporter("json").render(result) == result.model_dump_json(indent=2) + "\n"
