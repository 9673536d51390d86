"""Initial state schema: scans, findings per scan, per-sink outbox.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cloudposture.store.schema import UtcDateTime

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scans",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("config_key", sa.String(64), nullable=False),
        sa.Column("tool_version", sa.String(64), nullable=False),
        sa.Column("providers", sa.Text(), nullable=False, comment="JSON list"),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.Column(
            "info_json", sa.Text(), nullable=False, comment="ScanInfo JSON, coverage included"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_scans"),
    )
    op.create_index("ix_scans_config_key_started_at", "scans", ["config_key", "started_at"])
    op.create_table(
        "findings",
        sa.Column("scan_id", sa.String(128), nullable=False),
        sa.Column("uid", sa.String(64), nullable=False),
        sa.Column("rule_id", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("account", sa.String(128), nullable=False),
        sa.Column("region", sa.String(64), nullable=False),
        sa.Column("cluster", sa.String(255), nullable=False),
        sa.Column("resource_id", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("finding_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scan_id"], ["scans.id"], name="fk_findings_scan_id_scans", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("scan_id", "uid", name="pk_findings"),
    )
    op.create_index("ix_findings_uid", "findings", ["uid"])
    op.create_table(
        "outbox",
        sa.Column("sink", sa.String(1024), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("finding_uid", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("scan_id", sa.String(128), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UtcDateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("delivered_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("sink", "event_id", name="pk_outbox"),
    )
    op.create_index("ix_outbox_pending", "outbox", ["sink", "delivered_at", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("findings")
    op.drop_table("scans")
