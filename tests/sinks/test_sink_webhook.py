"""The generic webhook against a real HTTP(S) server: JSON batches, HMAC, bearer token."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path

import pytest
import trustme

from cloudposture.model import ScanResult
from cloudposture.outbox.outbox import build_events, utcnow
from cloudposture.sinks.registry import sink_from_url
from cloudposture.sinks.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER
from tests.sinks.receivers import HttpReceiver, server_context

SECRET = "whsec-4f1e2d3c"

pytestmark = pytest.mark.slow


def test_signed_json_batch_over_tls(
    result: ScanResult, ca: trustme.CA, ca_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CP_HOOK_SECRET", SECRET)
    monkeypatch.setenv("CP_HOOK_TOKEN", "bearer-abc")
    hook = HttpReceiver(lambda _: (202, b""), tls=server_context(ca))
    try:
        sink = sink_from_url(
            f"webhook+https://localhost:{hook.port}/ingest/cp?secret_env=CP_HOOK_SECRET"
            f"&token_env=CP_HOOK_TOKEN&ca_file={ca_file}&status=fail"
        )
        events = build_events(result, sink, utcnow())
        outcome = sink.deliver(events)
    finally:
        hook.stop()
    assert outcome.failed == {}
    assert outcome.acked == {e.event_id for e in events}
    (req,) = hook.requests
    assert req.path == "/ingest/cp"
    assert req.headers["Content-Type"] == "application/json"
    assert req.headers["Authorization"] == "Bearer bearer-abc"
    stamp = req.headers[TIMESTAMP_HEADER]
    assert abs(int(stamp) - time.time()) < 60
    expected = hmac.new(SECRET.encode(), stamp.encode() + b"." + req.body, hashlib.sha256)
    assert req.headers[SIGNATURE_HEADER] == "sha256=" + expected.hexdigest()
    body = json.loads(req.body)
    assert [e["status_code"] for e in body["events"]] == ["FAIL"]  # status=fail filter
    assert body["events"][0]["metadata"]["uid"] == events[0].event_id


def test_tampered_body_does_not_verify(monkeypatch: pytest.MonkeyPatch) -> None:
    from cloudposture.sinks.webhook import signature

    good = signature(SECRET, "1700000000", b'{"events": []}')
    assert good != signature(SECRET, "1700000000", b'{"events": [1]}')
    assert good != signature(SECRET, "1700000001", b'{"events": []}')


def test_non_2xx_reply_fails_every_event(result: ScanResult) -> None:
    hook = HttpReceiver(lambda _: (500, b"boom"))
    try:
        sink = sink_from_url(f"webhook+http://127.0.0.1:{hook.port}/h")
        outcome = sink.deliver(build_events(result, sink, utcnow()))
    finally:
        hook.stop()
    assert outcome.acked == frozenset()
    assert set(outcome.failed.values()) == {"webhook replied 500: boom"}
    assert SIGNATURE_HEADER not in hook.requests[0].headers  # no secret, no signature
