from __future__ import annotations

import os
from pathlib import Path

import pytest

from cloudposture.model import ScanResult
from cloudposture.reporters.example import example_result

GOLDEN = Path(__file__).with_name("golden")
REGENERATE = "CLOUDPOSTURE_REGEN_GOLDEN"


@pytest.fixture
def result() -> ScanResult:
    return example_result()


def aws_only(result: ScanResult) -> ScanResult:
    return result.model_copy(
        update={"findings": [f for f in result.findings if f.resource.provider == "aws"]}
    )


def check_golden(name: str, text: str) -> None:
    """Compare with tests/reporters/golden/<name>; ``CLOUDPOSTURE_REGEN_GOLDEN=1`` rewrites."""
    path = GOLDEN / name
    if os.environ.get(REGENERATE) == "1":
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}: run with {REGENERATE}=1 once and review it"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} changed: review the diff, then run with {REGENERATE}=1 if it is intended"
    )
