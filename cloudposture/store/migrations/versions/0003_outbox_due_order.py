"""Outbox: an index in the order due events are sent, so each batch is an index walk.

``Store.due_events`` asks for a sink's oldest pending events (``ORDER BY created_at,
event_id LIMIT n``). With only ``ix_outbox_pending (sink, delivered_at, next_attempt_at)`` the
database read every pending row of the sink and sorted them for each batch of 100, which
made sending a large scan quadratic (110,000 events: about 270 s of sorting). With this
index it reads the first rows in order and stops.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_outbox_due_order", "outbox", ["sink", "delivered_at", "created_at", "event_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_due_order", table_name="outbox")
