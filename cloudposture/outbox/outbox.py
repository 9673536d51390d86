"""The durable outbox: queue each finding per sink, deliver in batches, keep what failed.

An event leaves a sink's queue only when that sink acknowledged it. Failures are retried within
the run with exponential backoff and jitter, for a bounded time; what is still unacknowledged
when the time is up stays queued for the next run or ``cloudposture outbox flush``. A whole
batch failing (receiver down) postpones the sink's whole queue, so a dead SIEM costs one
failed connection per retry, not one per batch.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cloudposture.model import ScanResult
from cloudposture.model.events import OutboxEvent, event_id
from cloudposture.numbers import bounded_number
from cloudposture.sinks.interface import DeliveryResult, Sink
from cloudposture.sinks.url import redact
from cloudposture.store import Store
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
    return [
        OutboxEvent(
            event_id=event_id(f.uid, f.status, f.scan_id),
            sink=sink.name,
            payload=sink.encode(f, result.scan),
            finding_uid=f.uid,
            status=f.status,
            scan_id=f.scan_id,
            next_attempt_at=now,
            created_at=now,
        )
        for f in result.findings
        if sink.accepts(f)
    ]


def enqueue(store: Store, result: ScanResult, sinks: Iterable[Sink]) -> dict[str, int]:
    """Queue ``result`` for every sink; returns sink name -> events newly queued."""
    now = utcnow()
    return {s.name: store.enqueue(build_events(result, s, now)) for s in sinks}


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
