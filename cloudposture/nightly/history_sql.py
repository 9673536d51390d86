"""The nightly run's history on the state store: runs, shards, changes, the first-seen ledger.

Transactions: a shard's save is one transaction; the finalizer first records the merged scan
through :meth:`Store.record_scan`, then writes the changes and the ledger and flips the run to
``complete`` in one more. A crash anywhere before that flip leaves the run ``incomplete``:
``previous_complete_run`` never returns it, so the next night diffs against the last good run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from cloudposture.model import Finding, ScanInfo, ScanResult
from cloudposture.nightly.history import RunDiff, Seen, is_open
from cloudposture.nightly.history_store import RunRecord, StoredRun, diff_changes
from cloudposture.store.db import Store
from cloudposture.store.runs_schema import run_changes, run_ledger, run_shards, runs


class SqlHistoryStore:
    """:class:`cloudposture.nightly.history_store.HistoryStore` on SQLite or PostgreSQL."""

    def __init__(self, store: Store, clock: Callable[[], datetime] | None = None) -> None:
        self._store = store
        self._engine = store.engine
        self._clock = clock or (lambda: datetime.now(UTC))
        dialect = self._engine.dialect.name
        # both dialects' INSERT has ON CONFLICT; typed Any as their classes share no base
        self._insert: Callable[..., Any] = (
            postgresql.insert if dialect == "postgresql" else sqlite.insert
        )

    def start_run(
        self, run_id: str, config_key: str, started_at: datetime, shard_count: int
    ) -> None:
        row = {
            "id": run_id,
            "config_key": config_key,
            "started_at": started_at,
            "finished_at": None,
            "state": "incomplete",
            "shard_count": shard_count,
            "summary_json": "{}",
        }
        with self._engine.begin() as conn:
            conn.execute(self._insert(runs).values(row).on_conflict_do_nothing())
            conn.execute(  # the earliest shard to start defines the run's start
                update(runs)
                .where(runs.c.id == run_id, runs.c.started_at > started_at)
                .values(started_at=started_at)
            )

    def save_shard(self, run_id: str, shard_index: int, result: ScanResult) -> None:
        stmt = self._insert(run_shards).values(
            run_id=run_id,
            shard_index=shard_index,
            saved_at=self._clock(),
            result_json=result.model_dump_json(),
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["run_id", "shard_index"],
            set_={"saved_at": stmt.excluded.saved_at, "result_json": stmt.excluded.result_json},
        )
        with self._engine.begin() as conn:
            conn.execute(stmt)

    def shard_results(self, run_id: str) -> Mapping[int, ScanResult]:
        query = select(run_shards.c.shard_index, run_shards.c.result_json).where(
            run_shards.c.run_id == run_id
        )
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return {int(i): ScanResult.model_validate_json(text) for i, text in rows}

    def finish_run(
        self, run_id: str, result: ScanResult, diff: RunDiff, summary: Mapping[str, int]
    ) -> None:
        record = self.get_run(run_id)
        if record is None:
            raise KeyError(run_id)
        self._store.record_scan(result, record.config_key, self._clock())
        changes = [
            {"run_id": run_id, "uid": f.uid, "change": change, "finding_json": f.model_dump_json()}
            for change, found in diff_changes(diff).items()
            for f in found
        ]
        with self._engine.begin() as conn:
            conn.execute(delete(run_changes).where(run_changes.c.run_id == run_id))
            if changes:
                conn.execute(self._insert(run_changes), changes)
            self._update_ledger(conn, record.config_key, result.findings)
            conn.execute(
                update(runs)
                .where(runs.c.id == run_id)
                .values(
                    state="complete",
                    finished_at=result.scan.finished_at,
                    summary_json=json.dumps(dict(summary), sort_keys=True),
                )
            )

    def _update_ledger(self, conn: Any, config_key: str, findings: Sequence[Finding]) -> None:
        rows = [
            {
                "config_key": config_key,
                "uid": f.uid,
                "first_seen": f.first_seen or f.created_at,
                "last_seen": f.last_seen or f.created_at,
            }
            for f in findings
            if is_open(f)
        ]
        if not rows:
            return
        stmt = self._insert(run_ledger)
        first, last = run_ledger.c.first_seen, run_ledger.c.last_seen
        stmt = stmt.on_conflict_do_update(
            index_elements=["config_key", "uid"],
            set_={
                "first_seen": case(
                    (first < stmt.excluded.first_seen, first), else_=stmt.excluded.first_seen
                ),
                "last_seen": case(
                    (last > stmt.excluded.last_seen, last), else_=stmt.excluded.last_seen
                ),
            },
        )
        conn.execute(stmt, rows)

    def get_run(self, run_id: str) -> RunRecord | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).mappings().first()
        return _record(row) if row is not None else None

    def load_run(self, run_id: str) -> StoredRun | None:
        record = self.get_run(run_id)
        scan = self._store.scan_row(run_id)
        if record is None or record.state != "complete" or scan is None:
            return None
        info = ScanInfo.model_validate_json(scan["info_json"])
        findings = self._store.scan_findings(run_id)
        query = select(run_changes.c.change, run_changes.c.finding_json).where(
            run_changes.c.run_id == run_id
        )
        changes: dict[str, list[Finding]] = {}
        with self._engine.connect() as conn:
            for change, text in conn.execute(query.order_by(run_changes.c.uid)):
                changes.setdefault(change, []).append(Finding.model_validate_json(text))
        order = {f.uid: i for i, f in enumerate(findings)}
        return StoredRun(
            record=record,
            result=ScanResult(scan=info, findings=sorted(findings, key=lambda f: order[f.uid])),
            changes=changes,
        )

    def list_runs(self, config_key: str | None = None, limit: int = 50) -> Sequence[RunRecord]:
        query = select(runs).order_by(runs.c.started_at.desc(), runs.c.id).limit(limit)
        if config_key is not None:
            query = query.where(runs.c.config_key == config_key)
        with self._engine.connect() as conn:
            return [_record(r) for r in conn.execute(query).mappings()]

    def previous_complete_run(self, config_key: str, before: datetime) -> RunRecord | None:
        query = (
            select(runs)
            .where(
                runs.c.config_key == config_key,
                runs.c.state == "complete",
                runs.c.started_at < before,
            )
            .order_by(runs.c.started_at.desc())
            .limit(1)
        )
        with self._engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return _record(row) if row is not None else None

    def ledger(self, config_key: str, before: datetime) -> Mapping[str, Seen]:
        query = select(run_ledger.c.uid, run_ledger.c.first_seen, run_ledger.c.last_seen).where(
            run_ledger.c.config_key == config_key, run_ledger.c.first_seen < before
        )
        with self._engine.connect() as conn:
            return {
                uid: Seen(first_seen=_utc(first), last_seen=_utc(last))
                for uid, first, last in conn.execute(query)
            }


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _record(row: Any) -> RunRecord:
    """A ``runs`` row (a RowMapping) as a RunRecord."""
    return RunRecord(
        id=row["id"],
        config_key=row["config_key"],
        started_at=_utc(row["started_at"]),
        finished_at=_utc(row["finished_at"]) if row["finished_at"] is not None else None,
        state=row["state"],
        shard_count=row["shard_count"],
        summary=json.loads(row["summary_json"] or "{}"),
    )
