"""The report in a real browser: what a person sees, clicks and types.

Each test opens a page from ``file://`` in headless Chromium and fails on any console error,
any request off the file, or any dialog a page script opened. Screenshots go to pytest's tmp
dir as artifacts of the run.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from cloudposture.cli import main
from cloudposture.reporters.example import example_result
from cloudposture.reporters.html import render_html
from tests.providers.aws.conftest import EXPECTED_FAILS
from tests.reporters.browser.chromium import Watch, open_report
from tests.reporters.browser.reports import example_page, synthetic_page, write
from tests.reporters.history_estate import three_nights
from tests.reporters.synthetic import synthetic_result
from tests.reporters.test_html_report import HOSTILE_NAME, HOSTILE_TAG, hostile

pytestmark = pytest.mark.slow

_CELLS = """() => Array.from(document.querySelectorAll('#matrix tbody tr')).flatMap(tr => {
  const name = tr.querySelector('th.cname .n');
  if (!name) return [];
  return Array.from(tr.querySelectorAll('button.cell')).map(b => [
    name.textContent, b.dataset.rule, b.textContent, b.getAttribute('aria-label'), b.className]);
})"""


def cells(page: Page) -> dict[tuple[str, str], tuple[str, str, str]]:
    rows: list[list[str]] = page.evaluate(_CELLS)
    return {(name, rule): (text, label, cls) for name, rule, text, label, cls in rows}


def list_rows(page: Page) -> list[str]:
    rows: list[str] = page.evaluate(
        "() => Array.from(document.querySelectorAll('#findings tbody tr'))"
        ".map(tr => tr.innerText.replace(/\\s+/g, ' ').trim())"
    )
    return [r for r in rows if not r.startswith("No finding")]


def clean(watch: Watch) -> None:
    assert watch.errors == []
    assert watch.dialogs == []
    assert watch.requests == []


def test_example_matrix_shows_each_state_in_text_and_colour(
    chromium: Browser, tmp_path: Path, shots: Path
) -> None:
    page, watch = open_report(chromium, example_page(tmp_path))
    page.screenshot(path=str(shots / "example.png"), full_page=True)
    got = cells(page)
    assert got[("prod-eu", "CP-001")][0] == "C"
    assert "FAIL critical" in got[("prod-eu", "CP-001")][1]
    assert "s1 sev4" in got[("prod-eu", "CP-001")][2]
    assert got[("prod-eu", "ENC-001")][0] == "\u2713"
    assert ": PASS." in got[("prod-eu", "ENC-001")][1]
    assert ": MUTED." in got[("prod-eu", "LOG-002")][1]
    assert got[("shop", "IAM-003")][0] == "!"
    assert ": ERROR." in got[("shop", "IAM-003")][1]
    assert ": N/A." in got[("payments", "IAM-004")][1]
    tooltip = page.get_attribute('button[data-rule="CP-001"]', "title")
    assert tooltip is not None
    assert "0.0.0.0/0" in tooltip
    assert page.is_visible("#coverage-section")
    assert "permission denied" in page.inner_text("#coverage")
    assert page.inner_text("#state") == "Scan INCOMPLETE"
    assert page.locator("#chart-rows svg rect").count() >= 1
    clean(watch)


def test_filters_change_the_matrix_and_the_list(chromium: Browser, tmp_path: Path) -> None:
    page, watch = open_report(chromium, example_page(tmp_path))
    assert len(list_rows(page)) == 3  # FAIL, ERROR, MUTED; PASS and N/A are counted only
    page.select_option("#f-provider", "gcp")
    assert {name for name, _ in cells(page)} == {"shop"}
    assert [r.split(" ")[0:2] for r in list_rows(page)] == [["MEDIUM", "ERROR"]]
    page.click("#f-reset")
    page.select_option("#f-status", "1")
    assert {name for name, _ in cells(page)} == {"prod-eu"}
    assert "dim" in cells(page)[("prod-eu", "ENC-001")][2]  # shown, but faded: not a FAIL
    assert len(list_rows(page)) == 1
    page.click("#f-reset")
    page.fill("#f-q", "team=platform")  # tags are searchable
    expect(page.locator("#matrix th.cname")).to_have_count(1)  # after the typing debounce
    page.click("#f-reset")
    page.select_option("#f-group", "3")
    assert {rule for _, rule in cells(page)} == {"IAM-003", "IAM-004"}
    page.click("#f-reset")
    page.select_option("#f-status", "0")
    assert "PASS" in list_rows(page)[0]
    assert "Showing 1 cluster of 3" in page.inner_text("#f-summary")  # the one with a PASS
    clean(watch)


def test_the_list_and_the_matrix_sort(chromium: Browser, tmp_path: Path) -> None:
    page, watch = open_report(chromium, example_page(tmp_path))
    assert [r.split(" ")[2] for r in list_rows(page)] == ["prod-eu", "shop", "prod-eu"]
    page.click('#findings button.sort[data-sort="cluster"]')
    assert [r.split(" ")[2] for r in list_rows(page)] == ["prod-eu", "prod-eu", "shop"]
    assert page.get_attribute('#findings th:has(button[data-sort="cluster"])', "aria-sort") == (
        "ascending"
    )
    page.select_option("#m-sort", "name")
    names = page.locator("#matrix th.cname .n").all_inner_texts()
    assert names == ["payments", "prod-eu", "shop"]
    page.select_option("#m-sort", "worst")
    assert page.locator("#matrix th.cname .n").first.inner_text() == "prod-eu"
    clean(watch)


def test_a_findings_detail_opens_with_evidence_fix_and_benchmarks(
    chromium: Browser, tmp_path: Path, shots: Path
) -> None:
    page, watch = open_report(chromium, example_page(tmp_path))
    page.click('#matrix button[data-rule="CP-001"]')
    assert page.is_visible("#detail")
    detail = page.inner_text("#detail")
    for expected in (
        "CP-001",
        "public endpoint allows 0.0.0.0/0",
        "eks:DescribeCluster cluster.resourcesVpcConfig.publicAccessCidrs",
        "aws eks update-cluster-config",
        "aws_eks_cluster.vpc_config.public_access_cidrs",
        "EKS > cluster > Networking",
        "5.4.2",
        "2024-04-20",
    ):
        assert expected in detail
    page.screenshot(path=str(shots / "detail.png"))
    page.keyboard.press("Escape")
    assert not page.is_visible("#detail")
    page.click("#findings button.link >> nth=2")  # the MUTED one, from the list
    assert "scheduler logs cost more than they tell" in page.inner_text("#detail")
    clean(watch)


def test_the_matrix_is_reachable_by_keyboard(chromium: Browser, tmp_path: Path) -> None:
    page, watch = open_report(chromium, example_page(tmp_path))
    first = page.locator('#matrix button.cell[tabindex="0"]')
    assert first.count() == 1
    first.focus()
    page.keyboard.press("ArrowRight")
    focused: dict[str, Any] = page.evaluate(
        "() => ({rule: document.activeElement.dataset.rule, r: document.activeElement.dataset.r})"
    )
    assert focused == {"rule": "ENC-001", "r": "0"}
    page.keyboard.press("Enter")
    assert "ENC-001" in page.inner_text("#detail-title")
    page.keyboard.press("Escape")  # and focus goes back to the cell it came from
    assert page.evaluate("() => document.activeElement.dataset.rule") == "ENC-001"
    clean(watch)


def test_markup_in_a_cluster_name_or_tag_runs_nothing(chromium: Browser, tmp_path: Path) -> None:
    path = write(tmp_path / "hostile.html", render_html(hostile(example_result())))
    page, watch = open_report(chromium, path)
    assert HOSTILE_NAME in page.inner_text("#matrix")
    assert page.locator("img").count() == 0
    page.click(f'#matrix button[aria-label^="{HOSTILE_NAME[:9]}"]')
    assert HOSTILE_TAG.strip("\u2028") in page.inner_text("#detail")
    assert page.evaluate("() => document.scripts.length") == 2
    clean(watch)


def test_the_demo_scan_shows_each_clusters_expected_failures(
    chromium: Browser, demo_page: Path, shots: Path
) -> None:
    page, watch = open_report(chromium, demo_page)
    page.screenshot(path=str(shots / "demo.png"), full_page=True)
    failing: dict[str, set[str]] = {name: set() for name in EXPECTED_FAILS}
    for (name, rule), (text, label, _) in cells(page).items():
        if "FAIL" in label.split(":", 1)[1].split(".")[0]:
            assert text in "CHMLI"
            failing[name].add(rule)
    assert failing == EXPECTED_FAILS
    page.click('#matrix tr:has(th.cname:has-text("analytics-dev")) button[data-rule="CP-001"]')
    detail = page.inner_text("#detail")
    assert "analytics-dev" in detail
    assert "aws eks update-cluster-config" in detail  # the provider's fix reached the page
    clean(watch)


def test_a_thousand_clusters_render_and_page(
    chromium: Browser, tmp_path: Path, shots: Path
) -> None:
    path = synthetic_page(tmp_path)
    started = time.monotonic()
    page, watch = open_report(chromium, path)
    # a hang guard only: the real timing is bench/report_bench.py's
    assert time.monotonic() - started < 30
    page.screenshot(path=str(shots / "synthetic.png"))
    assert page.locator("#matrix th.cname").count() == 100
    assert "page 1 of 10 (1000 clusters)" in page.inner_text("#matrix-pager")
    page.click("#matrix-pager button >> nth=1")
    assert "page 2 of 10" in page.inner_text("#matrix-pager")
    in_account = {
        f.resource.id for f in synthetic_result().findings if f.resource.account == "shop-prod"
    }
    page.select_option("#f-account", "shop-prod")
    assert f"({len(in_account)} clusters)" in page.inner_text("#matrix-pager")
    assert page.locator("#matrix tr.loc th").first.inner_text().startswith("gcp \u00b7 shop-prod")
    clean(watch)


def test_the_history_report_shows_changes_and_trend(
    chromium: Browser, tmp_path: Path, shots: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    three_nights(url, tmp_path / "nightly")
    out = tmp_path / "history.html"
    assert main(["report", "--store", url, "-o", str(out)]) == 0
    page, watch = open_report(chromium, out)
    page.screenshot(path=str(shots / "history.png"), full_page=True)
    heads = page.locator("#changes .change-head").all_inner_texts()
    assert [" ".join(h.split()) for h in heads] == [
        "0 New",
        "2 Regressed",
        "2 Resolved",
        "2 Stale (could not be judged, still open)",
    ]
    trend = page.get_attribute("#chart-trend svg", "aria-label")
    assert (
        trend == "Failing findings over the last 3 runs: 2030-01-01 6, 2030-01-02 6, 2030-01-03 4"
    )
    page.select_option("#f-change", "stale")
    rows = list_rows(page)
    assert len(rows) == 2
    assert all(" x " in f" {r} " for r in rows)
    clean(watch)
