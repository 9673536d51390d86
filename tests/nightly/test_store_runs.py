"""The nightly run's store API, the same suite on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta

import pytest

from cloudposture.model import ScanInfo, ScanResult, Status
from cloudposture.nightly.history import diff_run
from cloudposture.nightly.history_sql import SqlHistoryStore
from cloudposture.store import Store
from tests.nightly.factories import T0, finding, ok
from tests.nightly.runner import Runner, shard_process
from tests.nightly.world import World, config_text


def _result(run_id: str, findings: list, at=T0) -> ScanResult:  # type: ignore[no-untyped-def]
    info = ScanInfo(
        id=run_id,
        tool_version="t",
        providers=["aws"],
        started_at=at,
        finished_at=at,
        coverage=[ok()],
        complete=True,
    )
    return ScanResult(
        scan=info, findings=[f.model_copy(update={"scan_id": run_id}) for f in findings]
    )


def test_run_lifecycle(store_url: str) -> None:
    with Store.open(store_url) as store:
        history = SqlHistoryStore(store)
        history.start_run("r1", "cfg", T0, 2)
        history.start_run("r1", "cfg", T0 - timedelta(minutes=1), 2)  # a shard started earlier
        record = history.get_run("r1")
        assert record is not None
        assert (record.state, record.shard_count, record.started_at) == (
            "incomplete",
            2,
            T0 - timedelta(minutes=1),
        )
        history.save_shard("r1", 1, _result("r1", [finding("b")]))
        history.save_shard("r1", 0, _result("r1", [finding("x")]))
        history.save_shard("r1", 0, _result("r1", [finding("a")]))  # a retried shard replaces
        shards = history.shard_results("r1")
        assert sorted(shards) == [0, 1]
        assert [f.resource.cluster for f in shards[0].findings] == ["a"]
        assert history.load_run("r1") is None  # incomplete runs are not loadable
        assert history.previous_complete_run("cfg", T0 + timedelta(days=1)) is None

        merged = _result("r1", [finding("a"), finding("b"), finding("c", status=Status.PASS)])
        diff = diff_run(merged.findings, merged.scan.coverage, [], {}, T0)
        history.finish_run(
            "r1", ScanResult(scan=merged.scan, findings=diff.findings), diff, {"new": 2}
        )
        stored = history.load_run("r1")
        assert stored is not None
        assert stored.record.state == "complete"
        assert stored.record.summary == {"new": 2}
        assert {f.resource.cluster for f in stored.changes["new"]} == {"a", "b"}
        assert [f.resource.cluster for f in stored.result.findings] == ["a", "b", "c"]
        assert stored.result.findings[0].first_seen == T0

        ledger = history.ledger("cfg", before=T0 + timedelta(days=1))
        assert set(ledger) == {finding("a").uid, finding("b").uid}
        assert history.ledger("cfg", before=T0) == {}
        assert history.ledger("other", before=T0 + timedelta(days=1)) == {}
        previous = history.previous_complete_run("cfg", T0 + timedelta(days=1))
        assert previous is not None
        assert previous.id == "r1"
        assert [r.id for r in history.list_runs()] == ["r1"]
        assert history.list_runs("other") == []


def test_ledger_keeps_the_earliest_first_seen_and_latest_last_seen(store_url: str) -> None:
    with Store.open(store_url) as store:
        history = SqlHistoryStore(store)
        for day in (0, 2, 1):  # finished out of order
            run_id, at = f"r{day}", T0 + timedelta(days=day)
            history.start_run(run_id, "cfg", at, 1)
            f = finding("a").model_copy(update={"first_seen": at, "last_seen": at})
            result = _result(run_id, [f], at)
            history.finish_run(run_id, result, diff_run(result.findings, [], [], {}, at), {})
        (seen,) = history.ledger("cfg", before=T0 + timedelta(days=9)).values()
        assert (seen.first_seen, seen.last_seen) == (T0, T0 + timedelta(days=2))


@pytest.mark.slow
def test_four_shard_processes_write_postgresql_at_once_then_finalize(fresh_pg_url: str) -> None:
    pg_url = fresh_pg_url  # nothing migrated: the four first opens race on the schema too
    accounts = [f"{n:012d}" for n in range(1, 13)]
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=4, mp_context=spawn) as pool:
        codes = list(
            pool.map(shard_process, [pg_url] * 4, [accounts] * 4, range(4), [4] * 4, ["job"] * 4)
        )
    assert codes == [0, 0, 0, 0]
    world = World(
        clusters={(a, "eu-west-1"): {f"c{i}": bool(i % 2) for i in range(3)} for a in accounts}
    )
    final = Runner(world, pg_url, config_text(accounts)).run(finalize="job")
    assert final.code == 1, final.err
    with Store.open(pg_url) as store:
        history = SqlHistoryStore(store)
        assert sorted(history.shard_results("job")) == [0, 1, 2, 3]
        stored = history.load_run("job")
    assert stored is not None
    uids = [f.uid for f in stored.result.findings]
    assert len(uids) == len(set(uids)) == 12 * 3 * 2  # none lost, none duplicated
    assert {f.resource.account for f in stored.result.findings} == set(accounts)
    assert "targets 12 ok, 0 failed" in final.out
