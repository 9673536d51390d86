"""After a scan: record it, queue its findings for every sink, deliver, and say what is pending.

This is the one call the ``scan`` command makes. A SIEM that is down never changes the scan's
exit code: the summary says how many events wait in the outbox and how to send them later. A
state store that fails during the run does (exit 3): findings that could not be recorded or
queued would otherwise be lost without a word, so the summary names what was not delivered.

A ``scan`` hands over its spooled findings (:class:`~cloudposture.engine.SpooledScan`), the
nightly run a whole :class:`ScanResult`: both are recorded and queued one batch at a time (see
:func:`~cloudposture.outbox.outbox.record_and_enqueue`), so delivery adds a few MB to a scan,
not an object per finding.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from cloudposture.model.spool import SpoolUnreadable
from cloudposture.outbox.outbox import (
    RetryPolicy,
    SinkReport,
    flush,
    record_and_enqueue,
    retention_from_env,
    utcnow,
)
from cloudposture.reporters.output import Scanned, findings_of
from cloudposture.sinks.interface import Sink
from cloudposture.sinks.registry import sinks_from_urls
from cloudposture.state_env import store_wanted
from cloudposture.store import Store, StoreUnavailable

FLUSH_HINT = "cloudposture outbox flush"


@dataclass(frozen=True)
class DeliverySummary:
    reports: tuple[SinkReport, ...] = ()
    problem: str = ""
    """Set when the state store failed: what was not recorded, queued or delivered."""

    @property
    def pending(self) -> int:
        return sum(r.pending for r in self.reports)

    @property
    def all_delivered(self) -> bool:
        return not self.problem and self.pending == 0

    def lines(self) -> list[str]:
        """One line per sink, plus what to do when something is pending."""
        if self.problem:
            return [f"delivery: {self.problem}"]
        out = []
        for r in self.reports:
            if r.pending:
                out.append(
                    f"sink {r.sink}: {r.delivered} delivered, {r.pending} pending "
                    f"(last error: {r.last_error})"
                )
            else:
                out.append(f"sink {r.sink}: {r.delivered} delivered")
        if self.pending:
            out.append(
                f"delivery pending: {self.pending} events stay queued; "
                f"they are retried on the next run or by `{FLUSH_HINT}`"
            )
        return out


def config_key_of(result: Scanned) -> str:
    """Which targets this scan covered (provider, account, region): runs with the same key are
    runs of the same configuration, which history compares."""
    targets = sorted({(c.provider, c.account, c.region) for c in result.scan.coverage})
    key = json.dumps([sorted(result.scan.providers), targets])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def deliver_scan(
    result: Scanned,
    sink_urls: Sequence[str],
    state_url: str | None,
    console_err: Console | None,
    *,
    config_key: str | None = None,
    policy: RetryPolicy | None = None,
) -> DeliverySummary:
    """Record ``result`` in the state store, queue it for each sink, and deliver.

    The scan, its findings and every sink's events are written in one transaction, a batch of
    findings at a time: a store failure leaves nothing half-recorded or half-queued.

    Nothing is written when there are no sinks and no state store was asked for (``--state``
    or ``$CLOUDPOSTURE_STATE``): a one-off scan leaves no files behind. A bad sink URL raises
    ConfigurationError; call :func:`sinks_from_urls` before scanning to catch it early.
    """
    if not store_wanted(sink_urls, state_url):
        return DeliverySummary()
    sinks = sinks_from_urls(sink_urls)
    queued = False
    try:
        with Store.open(state_url) as store:
            key = config_key or config_key_of(result)
            record_and_enqueue(store, result, sinks, key, utcnow())
            queued = True
            summary = DeliverySummary(tuple(flush(store, sinks, policy)))
    except SpoolUnreadable:
        raise  # the scan's own findings, not the store: one line from the CLI, exit 2
    except (SQLAlchemyError, OSError, StoreUnavailable) as err:
        reason = " ".join(str(err).split())[:300]
        summary = DeliverySummary(problem=_lost(result, sinks, queued, reason))
    if console_err is not None:
        for line in summary.lines():
            console_err.print(line, markup=False, highlight=False)
    return summary


def check_delivery(sink_urls: Sequence[str], state_url: str | None) -> None:
    """Everything delivery will need, checked before any cloud API call: every sink builds
    (secrets set, options known), the retry and retention settings are sane, and the state
    store opens and takes writes (a read-only or corrupt file is exit 2 now, not a lost scan
    later)."""
    sinks_from_urls(sink_urls)
    if not store_wanted(sink_urls, state_url):
        return
    RetryPolicy.from_env()
    retention_from_env()
    with Store.open(state_url) as store:
        store.check_writable()


def _lost(result: Scanned, sinks: Sequence[Sink], queued: bool, reason: str) -> str:
    """What the store's failure cost, said plainly: nothing of this is silently dropped.

    Recording and queueing are one transaction, so before it committed nothing was written:
    every accepted finding of every sink is lost. They are counted by reading the findings
    again (from the spool for a ``scan``), not from a list kept for the purpose."""
    if queued:
        return (
            f"state store failed while delivering ({reason}): the queued events stay queued "
            f"for `{FLUSH_HINT}`"
        )
    lost = {s.name: 0 for s in sinks}
    if sinks:
        for f in findings_of(result):
            for s in sinks:
                lost[s.name] += s.accepts(f)
    what = ", ".join(f"{n} finding(s) for {name}" for name, n in lost.items()) or "the scan"
    return f"state store unavailable: not recorded, not queued, not delivered: {what} ({reason})"
