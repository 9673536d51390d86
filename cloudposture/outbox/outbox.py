"""The durable outbox: queue each finding per sink, deliver in batches, keep what failed.

An event leaves a sink's queue only when that sink acknowledged it. Failures are retried within
the run with exponential backoff and jitter, for a bounded time; what is still unacknowledged
when the time is up stays queued for the next run or ``cloudposture outbox flush``. A whole
batch failing (receiver down) postpones the sink's whole queue, so a dead SIEM costs one
failed connection per retry, not one per batch.

Queueing streams: findings are read one at a time (from the scan's spool, or a whole result's
list), encoded for every sink in batches of :data:`~cloudposture.store.db.WRITE_BATCH`, and
written in one store transaction, so a 110,000-finding scan never has all its events (or
findings) in memory at once, and a store failure half-way leaves nothing queued.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cloudposture.model import Finding, ScanInfo, ScanResult
from cloudposture.model.events import OutboxEvent, event_id
from cloudposture.numbers import bounded_number
from cloudposture.reporters.output import Scanned, findings_of
from cloudposture.sinks.interface import DeliveryResult, Sink
from cloudposture.sinks.url import redact
from cloudposture.store import Store
from cloudposture.store.db import batched
from cloudposture.workers import worker_pool

RETRY_ENV = "CLOUDPOSTURE_SINK_RETRY_SECONDS"
RETENTION_ENV = "CLOUDPOSTURE_OUTBOX_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30.0
MAX_RETENTION_DAYS = 36500.0
MAX_RETRY_SECONDS = 86400.0


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class RetryPolicy:
    """How long a run keeps retrying, and how the pauses between attempts grow."""

    budget_seconds: float = 15.0
    first_delay: float = 0.5
    max_delay: float = 8.0

    @classmethod
    def from_env(cls) -> RetryPolicy:
        """The default, with ``$CLOUDPOSTURE_SINK_RETRY_SECONDS`` as the time budget."""
        raw = os.environ.get(RETRY_ENV, "")
        if not raw:
            return cls()
        return cls(budget_seconds=bounded_number(raw, RETRY_ENV, 0, MAX_RETRY_SECONDS))

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds before attempt ``attempt + 1``: doubling, capped, half of it jittered so
        many scanners recovering from one outage do not all retry in step."""
        ceiling = min(self.max_delay, self.first_delay * 2.0 ** max(attempt - 1, 0))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


@dataclass(frozen=True)
class SinkReport:
    """What one flush achieved for one sink."""

    sink: str
    delivered: int
    pending: int
    last_error: str = ""


def build_events(result: ScanResult, sink: Sink, now: datetime) -> list[OutboxEvent]:
    """The events ``sink`` should get from ``result``: its accepted findings, encoded."""
    return list(events_for(result.findings, result.scan, sink, now))


def events_for(
    findings: Iterable[Finding], scan: ScanInfo, sink: Sink, now: datetime
) -> Iterator[OutboxEvent]:
    """The events ``sink`` should get from ``findings`` of ``scan``, one at a time."""
    for f in findings:
        if sink.accepts(f):
            yield OutboxEvent(
                event_id=event_id(f.uid, f.status, f.scan_id),
                sink=sink.name,
                payload=sink.encode(f, scan),
                finding_uid=f.uid,
                status=f.status,
                scan_id=f.scan_id,
                next_attempt_at=now,
                created_at=now,
            )


def enqueue(store: Store, result: Scanned, sinks: Iterable[Sink]) -> dict[str, int]:
    """Queue ``result`` for every sink; returns sink name -> events newly queued."""
    return _queue(store, result, list(sinks), utcnow(), config_key=None)


def record_and_enqueue(
    store: Store, scanned: Scanned, sinks: Sequence[Sink], config_key: str, now: datetime
) -> dict[str, int]:
    """Record the scan and its findings and queue them for every sink, all in one transaction
    and one pass over the findings; returns sink name -> events newly queued.

    One transaction for the scan and every sink, not one per sink: a store failure then leaves
    nothing at all (what :func:`cloudposture.outbox.delivery.deliver_scan` reports as not
    recorded, not queued, not delivered is exactly what is missing), and each finding is read
    from the spool and completed once for the store and all sinks, not once per sink. SQLite
    takes one writer at a time anyway, so per-sink transactions would not run side by side.
    """
    return _queue(store, scanned, sinks, now, config_key)


def _queue(
    store: Store, scanned: Scanned, sinks: Sequence[Sink], now: datetime, config_key: str | None
) -> dict[str, int]:
    """One pass over the findings in batches: each batch recorded (when ``config_key`` is
    given) and encoded for every sink, all in one transaction."""
    queued = {s.name: 0 for s in sinks}
    if config_key is None and not sinks:
        return queued
    with store.recording() as rec:
        if config_key is not None:
            rec.scan(scanned.scan, config_key, now)
        for batch in batched(findings_of(scanned)):
            if config_key is not None:
                rec.findings(batch)
            for sink in sinks:
                queued[sink.name] += rec.events(list(events_for(batch, scanned.scan, sink, now)))
    return queued


def flush(
    store: Store, sinks: Sequence[Sink], policy: RetryPolicy | None = None
) -> list[SinkReport]:
    """Deliver every sink's pending events, the sinks in parallel, within the policy's time."""
    policy = policy or RetryPolicy.from_env()
    retention = retention_from_env()  # a bad value is an error even with nothing to send
    if not sinks:
        return []
    with worker_pool(len(sinks), "sink") as pool:
        futures = [pool.submit(_flush_sink, store, s, policy) for s in sinks]
        reports = [f.result() for f in futures]
    store.prune_delivered(utcnow() - retention)
    return reports


def retention_from_env() -> timedelta:
    """How long acknowledged events are kept (``$CLOUDPOSTURE_OUTBOX_RETENTION_DAYS``, 30)."""
    raw = os.environ.get(RETENTION_ENV, "")
    days = bounded_number(raw, RETENTION_ENV, 0, MAX_RETENTION_DAYS) if raw else None
    return timedelta(days=DEFAULT_RETENTION_DAYS if days is None else days)


def _flush_sink(store: Store, sink: Sink, policy: RetryPolicy) -> SinkReport:
    """Attempts until the queue is empty or the budget is spent. The budget is checked after
    every failed attempt, and the next attempt is timed from when this one *ended*: an attempt
    as long as the backoff (a receiver that accepts and never answers) must not make every
    event due again at once and keep the loop going past its budget."""
    deadline = time.monotonic() + policy.budget_seconds
    rng = random.Random()
    store.reschedule(sink.name, utcnow())
    delivered, last_error = 0, ""
    while True:
        batch = store.due_events(sink.name, utcnow(), sink.batch_size)
        if not batch:
            upcoming = store.next_attempt_at(sink.name)
            if upcoming is None:
                break
            wait = max((upcoming - utcnow()).total_seconds(), 0.0)
            if time.monotonic() + wait > deadline:
                break
            time.sleep(wait)
            continue
        acked, failed = attempt(sink, batch)
        ended = utcnow()
        store.mark_delivered(sink.name, acked, ended)
        delivered += len(acked)
        if failed:
            last_error = next(iter(failed.values()))
            retry_at = {
                e.event_id: ended + timedelta(seconds=policy.delay(e.attempts + 1, rng))
                for e in batch
                if e.event_id in failed
            }
            store.mark_failed(sink.name, failed, retry_at)
            if not acked:
                store.reschedule(sink.name, min(retry_at.values()))
            if time.monotonic() >= deadline:
                break  # a healthy sink drains its queue; a failing one stops on time
    pending = store.pending_count(sink.name)
    return SinkReport(sink.name, delivered, pending, last_error if pending else "")


def attempt(sink: Sink, batch: Sequence[OutboxEvent]) -> tuple[set[str], dict[str, str]]:
    """One delivery call: the acknowledged ids, and a redacted one-line reason per failure."""
    try:
        result = sink.deliver(batch)
    except Exception as err:  # noqa: BLE001 - a sink's bug must cost a retry, not the queue
        result = DeliveryResult.all_failed(batch, f"{type(err).__name__}: {err}")
    ids = {e.event_id for e in batch}
    acked = set(result.acked) & ids
    failed = {
        eid: redact(result.failed.get(eid, "the sink reported no outcome for it"), sink.secrets)
        for eid in sorted(ids - acked)
    }
    return acked, failed
