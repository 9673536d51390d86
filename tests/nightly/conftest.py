"""Store fixtures: a SQLite file per test, and a PostgreSQL schema per test session."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def _fresh_schema() -> Iterator[str]:
    """A URL whose connections live in a new, empty schema, dropped afterwards."""
    schema = f"nightly_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_SERVER)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_schema_url() -> Iterator[str]:
    """One schema for the session (migrated once, emptied after each test by ``pg_url``)."""
    with _fresh_schema() as url:
        yield url


@pytest.fixture
def fresh_pg_url() -> Iterator[str]:
    """A brand-new schema: nothing migrated yet (concurrent first opens race on it)."""
    with _fresh_schema() as url:
        yield url


@pytest.fixture
def pg_url(pg_schema_url: str) -> Iterator[str]:
    """The session schema, emptied after each test (the migrations stay applied)."""
    yield pg_schema_url
    engine = create_engine(pg_schema_url)
    with engine.begin() as conn:
        if conn.execute(text("SELECT to_regclass('run_ledger')")).scalar() is not None:
            conn.execute(
                text("TRUNCATE run_ledger, run_changes, run_shards, runs, findings, scans, outbox")
            )
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'state.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest) -> str:
    """Both backends: every store test runs against each."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))
