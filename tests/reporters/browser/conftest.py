"""One headless Chromium per test session (launching it costs a second or two)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.reporters.browser.chromium import browser
from tests.reporters.browser.reports import demo_report, write


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    with browser() as launched:
        yield launched


@pytest.fixture(scope="session")
def demo_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("demo") / "demo.html", demo_report())


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where a test keeps its screenshots (pytest's tmp dir: kept as artifacts, not committed)."""
    out = tmp_path / "screenshots"
    out.mkdir()
    return out
