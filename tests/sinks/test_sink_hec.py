"""Splunk HEC against a real HTTP(S) server on 127.0.0.1."""

from __future__ import annotations

import json
import ssl
from pathlib import Path

import pytest
import trustme

from cloudposture.model import ScanResult
from cloudposture.model.events import event_id
from cloudposture.outbox.outbox import build_events, utcnow
from cloudposture.sinks.base import Sink
from cloudposture.sinks.registry import sink_from_url
from tests.sinks.receivers import HttpReceiver, Request, server_context

TOKEN = "hec-0f9d8c7b-secret"

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CP_HEC_TOKEN", TOKEN)


def deliver_all(sink: Sink, result: ScanResult) -> tuple[set[str], dict[str, str]]:
    events = build_events(result, sink, utcnow())
    outcome = sink.deliver(events)
    return set(outcome.acked), dict(outcome.failed)


def test_batch_over_tls_with_auth_index_and_sourcetype(
    result: ScanResult, ca: trustme.CA, ca_file: Path
) -> None:
    hec = HttpReceiver(tls=server_context(ca))
    try:
        sink = sink_from_url(
            f"splunk+https://127.0.0.1:{hec.port}?token_env=CP_HEC_TOKEN&index=security"
            f"&sourcetype=cloudposture:test&ca_file={ca_file}"
        )
        acked, failed = deliver_all(sink, result)
    finally:
        hec.stop()
    assert failed == {}
    assert acked == {event_id(f.uid, f.status, f.scan_id) for f in result.findings}
    (req,) = hec.requests
    assert req.path == "/services/collector/event"
    assert req.headers["Authorization"] == f"Splunk {TOKEN}"
    envelopes = [json.loads(line) for line in req.body.decode().splitlines()]
    assert [e["event"]["finding_info"]["uid"] for e in envelopes] == [
        f.uid for f in result.findings
    ]
    assert {e["index"] for e in envelopes} == {"security"}
    assert {e["sourcetype"] for e in envelopes} == {"cloudposture:test"}
    assert {e["source"] for e in envelopes} == {"cloudposture"}
    assert envelopes[0]["time"] == result.findings[0].created_at.timestamp()
    assert {e["event"]["metadata"]["uid"] for e in envelopes} == acked


def test_untrusted_certificate_is_refused(result: ScanResult, ca: trustme.CA) -> None:
    hec = HttpReceiver(tls=server_context(trustme.CA()))  # a CA the client does not trust
    try:
        sink = sink_from_url(f"splunk+https://127.0.0.1:{hec.port}?token_env=CP_HEC_TOKEN")
        acked, failed = deliver_all(sink, result)
    finally:
        hec.stop()
    assert acked == set()
    assert all("TLS verification failed" in reason for reason in failed.values())
    assert hec.requests == []


def test_error_reply_fails_the_batch_and_never_leaks_the_token(result: ScanResult) -> None:
    def echo_auth(req: Request) -> tuple[int, bytes]:
        # a hostile or buggy receiver echoing the credential back must not get it logged
        text = f"Invalid token {req.headers['Authorization']}"
        return 403, json.dumps({"text": text, "code": 4}).encode()

    hec = HttpReceiver(echo_auth)
    try:
        sink = sink_from_url(f"splunk+http://127.0.0.1:{hec.port}?token_env=CP_HEC_TOKEN")
        from cloudposture.outbox.outbox import attempt

        acked, failed = attempt(sink, build_events(result, sink, utcnow()))
    finally:
        hec.stop()
    assert acked == set()
    assert len(failed) == len(result.findings)
    reason = next(iter(failed.values()))
    assert reason.startswith("HEC replied 403: Invalid token Splunk ***")
    assert "code 4" in reason
    assert all(TOKEN not in r for r in failed.values())


def test_success_needs_splunks_success_code(result: ScanResult) -> None:
    hec = HttpReceiver(lambda _: (200, b'{"text":"Server is busy","code":9}'))
    try:
        sink = sink_from_url(f"splunk+http://127.0.0.1:{hec.port}?token_env=CP_HEC_TOKEN")
        acked, failed = deliver_all(sink, result)
    finally:
        hec.stop()
    assert acked == set()
    assert set(failed.values()) == {"HEC replied 200: Server is busy, code 9"}


def test_indexer_acknowledgement_is_awaited(result: ScanResult) -> None:
    polls: list[Request] = []

    def hec_with_ack(req: Request) -> tuple[int, bytes]:
        if req.path.startswith("/services/collector/ack"):
            polls.append(req)
            indexed = len(polls) >= 2  # "not yet" once, then indexed
            return 200, json.dumps({"acks": {"7": indexed}}).encode()
        return 200, b'{"text":"Success","code":0,"ackId":7}'

    hec = HttpReceiver(hec_with_ack)
    try:
        sink = sink_from_url(f"splunk+http://127.0.0.1:{hec.port}?token_env=CP_HEC_TOKEN&ack=true")
        acked, failed = deliver_all(sink, result)
    finally:
        hec.stop()
    assert failed == {}
    assert len(acked) == len(result.findings)
    assert len(polls) == 2
    channel = hec.requests[0].headers["X-Splunk-Request-Channel"]
    assert polls[0].path == f"/services/collector/ack?channel={channel}"
    assert json.loads(polls[0].body) == {"acks": [7]}


def test_unconfirmed_indexing_keeps_the_batch_queued(result: ScanResult) -> None:
    def never_indexed(req: Request) -> tuple[int, bytes]:
        if req.path.startswith("/services/collector/ack"):
            return 200, b'{"acks":{"1":false}}'
        return 200, b'{"text":"Success","code":0,"ackId":1}'

    hec = HttpReceiver(never_indexed)
    try:
        sink = sink_from_url(
            f"splunk+http://127.0.0.1:{hec.port}?token_env=CP_HEC_TOKEN&ack=true&ack_timeout=0.3"
        )
        acked, failed = deliver_all(sink, result)
    finally:
        hec.stop()
    assert acked == set()
    assert all("did not confirm indexing" in r for r in failed.values())


def test_tls_context_verifies_host_names(ca: trustme.CA, ca_file: Path) -> None:
    from cloudposture.sinks.http import tls_context

    context = tls_context(str(ca_file))
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname is True
