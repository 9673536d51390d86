"""Assemble the one self-contained page: markup, inline CSS and script, and the data.

Why this shape:
- The data travels once, as JSON in ``<script type="application/json">``; ``<``, ``>``, ``&``
  and the JavaScript line separators are written as ``\\uXXXX`` escapes, so no cluster name,
  tag or message can close the block or open a tag. The script builds the page with text
  nodes only (never ``innerHTML``), so markup in the data stays text.
- A Content-Security-Policy allows exactly the page's own script and style (by hash) and no
  network at all: the page cannot fetch anything, and an injected script would not run.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from html import escape
from importlib import resources
from typing import Any

from cloudposture.model import ScanResult
from cloudposture.reporters.html.history import HistoryView
from cloudposture.reporters.html.payload import build_payload

_ASSETS = resources.files("cloudposture.reporters.html") / "assets"


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def script_json(payload: Any) -> str:
    """JSON that is safe inside a ``<script>`` element whatever strings it holds."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def render_page(result: ScanResult, history: HistoryView | None = None) -> str:
    style, script = _asset("report.css"), _asset("report.js")
    csp = (
        f"default-src 'none'; script-src {_csp_hash(script)}; style-src {_csp_hash(style)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    scan = result.scan
    title = f"cloudposture report · {scan.id}"
    data = script_json(build_payload(result, history))
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">',
            '<meta name="referrer" content="no-referrer">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title>",
            f"<style>{style}</style>",
            "</head><body>",
            _asset("page.html"),
            _noscript(result),
            f'<script type="application/json" id="cp-data">{data}</script>',
            f"<script>{script}</script>",
            "</body></html>",
            "",
        ]
    )


def _noscript(result: ScanResult) -> str:
    """What a reader without JavaScript (a mail client's preview) still learns."""
    counts = Counter(f.status.value for f in result.findings)
    clusters = len({(f.resource.provider, f.resource.id) for f in result.findings})
    failed = [c for c in result.scan.coverage if c.status != "ok"]
    lines = "".join(
        f"<li>{_e(c.provider)} {_e(c.account)}/{_e(c.region)}"
        f"{'/' + _e(c.cluster) if c.cluster else ''}: {_e(c.reason)}</li>"
        for c in failed
    )
    state = "complete" if result.scan.complete else "INCOMPLETE"
    summary = ", ".join(f"{n} {_e(s)}" for s, n in sorted(counts.items()))
    return (
        f"<noscript><p>This report needs JavaScript for its matrix and filters. Scan "
        f"{_e(result.scan.id)}: {clusters} cluster(s), {summary or 'no findings'}; {state}."
        f"</p>{'<ul>' + lines + '</ul>' if lines else ''}</noscript>"
    )
