"""What the nightly run needs from the history store, as a small interface.

Why an interface of its own: the run flow (scan, diff, deliver) is tested against it with
both real backends (SQLite and PostgreSQL, through ``cloudposture.store``), and a shard, the
finalizer and ``history``/``diff`` commands each use a different slice of it.

A run's life: every shard calls :meth:`HistoryStore.start_run` (idempotent) and then
:meth:`save_shard` in one transaction; the finalizer reads the shards, computes the diff and
calls :meth:`finish_run`, which writes the merged findings and marks the run complete in one
transaction. A run that never reaches ``finish_run`` stays ``incomplete`` and is never used
as anyone's "previous run".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from cloudposture.model import Finding, ScanResult
from cloudposture.nightly.history import Change, RunDiff, Seen

RunState = Literal["incomplete", "complete"]


class RunRecord(BaseModel):
    """One run of one config, as ``history list`` shows it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    config_key: str
    started_at: datetime
    finished_at: datetime | None = None
    state: RunState = "incomplete"
    shard_count: int = 1
    summary: dict[str, int] = Field(
        default_factory=dict, description="targets_ok, targets_failed, fail, muted, new, ..."
    )


class StoredRun(BaseModel):
    """A finished run: its merged result, what changed, and what it carried as stale."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    record: RunRecord
    result: ScanResult
    changes: dict[str, list[Finding]] = Field(
        default_factory=dict, description="new / regressed / persisting / resolved / stale"
    )

    @property
    def stale(self) -> list[Finding]:
        return self.changes.get("stale", [])


class HistoryStore(Protocol):
    def start_run(
        self, run_id: str, config_key: str, started_at: datetime, shard_count: int
    ) -> None:
        """Create the run (state incomplete) unless it exists; shards all call it."""
        ...

    def save_shard(self, run_id: str, shard_index: int, result: ScanResult) -> None:
        """Store one shard's result atomically (a retried shard replaces its earlier try)."""
        ...

    def shard_results(self, run_id: str) -> Mapping[int, ScanResult]: ...

    def finish_run(
        self, run_id: str, result: ScanResult, diff: RunDiff, summary: Mapping[str, int]
    ) -> None:
        """Store the merged findings and the diff, and mark the run complete, atomically."""
        ...

    def get_run(self, run_id: str) -> RunRecord | None: ...

    def load_run(self, run_id: str) -> StoredRun | None:
        """A complete run with its findings and changes (None if unknown or incomplete)."""
        ...

    def list_runs(self, config_key: str | None = None, limit: int = 50) -> Sequence[RunRecord]:
        """Newest first."""
        ...

    def previous_complete_run(self, config_key: str, before: datetime) -> RunRecord | None: ...

    def ledger(self, config_key: str, before: datetime) -> Mapping[str, Seen]:
        """uid -> first/last time open, over the config's complete runs started before."""
        ...


def diff_changes(diff: RunDiff) -> dict[Change, list[Finding]]:
    return {
        "new": diff.new,
        "regressed": diff.regressed,
        "persisting": diff.persisting,
        "resolved": diff.resolved,
        "stale": diff.stale,
    }
