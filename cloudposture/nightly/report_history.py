"""The report's history from the store: what changed since the previous run, and the trend.

Read through the store's small interface (``HistoryStore``), never from SQL: the changes are
the diff the nightly run computed and stored (``StoredRun.changes``), so the report and
``cloudposture history show`` can never disagree about what is new.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cloudposture.model import ConfigurationError, Finding, Severity
from cloudposture.nightly.history import RunDiff
from cloudposture.nightly.history_store import HistoryStore, RunRecord, StoredRun, diff_changes
from cloudposture.reporters.html.history import CHANGES, HistoryView, TrendPoint


def trend_point(record: RunRecord) -> TrendPoint:
    s = record.summary
    return TrendPoint(
        run_id=record.id,
        started_at=record.started_at,
        failing={sev.value: int(s.get(f"fail_{sev.value}", 0)) for sev in Severity},
        muted=int(s.get("muted", 0)),
        complete=int(s.get("targets_failed", 0)) == 0,
    )


def latest_run(store: HistoryStore, config_key: str | None) -> StoredRun:
    """The newest complete run (of ``config_key`` when given); one clear error otherwise."""
    complete = [r for r in store.list_runs(config_key, 1000) if r.state == "complete"]
    if not complete:
        where = f" of config '{config_key}'" if config_key else ""
        raise ConfigurationError(f"no complete run{where} in the store")
    keys = sorted({r.config_key for r in complete})
    if config_key is None and len(keys) > 1:
        raise ConfigurationError(
            f"the store holds several configs ({', '.join(keys)}): choose one with --config-name"
        )
    stored = store.load_run(complete[0].id)
    if stored is None:
        raise ConfigurationError(f"run '{complete[0].id}' could not be loaded from the store")
    return stored


def history_view(
    store: HistoryStore,
    record: RunRecord,
    changes: Mapping[str, Sequence[Finding]],
    runs: int,
) -> HistoryView:
    """The run's recorded ``changes`` against its previous run, and the last ``runs`` runs."""
    previous = store.previous_complete_run(record.config_key, before=record.started_at)
    recent = [
        r
        for r in store.list_runs(record.config_key, max(runs * 2, runs + 5))
        if r.state == "complete" and r.started_at <= record.started_at
    ][:runs]
    return HistoryView(
        config_key=record.config_key,
        run_id=record.id,
        previous_run=previous.id if previous else None,
        previous_at=previous.started_at if previous else None,
        changes={c: list(changes.get(c, [])) for c in CHANGES},
        trend=[trend_point(r) for r in reversed(recent)],
    )


def run_history(store: HistoryStore, run_id: str, diff: RunDiff, runs: int = 14) -> HistoryView:
    """The history of a run the nightly job just finished (its diff is still in memory)."""
    record = store.get_run(run_id)
    if record is None:
        raise ConfigurationError(f"no run '{run_id}' in the store")
    changes: dict[str, Sequence[Finding]] = {str(k): v for k, v in diff_changes(diff).items()}
    return history_view(store, record, changes, runs)
