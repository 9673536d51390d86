"""What the report shows beyond one scan: the changes since the previous run and a trend.

Plain data, built by :mod:`cloudposture.nightly.report_history` from the history store (the
reporters sit below the nightly job and never read the store themselves).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cloudposture.model import Finding

CHANGES = ("new", "regressed", "resolved", "stale", "persisting")


@dataclass(frozen=True)
class TrendPoint:
    """One run: how many findings were failing per severity, and how many were muted."""

    run_id: str
    started_at: datetime
    failing: Mapping[str, int]
    muted: int
    complete: bool


@dataclass(frozen=True)
class HistoryView:
    config_key: str
    run_id: str
    previous_run: str | None
    previous_at: datetime | None
    changes: Mapping[str, Sequence[Finding]] = field(default_factory=dict)
    trend: Sequence[TrendPoint] = ()
