"""The core names no cloud: everything cloud-specific comes from the provider plugins.

A cloud id written as a string literal in ``cloudposture/`` is a place a new cloud would have
to edit the core. Allowed: format code that is one cloud's own (ASFF) and example data.
"""

from __future__ import annotations

import re
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "cloudposture"
CLOUD_LITERAL = re.compile(r"""["'](aws|gcp|azure|oci|alibaba)["']""")
ALLOWED = {
    "reporters/asff.py",  # AWS Security Hub's own format
    "reporters/example.py",  # the example result every format renders
}


def test_no_cloud_id_literal_in_the_core() -> None:
    found = []
    for path in sorted(CORE.rglob("*.py")):
        relative = path.relative_to(CORE).as_posix()
        if relative in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if CLOUD_LITERAL.search(line):
                found.append(f"cloudposture/{relative}:{number}: {line.strip()}")
    assert found == []


def test_the_pattern_catches_a_literal() -> None:
    assert CLOUD_LITERAL.search('providers = ("aws", "gcp")')
    assert not CLOUD_LITERAL.search("cloudposture-aws")
