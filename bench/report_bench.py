"""The HTML report at estate scale: page size, render time, and time until the browser shows it.

Why: the report must stay readable for 1,000 clusters x 22 rules (22,000 findings): a file of
a few MB that headless Chromium (the browser tests' /usr/bin/chromium) parses and draws in a
few seconds, and filters that answer at once.

    .venv/bin/python bench/report_bench.py --clusters 1000

Targets (2-core machine): page under 4 MB, Python render under 3 s, page ready in Chromium
under 3 s, one filter change under 0.5 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cloudposture.reporters.html import render_html
from tests.reporters.browser.chromium import browser, open_report
from tests.reporters.synthetic import synthetic_result


def main() -> None:
    parser = argparse.ArgumentParser(description="HTML report size and render time")
    parser.add_argument("--clusters", type=int, default=1000)
    args = parser.parse_args()
    result = synthetic_result(args.clusters)
    started = time.perf_counter()
    page = render_html(result)
    rendered = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp, browser() as chromium:
        path = Path(tmp) / "report.html"
        path.write_text(page, encoding="utf-8")
        started = time.perf_counter()
        view, watch = open_report(chromium, path)
        ready = time.perf_counter() - started
        started = time.perf_counter()
        view.select_option("#f-severity", "critical")
        view.locator("#f-summary").inner_text()
        filtered = time.perf_counter() - started
    print(
        f"{args.clusters} clusters, {len(result.findings)} findings: page "
        f"{len(page.encode()) / 1e6:.2f} MB, render {rendered:.2f} s, browser ready "
        f"{ready:.2f} s, severity filter {filtered:.2f} s, console errors {len(watch.errors)}"
    )


if __name__ == "__main__":
    main()
