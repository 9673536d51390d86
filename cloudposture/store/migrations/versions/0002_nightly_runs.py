"""Nightly runs: runs, run_shards, run_changes, run_ledger (see store/runs_schema.py).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cloudposture.store.schema import UtcDateTime

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("config_key", sa.String(64), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("state", sa.String(16), nullable=False, comment="incomplete | complete"),
        sa.Column("shard_count", sa.Integer(), nullable=False),
        sa.Column("summary_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )
    op.create_index("ix_runs_config_key_started_at", "runs", ["config_key", "started_at"])
    op.create_table(
        "run_shards",
        sa.Column("run_id", sa.String(128), nullable=False),
        sa.Column("shard_index", sa.Integer(), nullable=False),
        sa.Column("saved_at", UtcDateTime(), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name="fk_run_shards_run_id_runs", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "shard_index", name="pk_run_shards"),
    )
    op.create_table(
        "run_changes",
        sa.Column("run_id", sa.String(128), nullable=False),
        sa.Column("uid", sa.String(64), nullable=False),
        sa.Column("change", sa.String(16), nullable=False),
        sa.Column("finding_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name="fk_run_changes_run_id_runs", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "uid", name="pk_run_changes"),
    )
    op.create_table(
        "run_ledger",
        sa.Column("config_key", sa.String(64), nullable=False),
        sa.Column("uid", sa.String(64), nullable=False),
        sa.Column("first_seen", UtcDateTime(), nullable=False),
        sa.Column("last_seen", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("config_key", "uid", name="pk_run_ledger"),
    )


def downgrade() -> None:
    op.drop_table("run_ledger")
    op.drop_table("run_changes")
    op.drop_table("run_shards")
    op.drop_index("ix_runs_config_key_started_at", table_name="runs")
    op.drop_table("runs")
