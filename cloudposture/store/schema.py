"""The state database's tables (SQLAlchemy Core), the single source the migrations follow.

- ``scans``: one row per scan run, with ``config_key`` (which targets were scanned) so that
  history can compare runs of the same configuration. Shards of one run (a Kubernetes Indexed
  Job sharing a PostgreSQL store) write the same scan id; the row is merged, never duplicated.
- ``findings``: one row per (scan id, finding uid) with the columns history needs to query
  (rule, status, severity, resource) and the full finding JSON, so no field is ever lost.
- ``outbox``: one row per (sink, event id). An event is pending until ``delivered_at`` is set,
  which happens only when that sink acknowledged it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def as_utc(value: datetime) -> datetime:
    """Naive values from the database are UTC (the store only ever writes UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the state store; use UTC-aware values")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # SQLite without type information
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return as_utc(value)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

scans = Table(
    "scans",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("config_key", String(64), nullable=False),
    Column("tool_version", String(64), nullable=False),
    Column("providers", Text, nullable=False, comment="JSON list"),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=False),
    Column("complete", Boolean, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("info_json", Text, nullable=False, comment="ScanInfo JSON, coverage included"),
    Index("ix_scans_config_key_started_at", "config_key", "started_at"),
)

findings = Table(
    "findings",
    metadata,
    Column("scan_id", String(128), ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True),
    Column("uid", String(64), primary_key=True),
    Column("rule_id", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("provider", String(32), nullable=False),
    Column("account", String(128), nullable=False),
    Column("region", String(64), nullable=False),
    Column("cluster", String(255), nullable=False),
    Column("resource_id", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("finding_json", Text, nullable=False),
    Index("ix_findings_uid", "uid"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("sink", String(1024), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("finding_uid", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("scan_id", String(128), nullable=False),
    Column("payload", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("last_error", Text, nullable=False, default=""),
    Column("created_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime, nullable=True),
    Index("ix_outbox_pending", "sink", "delivered_at", "next_attempt_at"),
    # due events are read oldest first: an index in that order makes each batch a short walk
    Index("ix_outbox_due_order", "sink", "delivered_at", "created_at", "event_id"),
)
