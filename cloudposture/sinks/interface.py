"""What a SIEM sink is: built from a URL, it encodes findings and delivers batches of events.

A sink never decides what happens to a failure: it reports, per event id, acknowledged or
failed-with-a-reason, and the outbox keeps the failed ones for a retry. ``encode`` runs when a
finding is queued, so the outbox stores exactly the bytes that will be sent, and a later
``cloudposture outbox flush`` needs no scan result to resend them.

Sinks are registered under the entry-point group ``cloudposture.sinks`` as URL scheme ->
:data:`SinkFactory` (the core's own schemes in cloudposture's pyproject); a sink has no
optional capability, so a Protocol states all of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from cloudposture.model import Finding, ScanInfo
from cloudposture.model.events import OutboxEvent
from cloudposture.sinks.url import SinkUrl


@runtime_checkable
class Sink(Protocol):
    name: str
    """The URL without secrets, options sorted: shown to users and the outbox queue key."""

    batch_size: int
    """At most this many events per ``deliver`` call."""

    secrets: tuple[str, ...]
    """Secret values this sink holds, removed from every error it reports."""

    def accepts(self, finding: Finding) -> bool:
        """Whether this finding goes to this sink (``status=`` filter, provider limits)."""
        ...

    def encode(self, finding: Finding, scan: ScanInfo) -> str:
        """The payload for one finding, exactly as it will be sent."""
        ...

    def deliver(self, events: Sequence[OutboxEvent]) -> DeliveryResult:
        """Send ``events``; say which the receiver acknowledged and why others failed."""
        ...


SinkFactory = Callable[[SinkUrl], Sink]


class DeliveryError(Exception):
    """A whole batch could not be delivered (connection refused, HTTP 503, ...): one line."""


@dataclass(frozen=True)
class DeliveryResult:
    acked: frozenset[str] = frozenset()
    failed: Mapping[str, str] = field(default_factory=dict)
    """event id -> why, one line"""

    @classmethod
    def all_acked(cls, events: Iterable[OutboxEvent]) -> DeliveryResult:
        return cls(acked=frozenset(e.event_id for e in events))

    @classmethod
    def all_failed(cls, events: Iterable[OutboxEvent], reason: str) -> DeliveryResult:
        return cls(failed={e.event_id: reason for e in events})
