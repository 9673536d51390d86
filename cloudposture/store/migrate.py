"""Bring a state database to the newest schema, programmatically, every time it is opened.

There is no separate "migrate" step for users to forget: an old state file is upgraded in
place by the migrations shipped inside the package.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).with_name("migrations")
_LOCK_KEY = 0x636C6F7564706F73  # "cloudpos": the advisory lock id for migrations


def upgrade(engine: Engine) -> None:
    """Run every migration not yet applied, in one transaction."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Shards of one run open a fresh shared database at the same moment: serialize
            # their migrations (held until this transaction ends) instead of racing CREATEs.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
