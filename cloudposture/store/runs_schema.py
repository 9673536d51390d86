"""The nightly run's tables, beside the store's scans/findings/outbox (same metadata).

- ``runs``: one row per run of a config (``cloudposture run``), its state (incomplete until
  the finalizer commits it), how many shards it expects, and its summary counts.
- ``run_shards``: each shard's whole ScanResult as JSON, one row per (run, shard index), so
  the finalizer can merge them and tell which shard never reported.
- ``run_changes``: what the run changed against the previous run of its config: new /
  regressed / persisting / resolved / stale, with the finding as it was judged.
- ``run_ledger``: per (config, uid), the first and last time the finding was open, so a
  finding that returns keeps its first_seen without scanning the whole history.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from cloudposture.store.schema import UtcDateTime, metadata

runs = Table(
    "runs",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("config_key", String(64), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("state", String(16), nullable=False, comment="incomplete | complete"),
    Column("shard_count", Integer, nullable=False),
    Column("summary_json", Text, nullable=False),
    Index("ix_runs_config_key_started_at", "config_key", "started_at"),
)

run_shards = Table(
    "run_shards",
    metadata,
    Column("run_id", String(128), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("shard_index", Integer, primary_key=True),
    Column("saved_at", UtcDateTime, nullable=False),
    Column("result_json", Text, nullable=False),
)

run_changes = Table(
    "run_changes",
    metadata,
    Column("run_id", String(128), ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("uid", String(64), primary_key=True),
    Column("change", String(16), nullable=False),
    Column("finding_json", Text, nullable=False),
)

run_ledger = Table(
    "run_ledger",
    metadata,
    Column("config_key", String(64), primary_key=True),
    Column("uid", String(64), primary_key=True),
    Column("first_seen", UtcDateTime, nullable=False),
    Column("last_seen", UtcDateTime, nullable=False),
)
