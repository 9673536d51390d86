"""Secrets never reach stderr or the state database through a receiver's reply or a URL."""

from __future__ import annotations

import pytest
from rich.console import Console

from cloudposture.model import ConfigurationError, ScanResult
from cloudposture.outbox.delivery import deliver_scan
from cloudposture.outbox.outbox import build_events, utcnow
from cloudposture.sinks.registry import sink_from_url
from cloudposture.store import Store
from tests.sinks.conftest import FAST_RETRY
from tests.sinks.receivers import HttpReceiver, Request

TOKEN = "SuperSecret-7c1f0e9a2b"
HOOK_PATH = "/services/T0AB12CD3/B0AB12CD3/Zx9Yw8Vu7Ts6Rq5Po4"


def echo_headers_at_the_cut(req: Request) -> tuple[int, bytes]:
    """A proxy's 400 page echoing the request headers, the token straddling character 300."""
    filler = "x" * (300 - len(" Authorization: Splunk ") - 5)  # 5 token characters fit
    return 400, f"{filler} Authorization: {req.headers['Authorization']}".encode()


def test_hec_error_bodies_are_redacted_before_they_are_cut(
    result: ScanResult, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CP_HEC_TOKEN", TOKEN)
    hec = HttpReceiver(echo_headers_at_the_cut)
    state = f"{tmp_path}/state.db"
    console = Console(record=True, width=500)
    try:
        url = f"splunk+http://127.0.0.1:{hec.port}?token_env=CP_HEC_TOKEN"
        summary = deliver_scan(result, [url], state, console, policy=FAST_RETRY)
    finally:
        hec.stop()
    (report,) = summary.reports
    assert report.pending == len(result.findings)
    shown = console.export_text()
    assert "HEC replied 400" in shown
    # the first five characters of the token would survive a cut made before redaction
    assert TOKEN[:5] not in shown
    with Store.open(state) as store:
        (queue,) = store.queue_status()
    assert "HEC replied 400" in queue.last_error
    assert TOKEN[:5] not in queue.last_error
    assert len(queue.last_error) <= 330


def test_a_webhook_path_secret_is_read_from_the_environment_and_never_shown(
    result: ScanResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CP_HOOK_PATH", HOOK_PATH)
    hook = HttpReceiver(lambda req: (403, f"bad hook {req.path}".encode()))
    try:
        sink = sink_from_url(f"webhook+http://127.0.0.1:{hook.port}?path_env=CP_HOOK_PATH")
        outcome = sink.deliver(build_events(result, sink, utcnow()))
    finally:
        hook.stop()
    assert [r.path for r in hook.requests] == [HOOK_PATH]
    assert HOOK_PATH not in sink.name
    assert sink.name == f"webhook+http://127.0.0.1:{hook.port}?path_env=CP_HOOK_PATH"
    reasons = set(outcome.failed.values())
    assert reasons == {"webhook replied 403: bad hook ***"}


def test_a_token_like_path_in_clear_is_refused_without_echoing_it() -> None:
    with pytest.raises(ConfigurationError) as caught:
        sink_from_url(f"webhook+https://hooks.slack.com{HOOK_PATH}")
    assert "path_env=" in str(caught.value)
    assert "Zx9Yw8" not in str(caught.value)
