"""Make docs/report.png, the README's picture of the report, from a real demo scan.

    .venv/bin/python -m tests.reporters.browser.screenshot [--out docs/report.png]

The demo scan runs on the local moto server (``cloudposture demo --format html``); the page
opens in the same headless Chromium the browser tests use, so the picture is what a user
gets, and regenerating it after a change to the page is one command.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.reporters.browser.chromium import browser, open_report
from tests.reporters.browser.reports import demo_report, write


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/report.png"))
    parser.add_argument("--width", type=int, default=1360)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, browser() as chromium:
        page, watch = open_report(
            chromium, write(Path(tmp) / "demo.html", demo_report()), args.width, 900
        )
        if watch.errors or watch.requests:
            raise SystemExit(f"the page is not clean: {watch}")
        box = page.locator("#matrix-section").bounding_box()
        assert box is not None
        height = box["y"] + box["height"] + 16  # the top of the page down to the matrix
        clip = {"x": 0.0, "y": 0.0, "width": float(args.width), "height": height}
        page.screenshot(path=str(args.out), full_page=True, clip=clip)
    print(f"wrote {args.out}")  # noqa: T201 - a command-line tool


if __name__ == "__main__":
    main()
