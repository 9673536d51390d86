"""The state store on SQLite and PostgreSQL: migrations, scans, findings, outbox."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, inspect

from cloudposture.model import ConfigurationError, ScanResult, Status
from cloudposture.model.events import OutboxEvent
from cloudposture.reporters.example import example_result
from cloudposture.store import Store, normalize_state_url
from cloudposture.store.schema import findings, outbox, scans

NOW = datetime(2024, 5, 1, 3, 0, tzinfo=UTC)
OWN_TABLES = {"scans", "findings", "outbox"}


def event(n: int, sink: str = "sink-a", at: datetime = NOW) -> OutboxEvent:
    return OutboxEvent(
        event_id=f"e{n:03d}",
        sink=sink,
        payload=f'{{"n": {n}}}',
        finding_uid=f"u{n}",
        status=Status.FAIL,
        scan_id="s1",
        next_attempt_at=at,
        created_at=at + timedelta(seconds=n),
    )


def own_tables_only(name: str | None, type_: str, _parent: object) -> bool:
    """The history tables in the same database are checked by their own tests."""
    return type_ != "table" or name in OWN_TABLES


def test_migrations_build_exactly_the_declared_tables(state_url: str) -> None:
    declared, drifted = MetaData(), MetaData()
    for table in (scans, findings, outbox):
        table.to_metadata(declared)
        table.to_metadata(drifted)
    drifted.tables["outbox"].append_column(Column("extra", Integer))
    # a second open of the same database is a no-op
    with Store.open(state_url) as store, Store.open(state_url), store.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        context = MigrationContext.configure(conn, opts={"include_name": own_tables_only})
        diff = compare_metadata(context, declared)
        drift = compare_metadata(context, drifted)
    assert tables >= OWN_TABLES
    assert "cloudposture_alembic_version" in tables
    assert diff == []
    assert [d[0] for d in drift] == ["add_column"]  # the comparison does see a difference


def test_scan_and_findings_round_trip(state_url: str) -> None:
    result = example_result()
    with Store.open(state_url) as store:
        store.record_scan(result, "cfg-1", NOW)
        row = store.scan_row(result.scan.id)
        findings = store.scan_findings(result.scan.id)
    assert row is not None
    assert row["config_key"] == "cfg-1"
    assert row["complete"] is False
    assert row["started_at"] == result.scan.started_at
    assert row["started_at"].tzinfo is not None
    assert sorted(findings, key=lambda f: f.uid) == sorted(result.findings, key=lambda f: f.uid)


def test_two_shards_of_one_run_merge_into_one_scan(state_url: str) -> None:
    full = example_result()
    aws = [f for f in full.findings if f.resource.provider == "aws"]
    rest = [f for f in full.findings if f.resource.provider != "aws"]
    shard_a = full.model_copy(
        update={"findings": aws, "scan": full.scan.model_copy(update={"complete": True})}
    )
    later = full.scan.finished_at + timedelta(minutes=5)
    shard_b = full.model_copy(
        update={"findings": rest, "scan": full.scan.model_copy(update={"finished_at": later})}
    )
    with Store.open(state_url) as store:
        threads = [
            threading.Thread(target=store.record_scan, args=(s, "cfg", NOW))
            for s in (shard_a, shard_b)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        store.record_scan(shard_a, "cfg", NOW)  # a retried shard changes nothing
        row = store.scan_row(full.scan.id)
        stored = store.scan_findings(full.scan.id)
    assert row is not None
    assert row["finished_at"] == later
    assert row["complete"] is False  # one shard was partial
    assert {f.uid for f in stored} == {f.uid for f in full.findings}


def test_outbox_queue_acknowledge_and_retry(state_url: str) -> None:
    with Store.open(state_url) as store:
        assert store.enqueue([event(1), event(2), event(3), event(1, sink="sink-b")]) == 4
        assert store.enqueue([event(1), event(2)]) == 0
        due = store.due_events("sink-a", NOW, limit=2)
        assert [e.event_id for e in due] == ["e001", "e002"]  # oldest first, batch limit
        store.mark_delivered("sink-a", ["e001"], NOW)
        retry = NOW + timedelta(seconds=30)
        store.mark_failed("sink-a", {"e002": "HEC replied 503"}, {"e002": retry})
        assert [e.event_id for e in store.due_events("sink-a", NOW, 10)] == ["e003"]
        assert store.next_attempt_at("sink-a") == NOW
        store.mark_delivered("sink-a", ["e003"], NOW)
        assert store.next_attempt_at("sink-a") == retry
        (late,) = store.due_events("sink-a", retry, 10)
        assert (late.attempts, late.last_error) == (1, "HEC replied 503")
        store.reschedule("sink-a", NOW)
        assert [e.event_id for e in store.due_events("sink-a", NOW, 10)] == ["e002"]
        assert store.pending_sinks() == ["sink-a", "sink-b"]
        assert store.pending_count("sink-a") == 1
        status = {q.sink: q for q in store.queue_status()}
        store.enqueue([event(1)])  # delivered events are not queued again
        assert store.pending_count("sink-a") == 1
    a = status["sink-a"]
    assert (a.pending, a.delivered, a.max_attempts, a.last_error) == (1, 2, 1, "HEC replied 503")
    assert a.oldest_pending == NOW + timedelta(seconds=2)
    assert (status["sink-b"].pending, status["sink-b"].delivered) == (1, 0)


def test_concurrent_enqueue_of_the_same_events_keeps_one_row(state_url: str) -> None:
    events = [event(n) for n in range(50)]
    with Store.open(state_url) as store:
        counts: list[int] = []
        threads = [
            threading.Thread(target=lambda: counts.append(store.enqueue(events))) for _ in range(3)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert store.pending_count("sink-a") == 50
    assert sum(counts) == 50


def test_result_survives_reopening(state_url: str) -> None:
    result: ScanResult = example_result()
    with Store.open(state_url) as store:
        store.record_scan(result, "k", NOW)
        store.enqueue([event(1)])
    with Store.open(state_url) as store:
        assert store.pending_count("sink-a") == 1
        assert store.scan_row(result.scan.id) is not None


def test_state_paths_and_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert normalize_state_url(str(tmp_path / "s.db")) == f"sqlite:///{tmp_path / 's.db'}"
    monkeypatch.setenv("CLOUDPOSTURE_STATE", "postgresql+psycopg://u@db/x")
    assert normalize_state_url(None) == "postgresql+psycopg://u@db/x"
    monkeypatch.delenv("CLOUDPOSTURE_STATE")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert normalize_state_url(None).endswith(f"{tmp_path}/.cloudposture/state.db")
    with pytest.raises(ConfigurationError, match="SQLite or PostgreSQL"):
        Store.open("mysql://u:secretpw@h/db")
    with Store.open(None):
        assert (tmp_path / ".cloudposture" / "state.db").is_file()


def test_prune_forgets_only_acknowledged_events_older_than_the_retention(state_url: str) -> None:
    with Store.open(state_url) as store:
        store.enqueue([event(1), event(2), event(3)])
        store.mark_delivered("sink-a", ["e001"], NOW)
        store.mark_delivered("sink-a", ["e002"], NOW + timedelta(days=40))
        pruned = store.prune_delivered(NOW + timedelta(days=30))
        assert pruned == 1
        # e002 (delivered recently) stays as the duplicate guard; e003 is still pending
        assert store.pending_count("sink-a") == 1
        assert store.enqueue([event(1), event(2), event(3)]) == 1  # only e001 is new again


def test_an_unreachable_server_is_one_clear_configuration_error() -> None:
    from cloudposture.store import StoreUnavailable

    shown = "cannot use the state store postgresql+psycopg://postgres:***@127.0.0.1:1/nowhere"
    with pytest.raises(StoreUnavailable, match=re.escape(shown)) as info:
        Store.open("postgresql://postgres:s3cret@127.0.0.1:1/nowhere")
    assert "s3cret" not in str(info.value)
    assert isinstance(info.value, ConfigurationError)
