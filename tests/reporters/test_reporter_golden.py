"""Every file format against its golden file, rendered from the fixed example scan."""

from __future__ import annotations

import pytest

from cloudposture.model import ScanResult
from cloudposture.reporters.registry import REPORTERS, get_reporter
from tests.reporters.conftest import aws_only, check_golden

CASES = [
    ("json", "compliance", "example.json"),
    ("jsonl", "compliance", "example.jsonl"),
    ("csv", "compliance", "example.csv"),
    ("sarif", "compliance", "example.sarif"),
    ("ocsf", "compliance", "example.ocsf.jsonl"),
    ("ocsf", "detection", "example.detection.ocsf.jsonl"),
    ("asff", "compliance", "example.asff.json"),
    ("html", "compliance", "example.html"),
]


@pytest.mark.parametrize(("fmt", "ocsf_class", "golden"), CASES)
def test_format_matches_golden(fmt: str, ocsf_class: str, golden: str, result: ScanResult) -> None:
    source = aws_only(result) if fmt == "asff" else result
    check_golden(golden, get_reporter(fmt, ocsf_class=ocsf_class).render(source))


def test_every_registered_file_format_has_a_golden_file() -> None:
    # "table" is the terminal view (its layout follows the terminal), not a file format
    assert {fmt for fmt, _, _ in CASES} == set(REPORTERS) - {"table"}


def test_golden_names_use_the_reporters_extension() -> None:
    for fmt, ocsf_class, golden in CASES:
        if ocsf_class == "compliance":
            assert golden == f"example.{REPORTERS[fmt].extension}"
