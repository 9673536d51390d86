"""Alembic migrations of the state database, shipped in the package and run on open."""
