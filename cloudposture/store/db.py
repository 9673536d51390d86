"""The state store: scans, their findings, and the per-sink outbox, in SQLite or PostgreSQL.

Every write is one transaction. Inserts are idempotent (``ON CONFLICT``), so re-recording a
scan, two shards writing one run, or enqueueing the same events twice leave one row each.
Rows go in batches of :data:`WRITE_BATCH` (one ``executemany`` each) inside that transaction,
so recording a 110,000-finding scan holds one batch of rows in memory, not all of them, and a
failure half-way still leaves nothing half-recorded.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from alembic.util.exc import CommandError
from sqlalchemy import (
    Connection,
    Engine,
    RowMapping,
    Table,
    and_,
    create_engine,
    delete,
    event,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    OperationalError,
    SQLAlchemyError,
)

from cloudposture.model import ConfigurationError, Finding, ScanInfo, ScanResult, Status
from cloudposture.model.events import OutboxEvent
from cloudposture.state_env import STATE_ENV
from cloudposture.store import migrate
from cloudposture.store.schema import as_utc, findings, outbox, scans

WRITE_BATCH = 1000
"""Rows per ``executemany``: a batch of findings (about 3 KB of JSON each) is a few MB, and
1,000 rows already make the per-statement cost negligible on both backends."""

T = TypeVar("T")


def batched(items: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size`` (:data:`WRITE_BATCH`), read lazily
    (itertools.batched is Python 3.12+)."""
    it = iter(items)
    while batch := list(islice(it, size or WRITE_BATCH)):
        yield batch


class StoreUnavailable(ConfigurationError):
    """The state store cannot be reached or opened (server down, bad credentials, no file
    permission): a configuration problem for the user, one line, never a traceback."""


def default_state_url() -> str:
    """``$CLOUDPOSTURE_STATE``, else ``~/.cloudposture/state.db``."""
    return os.environ.get(STATE_ENV) or str(_default_path())


def _default_path() -> Path:
    return Path("~/.cloudposture/state.db").expanduser()


def normalize_state_url(state: str | None) -> str:
    """A SQLAlchemy URL from ``--state``: a URL as is, a plain path as a SQLite file.

    ``sqlite:///PATH`` follows SQLAlchemy: ``sqlite:///state.db`` is relative to the current
    directory and ``sqlite:////var/lib/state.db`` (four slashes) is absolute.
    """
    if state is not None and not state.strip():
        raise ConfigurationError("the state store is empty: give a file path or a URL")
    state = state or default_state_url()
    for prefix in ("postgresql://", "postgres://"):
        if state.startswith(prefix):  # psycopg 3 is the driver cloudposture[postgres] installs
            return "postgresql+psycopg://" + state.removeprefix(prefix)
    if "://" in state:
        return state
    return f"sqlite:///{Path(state).expanduser().absolute()}"


def parse_state_url(state: str | None) -> URL:
    """The store's URL, checked without connecting: SQLite or PostgreSQL, and a SQLite file
    whose folder exists (only the default ``~/.cloudposture`` is created). Raises
    ConfigurationError, so a bad ``--state`` / ``--store`` fails before any cloud API call."""
    url = normalize_state_url(state)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreUnavailable(f"invalid state URL: {_redact_url(url)}") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StoreUnavailable(
            f"state store must be SQLite or PostgreSQL, not {backend} ({_redact_url(url)})"
        )
    if backend == "sqlite" and parsed.database and not parsed.database.startswith("file:"):
        path = Path(parsed.database).absolute()
        if path == _default_path().absolute():
            path.parent.mkdir(parents=True, exist_ok=True)
        elif not path.parent.is_dir():
            raise StoreUnavailable(
                f"the state database's folder {path.parent} does not exist (sqlite:///PATH is "
                "relative to the current directory; sqlite:////PATH, with four slashes, or a "
                "plain path names an absolute one)"
            )
        elif path.exists() and not path.is_file():
            raise StoreUnavailable(f"the state database {path} is not a regular file")
    return parsed


@dataclass(frozen=True)
class QueueStatus:
    """One sink's queue, for ``cloudposture outbox status``."""

    sink: str
    pending: int
    delivered: int
    oldest_pending: datetime | None
    next_attempt_at: datetime | None
    max_attempts: int
    last_error: str


class Store:
    """Open with :meth:`open`; use as a context manager or call :meth:`close`."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @classmethod
    def open(cls, state: str | None = None) -> Store:
        """Connect (creating the default SQLite file and its folder if needed) and migrate.
        Every reason the store cannot be used is a StoreUnavailable naming the store."""
        parsed = parse_state_url(state)
        shown = _shown(parsed)
        try:
            engine = create_engine(parsed, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            raise StoreUnavailable(
                f"the state store {shown} needs the {exc.name} driver: "
                "pip install 'cloudposture[postgres]'"
            ) from None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        try:
            migrate.upgrade(engine)
        except Exception as exc:  # noqa: BLE001 - _unusable re-raises what it does not know
            engine.dispose()
            raise _unusable(exc, shown) from None
        return cls(engine)

    def check_writable(self) -> None:
        """Prove a write is possible (a read-only file or role fails here, before a scan,
        rather than after it when the results would be lost). Changes nothing."""
        probe = update(scans).where(scans.c.id == "").values(config_key="")
        try:
            with self._engine.begin() as conn:
                conn.execute(probe)
        except SQLAlchemyError as exc:
            raise _unusable(exc, _shown(self._engine.url)) from None

    @property
    def engine(self) -> Engine:
        """The connection pool, for the nightly run's tables (cloudposture.nightly.history_sql)."""
        return self._engine

    def insert(self, table: Table) -> sqlite.Insert | postgresql.Insert:
        """The dialect's INSERT, which has ON CONFLICT on both backends the store supports."""
        if self._engine.dialect.name == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # scans and findings

    @contextmanager
    def recording(self) -> Iterator[Recording]:
        """One write transaction for a scan, its findings and their outbox events, fed in
        batches: committed when the block ends, rolled back whole if anything raises."""
        with self._engine.begin() as conn:
            yield Recording(self, conn)

    def record_scan(self, result: ScanResult, config_key: str, now: datetime) -> None:
        """Store the scan and its findings. A second write of the same scan id (another shard,
        or a retry) merges: times widen, ``complete`` only stays true if both were complete."""
        with self.recording() as rec:
            rec.scan(result.scan, config_key, now)
            for batch in batched(result.findings):
                rec.findings(batch)

    def scan_row(self, scan_id: str) -> dict[str, Any] | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(scans).where(scans.c.id == scan_id)).mappings().first()
        return dict(row) if row is not None else None

    def scan_findings(self, scan_id: str) -> list[Finding]:
        query = select(findings.c.finding_json).where(findings.c.scan_id == scan_id)
        with self._engine.connect() as conn:
            rows = conn.execute(query.order_by(findings.c.uid)).scalars().all()
        return [Finding.model_validate_json(r) for r in rows]

    # outbox

    def enqueue(self, events: Iterable[OutboxEvent]) -> int:
        """Queue events (read lazily, written in batches, one transaction); one already queued
        (delivered or not) is left as it is. Returns how many were newly queued."""
        with self.recording() as rec:
            return sum(rec.events(batch) for batch in batched(events))

    def due_events(self, sink: str, now: datetime, limit: int) -> list[OutboxEvent]:
        """The oldest pending events of ``sink`` whose next attempt is due."""
        query = (
            select(outbox)
            .where(_pending(sink), outbox.c.next_attempt_at <= now)
            .order_by(outbox.c.created_at, outbox.c.event_id)
            .limit(limit)
        )
        with self._engine.connect() as conn:
            return [_event(r) for r in conn.execute(query).mappings()]

    def pending_count(self, sink: str) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).where(_pending(sink))).scalar() or 0)

    def next_attempt_at(self, sink: str) -> datetime | None:
        query = select(func.min(outbox.c.next_attempt_at)).where(_pending(sink))
        with self._engine.connect() as conn:
            value = conn.execute(query).scalar()
        return _as_utc(value)

    def reschedule(self, sink: str, at: datetime) -> None:
        """Make every pending event of ``sink`` due at ``at`` (a new run tries at once)."""
        with self._engine.begin() as conn:
            conn.execute(update(outbox).where(_pending(sink)).values(next_attempt_at=at))

    def mark_delivered(self, sink: str, event_ids: Iterable[str], at: datetime) -> None:
        ids = sorted(set(event_ids))
        if not ids:
            return
        with self._engine.begin() as conn:
            conn.execute(
                update(outbox)
                .where(_pending(sink), outbox.c.event_id.in_(ids))
                .values(delivered_at=at, attempts=outbox.c.attempts + 1, last_error="")
            )

    def prune_delivered(self, before: datetime) -> int:
        """Forget events acknowledged before ``before``; returns how many.

        A delivered row only guards against sending the same event id twice, and event ids
        carry their scan id, so once a scan is older than the retention nothing can enqueue
        its events again: keeping them would only grow the state file night after night.
        Pending events are never pruned, however old: nothing is lost.
        """
        query = delete(outbox).where(
            outbox.c.delivered_at.is_not(None), outbox.c.delivered_at < before
        )
        with self._engine.begin() as conn:
            return int(conn.execute(query).rowcount or 0)

    def mark_failed(
        self, sink: str, failures: Mapping[str, str], retry_at: Mapping[str, datetime]
    ) -> None:
        """Count a failed attempt, remember why, and when to try again."""
        if not failures:
            return
        with self._engine.begin() as conn:
            for event_id, reason in sorted(failures.items()):
                conn.execute(
                    update(outbox)
                    .where(_pending(sink), outbox.c.event_id == event_id)
                    .values(
                        attempts=outbox.c.attempts + 1,
                        last_error=reason,
                        next_attempt_at=retry_at[event_id],
                    )
                )

    def pending_sinks(self) -> list[str]:
        query = select(outbox.c.sink).where(outbox.c.delivered_at.is_(None)).distinct()
        with self._engine.connect() as conn:
            return sorted(conn.execute(query).scalars())

    def queue_status(self) -> list[QueueStatus]:
        """Per sink: pending and delivered counts, the oldest pending event, the last error."""
        pending = outbox.c.delivered_at.is_(None)
        counts = select(
            outbox.c.sink,
            func.count().filter(pending).label("pending"),
            func.count().filter(outbox.c.delivered_at.is_not(None)).label("delivered"),
            func.min(outbox.c.created_at).filter(pending).label("oldest"),
            func.min(outbox.c.next_attempt_at).filter(pending).label("next_attempt"),
            func.coalesce(func.max(outbox.c.attempts).filter(pending), 0).label("attempts"),
        ).group_by(outbox.c.sink)
        with self._engine.connect() as conn:
            rows = conn.execute(counts.order_by(outbox.c.sink)).mappings().all()
            out = []
            for r in rows:
                last = conn.execute(
                    select(outbox.c.last_error)
                    .where(_pending(r["sink"]), outbox.c.last_error != "")
                    .order_by(outbox.c.attempts.desc(), outbox.c.event_id)
                    .limit(1)
                ).scalar()
                out.append(
                    QueueStatus(
                        sink=r["sink"],
                        pending=r["pending"],
                        delivered=r["delivered"],
                        oldest_pending=_as_utc(r["oldest"]),
                        next_attempt_at=_as_utc(r["next_attempt"]),
                        max_attempts=r["attempts"],
                        last_error=last or "",
                    )
                )
        return out


class Recording:
    """The writes of one open transaction (see :meth:`Store.recording`): the scan row, then
    findings and outbox events in batches, in any order and as many batches as needed."""

    def __init__(self, store: Store, conn: Connection) -> None:
        self._store = store
        self._conn = conn
        upsert = store.insert(findings)
        # a re-recorded finding (retried shard) takes the newer values of every non-key column
        self._upsert_findings = upsert.on_conflict_do_update(
            index_elements=["scan_id", "uid"],
            set_={c: upsert.excluded[c] for c in _FINDING_UPDATE},
        )
        queue = store.insert(outbox).on_conflict_do_nothing()
        self._queue_events = queue.returning(outbox.c.event_id)

    def scan(self, info: ScanInfo, config_key: str, now: datetime) -> None:
        """The scan's row, merged with one already there (see :meth:`Store.record_scan`)."""
        row = {
            "id": info.id,
            "config_key": config_key,
            "tool_version": info.tool_version,
            "providers": json.dumps(sorted(info.providers)),
            "started_at": info.started_at,
            "finished_at": info.finished_at,
            "complete": info.complete,
            "recorded_at": now,
            "info_json": info.model_dump_json(),
        }
        self._conn.execute(self._store.insert(scans).values(row).on_conflict_do_nothing())
        _merge_scan(self._conn, row)

    def findings(self, batch: Sequence[Finding]) -> None:
        """One batch of the scan's findings (its row must be written first: foreign key)."""
        if batch:
            self._conn.execute(self._upsert_findings, [_finding_row(f) for f in batch])

    def events(self, batch: Sequence[OutboxEvent]) -> int:
        """One batch of outbox events; returns how many were not queued already."""
        if not batch:
            return 0
        return len(self._conn.execute(self._queue_events, [_event_row(e) for e in batch]).all())


_FINDING_UPDATE = tuple(c.name for c in findings.columns if not c.primary_key)


def _merge_scan(conn: Connection, row: Mapping[str, Any]) -> None:
    """Widen the stored scan by ``row``: providers united, times widened, complete only if
    both were (the row is locked on PostgreSQL so concurrent shards merge one at a time)."""
    query = select(scans).where(scans.c.id == row["id"])
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    current = conn.execute(query).mappings().one()
    providers = sorted(set(json.loads(current["providers"])) | set(json.loads(row["providers"])))
    conn.execute(
        update(scans)
        .where(scans.c.id == row["id"])
        .values(
            providers=json.dumps(providers),
            started_at=min(current["started_at"], row["started_at"]),
            finished_at=max(current["finished_at"], row["finished_at"]),
            complete=bool(current["complete"]) and bool(row["complete"]),
        )
    )


def _pending(sink: str) -> Any:
    return and_(outbox.c.sink == sink, outbox.c.delivered_at.is_(None))


def _finding_row(f: Finding) -> dict[str, Any]:
    res = f.resource
    return {
        "scan_id": f.scan_id,
        "uid": f.uid,
        "rule_id": f.rule_id,
        "status": f.status.value,
        "severity": f.severity.value,
        "provider": res.provider,
        "account": res.account,
        "region": res.region,
        "cluster": res.cluster,
        "resource_id": res.id,
        "created_at": f.created_at,
        "finding_json": f.model_dump_json(),
    }


def _event_row(e: OutboxEvent) -> dict[str, Any]:
    return {**e.model_dump(), "status": e.status.value, "delivered_at": None}


def _event(row: RowMapping) -> OutboxEvent:
    fields = {k: v for k, v in row.items() if k != "delivered_at"}
    return OutboxEvent.model_validate({**fields, "status": Status(row["status"])})


def _as_utc(value: datetime | str | None) -> datetime | None:
    """Aggregates (MIN) bypass the column type on SQLite, which returns text: normalize."""
    if value is None:
        return None
    return as_utc(datetime.fromisoformat(value) if isinstance(value, str) else value)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets a reader (outbox status) run beside a writer; busy_timeout makes concurrent
    writers wait instead of failing; foreign keys are off by default in SQLite."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _shown(url: URL) -> str:
    """How the store is named in messages: the absolute file, or the URL without password."""
    if url.get_backend_name() == "sqlite" and url.database:
        return str(Path(url.database).absolute())
    return url.render_as_string(hide_password=True)


def _unusable(exc: Exception, shown: str) -> Exception:
    """A one-line StoreUnavailable for every way opening a store fails; anything else as is."""
    if isinstance(exc, CommandError) and "Can't locate revision" in str(exc):
        return StoreUnavailable(
            f"the state database {shown} was written by a newer cloudposture ({exc}): "
            "upgrade cloudposture or use another --state"
        )
    if isinstance(exc, DatabaseError) and not isinstance(exc, OperationalError):
        reason = " ".join(str(exc.orig or exc).split())[:200]
        return StoreUnavailable(
            f"the state database {shown} is corrupt ({reason}): move it aside or use another "
            "--state"
        )
    if isinstance(exc, SQLAlchemyError):
        orig = getattr(exc, "orig", None)
        reason = " ".join(str(orig or exc).split())[:300]
        return StoreUnavailable(f"cannot use the state store {shown}: {reason}")
    if isinstance(exc, OSError):
        return StoreUnavailable(f"cannot use the state store {shown}: {exc.strerror or exc}")
    return exc


def _redact_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1]


__all__ = [
    "STATE_ENV",
    "WRITE_BATCH",
    "QueueStatus",
    "Recording",
    "Store",
    "StoreUnavailable",
    "batched",
    "default_state_url",
    "normalize_state_url",
    "parse_state_url",
]
