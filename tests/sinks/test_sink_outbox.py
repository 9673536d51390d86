"""The durable outbox end to end: receivers down during a scan, then up, then a flush.

Every event must arrive exactly once per event id at every receiver, none lost, and nothing
must be sent again once acknowledged.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
import trustme
from click.testing import CliRunner
from rich.console import Console

from cloudposture.cli.outbox_cli import outbox
from cloudposture.model import Finding, ScanInfo, ScanResult
from cloudposture.model.events import OutboxEvent, event_id
from cloudposture.outbox.delivery import config_key_of, deliver_scan
from cloudposture.outbox.outbox import RetryPolicy, enqueue, flush
from cloudposture.sinks.base import DeliveryResult, UrlSink
from cloudposture.sinks.url import SinkUrl
from cloudposture.store import Store
from tests.sinks.conftest import FAST_RETRY
from tests.sinks.receivers import HttpReceiver, Request, SyslogReceiver, server_context

TOKEN = "hec-outbox-token-77"

pytestmark = pytest.mark.slow


def hec_event_ids(receiver: HttpReceiver) -> list[str]:
    return [
        json.loads(line)["event"]["metadata"]["uid"]
        for req in receiver.requests
        for line in req.body.decode().splitlines()
    ]


def syslog_event_ids(messages: Sequence[str]) -> list[str]:
    return [json.loads(m.split(" - ", 2)[2])["metadata"]["uid"] for m in messages]


def expected_ids(result: ScanResult) -> set[str]:
    return {event_id(f.uid, f.status, f.scan_id) for f in result.findings}


def test_outage_then_flush_delivers_every_event_exactly_once(
    result: ScanResult,
    ca: trustme.CA,
    ca_file: Path,
    state: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CP_HEC_TOKEN", TOKEN)
    hec = HttpReceiver()
    hec.stop()  # SIEM down during the scan
    collector = SyslogReceiver(server_context(ca)).start()
    collector.stop()
    urls = [
        f"splunk+http://127.0.0.1:{hec.port}?token_env=CP_HEC_TOKEN",
        f"syslog+tls://127.0.0.1:{collector.port}?format=json&ca_file={ca_file}",
    ]
    console = Console(record=True, width=400)

    down = deliver_scan(result, urls, state, console, policy=FAST_RETRY)

    assert [r.delivered for r in down.reports] == [0, 0]
    assert [r.pending for r in down.reports] == [5, 5]
    assert not down.all_delivered
    said = console.export_text()
    assert "delivery pending: 10 events stay queued" in said
    assert "cloudposture outbox flush" in said
    assert TOKEN not in said

    status = CliRunner().invoke(outbox, ["status", "--state", state])
    assert status.exit_code == 0
    assert status.output.count("pending 5, delivered 0") == 2
    assert "last error: POST 127.0.0.1" in status.output

    hec.start()  # back on the same port
    collector.start()
    try:
        flushed = CliRunner().invoke(outbox, ["flush", "--state", state, "--retry-seconds", "1"])
        syslog_messages = collector.wait_for(5)
        again = CliRunner().invoke(outbox, ["flush", "--state", state])
        redo = deliver_scan(result, urls, state, None, policy=FAST_RETRY)
    finally:
        hec.stop()
        collector.stop()

    assert flushed.exit_code == 0, flushed.output
    assert re.findall(r": (\d+) delivered", flushed.output) == ["5", "5"]
    assert Counter(hec_event_ids(hec)) == Counter(expected_ids(result))
    assert Counter(syslog_event_ids(syslog_messages)) == Counter(expected_ids(result))
    assert len(collector.messages) == 5  # nothing more arrived later
    assert again.exit_code == 0
    assert again.output.strip() == "outbox is empty: nothing to flush"
    assert [r.delivered for r in redo.reports] == [0, 0]  # already acknowledged: not resent
    assert redo.all_delivered
    assert len(hec.requests) == 1


def test_a_flapping_receiver_is_retried_within_the_run(result: ScanResult, state: str) -> None:
    replies = iter([(503, b'{"text":"Server is busy","code":9}')])

    def busy_once(_: Request) -> tuple[int, bytes]:
        return next(replies, (200, b'{"text":"Success","code":0}'))

    hec = HttpReceiver(busy_once)
    try:
        summary = deliver_scan(
            result,
            [f"splunk+http://127.0.0.1:{hec.port}?token_file={_token_file(state)}"],
            state,
            None,
            policy=RetryPolicy(budget_seconds=2, first_delay=0.01, max_delay=0.02),
        )
    finally:
        hec.stop()
    assert summary.all_delivered
    assert summary.lines() == [
        f"sink splunk+http://127.0.0.1:{hec.port}?token_file={_token_file(state)}: 5 delivered"
    ]
    assert len(hec.requests) == 2
    assert sorted(hec_event_ids(hec)[5:]) == sorted(expected_ids(result))


def _token_file(state: str) -> str:
    path = Path(state).with_name("hec.token")
    path.write_text(TOKEN)
    return str(path)


class PickySink(UrlSink):
    """Acknowledges only findings of some rules, rejects the rest, or blows up."""

    def __init__(self, accept_rules: set[str], explode: bool = False) -> None:
        super().__init__(SinkUrl.parse("picky://test?status=all"), ["s3cr3t-value"])
        self.accept_rules = accept_rules
        self.explode = explode
        self.seen: list[str] = []

    def encode(self, finding: Finding, scan: ScanInfo) -> str:
        return finding.rule_id

    def deliver(self, events: Sequence[OutboxEvent]) -> DeliveryResult:
        self.seen += [e.event_id for e in events]
        if self.explode:
            raise RuntimeError("bug in sink holding s3cr3t-value")
        ok = {e.event_id for e in events if e.payload in self.accept_rules}
        return DeliveryResult(
            acked=frozenset(ok),
            failed={e.event_id: "rejected" for e in events if e.event_id not in ok},
        )


def test_only_acknowledged_events_leave_the_queue(result: ScanResult, state: str) -> None:
    sink = PickySink({"CP-001", "ENC-001"})
    with Store.open(state) as store:
        assert enqueue(store, result, [sink]) == {sink.name: 5}
        assert enqueue(store, result, [sink]) == {sink.name: 0}  # idempotent
        (report,) = flush(store, [sink], RetryPolicy(0.2, 0.01, 0.02))
        (queue,) = store.queue_status()
    assert (report.delivered, report.pending, report.last_error) == (2, 3, "rejected")
    assert (queue.pending, queue.delivered, queue.last_error) == (3, 2, "rejected")
    assert queue.max_attempts >= 2  # retried within the run
    assert Counter(sink.seen)[event_id(*_key(result.findings[0]))] == 1  # acked: sent once


def _key(f: Finding) -> tuple[str, str, str]:
    return f.uid, f.status.value, f.scan_id


def test_a_sink_that_raises_costs_a_retry_not_the_queue(result: ScanResult, state: str) -> None:
    sink = PickySink(set(), explode=True)
    with Store.open(state) as store:
        enqueue(store, result, [sink])
        (report,) = flush(store, [sink], RetryPolicy(0.05, 0.01, 0.02))
    assert report.pending == 5
    assert report.last_error == "RuntimeError: bug in sink holding ***"


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    import random

    policy = RetryPolicy(budget_seconds=60, first_delay=1.0, max_delay=8.0)
    rng = random.Random(7)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]:
        delays = [policy.delay(attempt, rng) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jittered


def test_no_sinks_and_no_state_writes_nothing(
    result: ScanResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLOUDPOSTURE_STATE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    summary = deliver_scan(result, [], None, None)
    assert summary.reports == ()
    assert not (tmp_path / ".cloudposture").exists()


def test_state_store_failure_is_reported_not_raised(result: ScanResult, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    console = Console(record=True, width=300)
    summary = deliver_scan(result, ["syslog+tcp://127.0.0.1:9"], str(blocker / "state.db"), console)
    # it says what was lost, sink by sink (the scan then exits 3, see test_delivery_exit)
    assert summary.problem.startswith(
        "state store unavailable: not recorded, not queued, not delivered: "
        f"{len(result.findings)} finding(s) for syslog+tcp://127.0.0.1:9 ("
    )
    assert console.export_text().startswith("delivery: state store unavailable")


def test_scan_is_recorded_with_its_config_key(result: ScanResult, state: str) -> None:
    deliver_scan(result, [], state, None)
    with Store.open(state) as store:
        row = store.scan_row(result.scan.id)
        assert row is not None
        assert row["config_key"] == config_key_of(result)
        assert len(store.scan_findings(result.scan.id)) == 5


def test_flush_cli_reports_sinks_it_cannot_rebuild(
    result: ScanResult, state: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CP_HEC_TOKEN", TOKEN)
    deliver_scan(
        result,
        ["splunk+http://127.0.0.1:9?token_env=CP_HEC_TOKEN"],
        state,
        None,
        policy=RetryPolicy(0.01, 0.01, 0.01),
    )
    monkeypatch.delenv("CP_HEC_TOKEN")
    out = CliRunner().invoke(outbox, ["flush", "--state", state, "--retry-seconds", "0"])
    assert out.exit_code == 1
    assert "5 pending, not flushed: splunk+http sink: environment variable CP_HEC_TOKEN" in (
        out.output
    )
    bad = CliRunner().invoke(outbox, ["flush", "--state", state, "--sink", "kafka://x"])
    assert bad.exit_code == 2
