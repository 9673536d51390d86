"""The HTML page without a browser: escaping, self-containment, the data the script renders.

The browser tests (tests/reporters/browser/) prove what a person sees; these prove the page
cannot be broken out of and carries the right facts, fast enough to run on every change.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

from cloudposture.model import ScanResult, Status
from cloudposture.reporters.html import render_html
from cloudposture.reporters.html.columns import columns, group_of
from cloudposture.reporters.html.payload import FIELDS, build_payload
from cloudposture.reporters.registry import get_reporter
from tests.reporters.synthetic import synthetic_result

HOSTILE_NAME = '</script><script>alert("name")</script><img src=x onerror=alert(1)>'
HOSTILE_TAG = "\u2028<!--<script>"


def hostile(result: ScanResult) -> ScanResult:
    first = result.findings[0]
    resource = first.resource.model_copy(
        update={"cluster": HOSTILE_NAME, "tags": {"owner": HOSTILE_TAG, "<b>k": "v&amp;"}}
    )
    bad = first.model_copy(update={"message": '<script>alert("x")</script>', "resource": resource})
    return result.model_copy(update={"findings": [bad, *result.findings[1:]]})


def data_of(page: str) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/json" id="cp-data">(.*?)</script>', page, re.DOTALL
    )
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def test_markup_in_cloud_values_cannot_leave_the_data_block(result: ScanResult) -> None:
    page = render_html(hostile(result))
    assert page.count("<script") == 2  # the data block and the page's own script
    assert page.count("</script>") == 2
    for raw in ('<script>alert("x")', "<img src=x", "<!--", "\u2028"):
        assert raw not in page
    data = data_of(page)  # and the values round-trip exactly, for the script to show as text
    assert data["clusters"][0][3] == HOSTILE_NAME
    assert data["clusters"][0][5] == {"<b>k": "v&amp;", "owner": HOSTILE_TAG}
    assert '<script>alert("x")</script>' in data["messages"]


def test_the_page_fetches_nothing_and_runs_only_its_own_script(result: ScanResult) -> None:
    page = render_html(result)
    assert not re.search(r"<link\b|<script[^>]*\bsrc=|<img\b|<iframe\b|@import", page)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = csp.group(1).replace("&#x27;", "'")
    assert "default-src 'none'" in policy
    script = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    style = re.findall(r"<style>(.*?)</style>", page, re.DOTALL)
    assert len(script) == 1
    assert len(style) == 1
    for block, directive in ((script[0], "script-src"), (style[0], "style-src")):
        digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in policy


def test_each_finding_becomes_one_row_of_the_matrix_data(result: ScanResult) -> None:
    data = build_payload(result)
    assert data["fields"] == list(FIELDS)
    rules = [r["id"] for r in data["rules"]]
    cells = {
        (data["clusters"][row[0]][3], rules[row[1]]): (
            data["statuses"][row[2]],
            data["severities"][row[3]],
        )
        for row in data["findings"]
    }
    assert cells == {
        ("prod-eu", "CP-001"): ("FAIL", "critical"),
        ("prod-eu", "ENC-001"): ("PASS", "high"),
        ("prod-eu", "LOG-002"): ("MUTED", "low"),
        ("shop", "IAM-003"): ("ERROR", "medium"),
        ("payments", "IAM-004"): ("NOT_APPLICABLE", "high"),
    }
    fail = data["findings"][0]
    fix = data["fixes"][fail[FIELDS.index("fix")]]
    assert fix["cli"].startswith("aws eks update-cluster-config")
    assert fail[FIELDS.index("first_seen")] == "2024-04-20"
    assert [c["cluster"] for c in data["coverage"] if c["status"] == "error"] == ["shop"]


def test_columns_follow_the_infrastructure_table() -> None:
    cols = columns(synthetic_result(clusters=3).findings)
    groups = [c.group for c in cols]
    assert groups == sorted(
        groups, key=["1", "2", "3", "4", "5", "log", "ver", "iso", "path"].index
    )
    assert {c.rule_id: c.group for c in cols if c.group in ("log", "ver", "iso", "path")} == {
        "LOG-001": "log",
        "LOG-002": "log",
        "VER-001": "ver",
        "NET-001": "iso",
        "PATH-001": "path",
    }
    assert group_of("THIRD-1", "+") == "other"
    assert group_of("THIRD-2", "2") == "2"
    assert group_of("THIRD-3", "1-3") == "path"
    assert group_of("THIRD-4", "9") == "other"


def test_a_thousand_clusters_stay_a_few_megabytes() -> None:
    result = synthetic_result(clusters=1000)
    assert len(result.findings) == 22_000
    page = get_reporter("html").render(result)
    assert len(page.encode()) < 4_000_000
    assert sum(1 for f in result.findings if f.status is Status.FAIL) == len(
        [r for r in data_of(page)["findings"] if r[FIELDS.index("status")] == 1]
    )
