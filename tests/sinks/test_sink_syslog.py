"""Syslog RFC 5424 over TLS (RFC 5425 framing) against a real TLS collector, and CEF escaping."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
import trustme

from cloudposture.model import ScanResult, Status
from cloudposture.model.events import event_id
from cloudposture.outbox.outbox import build_events, utcnow
from cloudposture.reporters.example import example_findings, example_result
from cloudposture.sinks.cef import cef_line, escape_extension, escape_header
from cloudposture.sinks.registry import sink_from_url
from cloudposture.sinks.syslog import frame
from tests.sinks.receivers import SyslogReceiver, server_context

RFC5424 = re.compile(
    r"^<(?P<pri>\d{1,3})>1 (?P<ts>\S+) (?P<host>\S+) (?P<app>\S+) - (?P<msgid>\S+) - (?P<msg>.*)$",
    re.DOTALL,
)


def test_frame_counts_octets_not_characters() -> None:
    assert frame("héllo") == b"6 h\xc3\xa9llo"


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a|b", "a\\|b"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines", "two lines"),
        ("a=b", "a=b"),
    ],
)
def test_cef_header_escaping(raw: str, escaped: str) -> None:
    assert escape_header(raw) == escaped


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a=b", "a\\=b"),
        ("back\\slash", "back\\\\slash"),
        ("l1\nl2\r", "l1\\nl2\\r"),
        ("a|b", "a|b"),
    ],
)
def test_cef_extension_escaping(raw: str, escaped: str) -> None:
    assert escape_extension(raw) == escaped


def test_cef_line_of_the_tricky_finding() -> None:
    result = example_result()
    finding = result.findings[0]  # message has | = " \ and a newline
    line = cef_line(finding, result.scan)
    assert "\n" not in line
    header = line.split("|", 7)
    assert header[:7] == [
        "CEF:0",
        "cloudposture",
        "cloudposture",
        "0.1.0",
        "CP-001",
        "API server reachable from the whole internet",
        "10",
    ]
    assert (
        'msg=public endpoint allows 0.0.0.0/0 | key\\=value "quoted" \\\\ path\\nsecond line'
        in line
    )
    assert f"externalId={event_id(finding.uid, finding.status, finding.scan_id)}" in line
    # every extension key is followed by an unescaped '=', values never contain one
    keys = re.findall(r"(?:^| )([A-Za-z0-9]+)=", header[7])
    assert keys[:4] == ["rt", "externalId", "outcome", "cat"]


def test_passing_checks_are_informational_in_cef() -> None:
    result = example_result()
    severities = {f.status: cef_line(f, result.scan).split("|")[6] for f in result.findings}
    assert severities[Status.FAIL] == "10"
    assert severities[Status.PASS] == "0"
    assert severities[Status.MUTED] == "0"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "cef"])
def test_tls_delivery_in_rfc5425_frames(
    fmt: str, result: ScanResult, ca: trustme.CA, ca_file: Path
) -> None:
    collector = SyslogReceiver(server_context(ca)).start()
    try:
        sink = sink_from_url(
            f"syslog+tls://localhost:{collector.port}?format={fmt}&ca_file={ca_file}"
            "&facility=local4"
        )
        events = build_events(result, sink, utcnow())
        outcome = sink.deliver(events)
        messages = collector.wait_for(len(events))
    finally:
        collector.stop()
    assert outcome.failed == {}
    assert outcome.acked == {e.event_id for e in events}
    assert len(messages) == len(result.findings)
    parsed = [RFC5424.match(m) for m in messages]
    assert all(parsed)
    first = parsed[0]
    assert first is not None
    assert int(first["pri"]) == 20 * 8 + 2  # local4, critical FAIL -> crit
    assert first["ts"] == "2024-05-01T02:00:30.000Z"
    assert first["host"] == (socket.gethostname() or "-")
    assert first["app"] == "cloudposture"
    assert first["msgid"] == "CP-001"
    if fmt == "json":
        body = json.loads(first["msg"])
        assert body["finding_info"]["uid"] == result.findings[0].uid
        assert body["metadata"]["uid"] == events[0].event_id
    else:
        assert first["msg"].startswith("CEF:0|cloudposture|cloudposture|0.1.0|CP-001|")


@pytest.mark.slow
def test_certificate_from_another_ca_is_refused(result: ScanResult, ca_file: Path) -> None:
    collector = SyslogReceiver(server_context(trustme.CA())).start()
    try:
        sink = sink_from_url(f"syslog+tls://127.0.0.1:{collector.port}?ca_file={ca_file}")
        outcome = sink.deliver(build_events(result, sink, utcnow()))
    finally:
        collector.stop()
    assert outcome.acked == frozenset()
    assert set(outcome.failed.values()) == {
        f"syslog TLS to 127.0.0.1:{collector.port}: unable to get local issuer certificate"
    }
    assert collector.messages == []


@pytest.mark.slow
def test_mutual_tls_presents_the_client_certificate(
    result: ScanResult, ca: trustme.CA, ca_file: Path, tmp_path: Path
) -> None:
    client_ca = trustme.CA()
    client = client_ca.issue_cert("scanner.example.com")
    cert, key = tmp_path / "client.pem", tmp_path / "client.key"
    client.cert_chain_pems[0].write_to_path(str(cert))
    client.private_key_pem.write_to_path(str(key))
    collector = SyslogReceiver(server_context(ca, client_ca=client_ca)).start()
    try:
        sink = sink_from_url(
            f"syslog+tls://127.0.0.1:{collector.port}?ca_file={ca_file}"
            f"&cert_file={cert}&key_file={key}"
        )
        outcome = sink.deliver(build_events(result, sink, utcnow()))
        messages = collector.wait_for(len(result.findings))
    finally:
        collector.stop()
    assert len(outcome.acked) == len(result.findings)
    assert len(messages) == len(result.findings)
    assert collector.peer_certs[0]["subjectAltName"] == (("DNS", "scanner.example.com"),)


@pytest.mark.slow
def test_plain_tcp_on_loopback(result: ScanResult) -> None:
    collector = SyslogReceiver(None).start()
    try:
        sink = sink_from_url(f"syslog+tcp://127.0.0.1:{collector.port}?format=cef")
        outcome = sink.deliver(build_events(result, sink, utcnow()))
        messages = collector.wait_for(len(result.findings))
    finally:
        collector.stop()
    assert len(outcome.acked) == len(example_findings())
    assert [m.split(" - ", 2)[-1].split("|")[4] for m in messages] == [
        f.rule_id for f in result.findings
    ]


@pytest.mark.slow
def test_collector_down_fails_with_one_line(result: ScanResult) -> None:
    collector = SyslogReceiver(None).start()
    port = collector.port
    collector.stop()
    sink = sink_from_url(f"syslog+tcp://127.0.0.1:{port}")
    outcome = sink.deliver(build_events(result, sink, utcnow()))
    assert outcome.acked == frozenset()
    reasons = set(outcome.failed.values())
    assert len(reasons) == 1
    assert reasons.pop().startswith(f"syslog connect to 127.0.0.1:{port} failed")
