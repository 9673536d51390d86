"""Alembic environment: always run programmatically on the connection the store opened.

:func:`cloudposture.store.migrate.upgrade` passes that connection in
``config.attributes["connection"]``; there is no alembic.ini and no offline (SQL script) mode.
"""

from __future__ import annotations

from alembic import context

from cloudposture.store.schema import metadata

VERSION_TABLE = "cloudposture_alembic_version"

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
