"""Delivery streams a spooled scan into the store: a batch of findings at a time, one transaction.

What is recorded and queued must be byte for byte what the whole-result path writes (the
findings completed with their guidance), on SQLite and PostgreSQL, and a failure half-way must
leave nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import Table, delete, select

from cloudposture.engine import ScanOptions, SpooledScan, spool_scan
from cloudposture.model import Finding, Remediation, ScanInfo, Status
from cloudposture.outbox.delivery import deliver_scan
from cloudposture.outbox.outbox import RetryPolicy, build_events, record_and_enqueue
from cloudposture.rules.base import ProviderGuidance
from cloudposture.rules.catalog import ALL_RULES
from cloudposture.rules.guidance import GuidanceCatalog
from cloudposture.sinks.interface import Sink
from cloudposture.sinks.registry import sinks_from_urls
from cloudposture.store import Store, db
from cloudposture.store.schema import findings, outbox, scans
from tests.core.fakes import FakeScanner

NOW = datetime(2024, 5, 1, 3, 0, tzinfo=UTC)
KEY = "cfg-stream"
BATCH = 7
FIX = ProviderGuidance("endpoint", Remediation(summary="make the endpoint private"))
SINK_URLS = [
    "webhook+http://127.0.0.1:9/hook?status=fail,error",
    "syslog+tcp://127.0.0.1:9?format=cef",
]
# 6 clusters: public (FAIL), private (PASS), unknown (ERROR) endpoints, over two regions
CLUSTERS = {
    ("111", "r1"): [("open", True), ("closed", False), ("unknown", None)],
    ("111", "r0"): [("a", False), ("b", True), ("c", None)],
}


class FakeGuidance:
    name = "fake"
    title = "Fake cloud"
    guidance = {"CP-002": FIX}
    not_applicable = {"ETCD-001": "no etcd here"}


@pytest.fixture
def spooled(monkeypatch: pytest.MonkeyPatch) -> Iterator[SpooledScan]:
    monkeypatch.setattr(db, "WRITE_BATCH", BATCH)  # many batches, the last one short
    options = ScanOptions(rules=ALL_RULES, guidance=GuidanceCatalog([FakeGuidance()]))
    with spool_scan([FakeScanner(CLUSTERS)], options) as scanned:
        yield scanned


def rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the store's own tables, every column, in key order."""

    def of(table: Table) -> list[tuple[Any, ...]]:
        query = select(table).order_by(*table.primary_key.columns)
        with store.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(query)]

    return {t.name: of(t) for t in (scans, findings, outbox)}


def clear(store: Store) -> None:
    with store.engine.begin() as conn:
        for table in (outbox, findings, scans):
            conn.execute(delete(table))


def test_streamed_rows_and_payloads_are_byte_identical_to_the_whole_result(
    spooled: SpooledScan, state_url: str
) -> None:
    sinks = sinks_from_urls(SINK_URLS)
    with Store.open(state_url) as store:
        queued = record_and_enqueue(store, spooled, sinks, KEY, NOW)
        assert "whole" not in vars(spooled), "streaming never builds the whole result"
        streamed = rows(store)
        clear(store)
        record_and_enqueue(store, spooled.whole, sinks, KEY, NOW)
        whole = rows(store)
        clear(store)
        # what delivery did before it streamed: the whole result, then one sink at a time
        store.record_scan(spooled.whole, KEY, NOW)
        for sink in sinks:
            store.enqueue(build_events(spooled.whole, sink, NOW))
        before = rows(store)

    assert streamed == whole == before
    result = spooled.whole
    assert len(result.findings) > 5 * BATCH
    recorded = column(streamed, findings, "finding_json")
    assert sorted(recorded) == sorted(f.model_dump_json() for f in result.findings)
    webhook, syslog = (s.name for s in sinks)
    failing = sum(f.status in (Status.FAIL, Status.ERROR) for f in result.findings)
    assert queued == {webhook: failing, syslog: len(result.findings)}
    to = zip(column(streamed, outbox, "payload"), column(streamed, outbox, "sink"), strict=True)
    payloads = [payload for payload, sink in to if sink == webhook]
    assert len(payloads) == failing
    # completed findings: the guidance the spool leaves out is in the rows and the payloads
    assert sum("make the endpoint private" in j for j in recorded) == 6  # CP-002, every cluster
    assert sum("make the endpoint private" in p for p in payloads) == 4  # public or unknown


def column(snapshot: dict[str, list[tuple[Any, ...]]], table: Table, name: str) -> list[Any]:
    at = list(table.columns.keys()).index(name)
    return [row[at] for row in snapshot[table.name]]


def test_a_failure_half_way_leaves_nothing_recorded_or_queued(
    spooled: SpooledScan, state_url: str
) -> None:
    (webhook,) = sinks_from_urls(SINK_URLS[:1])
    breaking = BreaksAfter(webhook, 3 * BATCH)
    with Store.open(state_url) as store:
        with pytest.raises(RuntimeError, match="encoder broke"):
            record_and_enqueue(store, spooled, [breaking], KEY, NOW)
        assert rows(store) == {"scans": [], "findings": [], "outbox": []}
        # the retry writes everything, and a second write of the same scan merges
        first = record_and_enqueue(store, spooled, [webhook], KEY, NOW)
        again = record_and_enqueue(store, spooled, [webhook], KEY, NOW)
        stored = rows(store)
    assert first[webhook.name] > 0
    assert again == {webhook.name: 0}, "an already queued event is left as it is"
    assert len(stored["scans"]) == 1
    assert len(stored["findings"]) == len(spooled.findings)


class BreaksAfter:
    """A sink whose encoder fails on its n-th finding, after several batches were written."""

    def __init__(self, sink: Sink, n: int) -> None:
        self.name, self.batch_size, self.secrets = sink.name, sink.batch_size, sink.secrets
        self._sink, self._left = sink, n

    def accepts(self, finding: Finding) -> bool:
        return True

    def encode(self, finding: Finding, scan: ScanInfo) -> str:
        self._left -= 1
        if self._left < 0:
            raise RuntimeError("encoder broke")
        return self._sink.encode(finding, scan)

    def deliver(self, events: Sequence[Any]) -> Any:
        return self._sink.deliver(events)


def test_a_lost_store_names_each_sinks_findings_read_again_from_the_spool(
    spooled: SpooledScan, tmp_path: Any
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    console = Console(record=True, width=400)
    summary = deliver_scan(
        spooled, SINK_URLS, str(blocker / "state.db"), console, policy=RetryPolicy(0.01)
    )
    assert "whole" not in vars(spooled)
    result = spooled.whole
    failing = sum(f.status in (Status.FAIL, Status.ERROR) for f in result.findings)
    webhook, syslog = (s.name for s in sinks_from_urls(SINK_URLS))
    assert summary.problem.startswith(
        "state store unavailable: not recorded, not queued, not delivered: "
        f"{failing} finding(s) for {webhook}, {len(result.findings)} finding(s) for {syslog} ("
    )
