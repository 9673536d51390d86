"""The reports the browser tests and the README screenshot open: example, demo, synthetic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cloudposture.reporters.example import example_result
from cloudposture.reporters.html import render_html
from tests.reporters.synthetic import synthetic_result


def demo_report() -> str:
    """``cloudposture demo --format html``: a real scan of the seeded moto estate, in its own
    process (moto's state is per process)."""
    done = subprocess.run(
        [sys.executable, "-m", "cloudposture", "demo", "--format", "html", "-q"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def example_page(directory: Path) -> Path:
    return write(directory / "example.html", render_html(example_result()))


def synthetic_page(directory: Path, clusters: int = 1000) -> Path:
    return write(directory / f"synthetic-{clusters}.html", render_html(synthetic_result(clusters)))
