"""``cloudposture run`` on a fake estate over both store backends: diff, coverage, shards,
suppressions, sinks, incomplete runs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cloudposture.model import Status
from cloudposture.nightly.history_sql import SqlHistoryStore
from cloudposture.nightly.sharding import Shard
from cloudposture.store import Store
from tests.nightly.factories import T0
from tests.nightly.runner import Runner
from tests.nightly.world import World, config_text

A, B = "111111111111", "222222222222"


def _world() -> World:
    return World(
        clusters={
            (A, "eu-west-1"): {"a": True, "b": True, "c": False},
            (B, "us-east-1"): {"x": True},
        }
    )


def _changes(store_url: str, run_id: str) -> dict[str, set[tuple[str, str]]]:
    with Store.open(store_url) as store:
        stored = SqlHistoryStore(store).load_run(run_id)
    assert stored is not None
    return {
        change: {(f.resource.cluster, f.rule_id) for f in found}
        for change, found in stored.changes.items()
    }


def _latest(store_url: str) -> str:
    with Store.open(store_url) as store:
        return SqlHistoryStore(store).list_runs("estate", 1)[0].id


def test_second_run_reports_exactly_what_was_fixed_and_introduced(store_url: str) -> None:
    world = _world()
    runner = Runner(world, store_url, config_text([A, B]))
    first = runner.run()
    assert first.code == 1, first.err
    assert "targets 2 ok, 0 failed" in first.out
    assert "6 new, 0 regressed, 0 persisting, 0 resolved, 0 stale" in first.out

    world.clusters[(A, "eu-west-1")] = {"a": True, "b": False, "c": True}
    second = runner.run()
    run_id = _latest(store_url)
    changes = _changes(store_url, run_id)
    assert changes["new"] == {("c", "CP-001"), ("c", "CP-002")}
    assert changes["resolved"] == {("b", "CP-001"), ("b", "CP-002")}
    assert changes["persisting"] == {(n, r) for n in ("a", "x") for r in ("CP-001", "CP-002")}
    assert "stale" not in changes
    assert "regressed" not in changes
    assert "2 new, 0 regressed, 4 persisting, 2 resolved, 0 stale" in second.out

    assert runner.sent.calls == []  # no sinks configured: nothing sent
    # first_seen is carried over from the first night
    with Store.open(store_url) as store:
        stored = SqlHistoryStore(store).load_run(run_id)
    assert stored is not None
    a_fail = next(f for f in stored.result.findings if f.resource.cluster == "a")
    assert a_fail.first_seen == T0
    assert a_fail.last_seen == T0 + timedelta(days=1)


def test_unreachable_account_is_a_coverage_error_and_its_findings_go_stale(store_url: str) -> None:
    world = _world()
    runner = Runner(world, store_url, config_text([A, B]))
    runner.run()
    world.unassumable.add(B)
    night = runner.run()
    assert night.code == 3
    assert "targets 1 ok, 1 failed" in night.out
    assert f"failed: aws {B}/*: setup on" not in night.out
    assert f"failed: aws {B}/*: setup failed (" not in night.out
    assert f"cannot assume role arn:aws:iam::{B}:role/audit: AccessDenied" in night.out
    changes = _changes(store_url, _latest(store_url))
    assert changes["stale"] == {("x", "CP-001"), ("x", "CP-002")}
    assert "resolved" not in changes

    world.unassumable.clear()
    back = runner.run()
    assert "0 new, 0 regressed, 6 persisting, 0 resolved, 0 stale" in back.out


def test_regressed_finding_keeps_first_seen(store_url: str) -> None:
    world = _world()
    runner = Runner(world, store_url, config_text([A]))
    runner.run()
    world.clusters[(A, "eu-west-1")]["a"] = False
    runner.run()
    world.clusters[(A, "eu-west-1")]["a"] = True
    third = runner.run()
    assert "0 new, 2 regressed" in third.out
    with Store.open(store_url) as store:
        stored = SqlHistoryStore(store).load_run(_latest(store_url))
    assert stored is not None
    regressed = stored.changes["regressed"]
    assert {f.first_seen for f in regressed} == {T0}
    assert {f.last_seen for f in regressed} == {T0 + timedelta(days=2)}


def test_suppressed_fail_is_muted_stored_and_sent_expired_one_warns(sqlite_url: str) -> None:
    extra = (
        "suppressions:\n"
        "  - {rule: CP-002, match: {cluster: a}, reason: legacy, owner: ops, expires: 2030-12-31}\n"
        "  - {rule: CP-001, match: {cluster: a}, reason: old, owner: ops, expires: 2029-12-31}\n"
        "sinks: ['webhook+https://siem.example.com/hook']\n"
    )
    runner = Runner(_world(), sqlite_url, config_text([A], extra))
    night = runner.run()
    assert "warning: suppression #2 (CP-001, owner ops) expired on 2029-12-31" in night.err
    ((sent, urls, state, key),) = runner.sent.calls
    assert urls == ["webhook+https://siem.example.com/hook"]
    assert (state, key) == (sqlite_url, "estate")
    by = {(f.resource.cluster, f.rule_id): f for f in sent.findings}
    assert by[("a", "CP-002")].status is Status.MUTED
    assert by[("a", "CP-002")].suppression is not None
    assert by[("a", "CP-002")].suppression.reason == "legacy"
    assert by[("a", "CP-001")].status is Status.FAIL
    assert "2 failing (2 medium" not in night.out
    assert "1 muted" in night.out


def test_sinks_get_a_closing_finding_for_a_deleted_cluster(sqlite_url: str) -> None:
    world = _world()
    runner = Runner(
        world, sqlite_url, config_text([A], "sinks: ['webhook+https://s.example.com/h']\n")
    )
    runner.run()
    del world.clusters[(A, "eu-west-1")]["a"]
    runner.run()
    sent = runner.sent.calls[-1][0]
    closing = [f for f in sent.findings if f.resource.cluster == "a"]
    assert {(f.rule_id, f.status) for f in closing} == {
        ("CP-001", Status.NOT_APPLICABLE),
        ("CP-002", Status.NOT_APPLICABLE),
    }
    assert all(f.message.startswith("resolved: the cluster is no longer present") for f in closing)
    assert all(f.scan_id == sent.scan.id for f in closing)


def test_sharded_run_gives_the_same_findings_as_the_single_run(
    sqlite_url: str, pg_url: str
) -> None:
    accounts = [f"{n:012d}" for n in range(1, 9)]
    world = World(
        clusters={(a, "eu-west-1"): {f"c{i}": bool(i % 2) for i in range(3)} for a in accounts}
    )
    world.unassumable.add(accounts[3])
    single = Runner(world, sqlite_url, config_text(accounts))
    assert single.run().code == 3
    with Store.open(sqlite_url) as store:
        one = SqlHistoryStore(store).load_run(_latest(sqlite_url))
    sharded = Runner(world, pg_url, config_text(accounts))
    outs = [sharded.run(shard=Shard(i, 4), run_id="job-1") for i in range(4)]
    assert all(o.code == 0 for o in outs)
    final = sharded.run(finalize="job-1")
    assert final.code == 3
    with Store.open(pg_url) as store:
        many = SqlHistoryStore(store).load_run("job-1")
    assert one is not None
    assert many is not None
    assert sorted((f.uid, f.status) for f in many.result.findings) == sorted(
        (f.uid, f.status) for f in one.result.findings
    )
    assert len(many.result.findings) == 7 * 3 * 2
    assert many.record.shard_count == 4
    assert [c for c in many.result.scan.coverage if c.status == "error"] == [
        c for c in one.result.scan.coverage if c.status == "error"
    ]


def test_a_shard_that_never_reported_is_coverage_and_nothing_resolves(sqlite_url: str) -> None:
    accounts = [f"{n:012d}" for n in range(1, 9)]
    world = World(clusters={(a, "eu-west-1"): {f"c-{a}": True} for a in accounts})
    runner = Runner(world, sqlite_url, config_text(accounts))
    runner.run()
    for i in (0, 1, 3):
        runner.run(shard=Shard(i, 4), run_id="job-2", at=T0 + timedelta(days=1))
    final = runner.run(finalize="job-2")
    assert final.code == 3
    assert "failed: * shard 2/4/*: shard failed: never reported" in final.out
    changes = _changes(sqlite_url, "job-2")
    assert "resolved" not in changes
    assert len(changes["stale"]) + len(changes["persisting"]) == 16
    assert changes["stale"]


class _CrashingLedger(SqlHistoryStore):
    def _update_ledger(self, conn, config_key, findings):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")


def test_a_crash_mid_run_leaves_the_previous_run_intact_and_this_one_incomplete(
    store_url: str,
) -> None:
    world = _world()
    runner = Runner(world, store_url, config_text([A, B]))
    runner.run()
    first = _latest(store_url)
    world.clusters[(A, "eu-west-1")]["a"] = False
    with Store.open(store_url) as store, pytest.raises(RuntimeError, match="disk full"):
        runner.run(history=_CrashingLedger(store))
    with Store.open(store_url) as store:
        history = SqlHistoryStore(store)
        crashed = history.list_runs("estate", 1)[0]
        assert crashed.state == "incomplete"
        assert crashed.id != first
        assert history.load_run(crashed.id) is None
        assert history.load_run(first) is not None
    third = runner.run()  # diffs against the first run, the last complete one
    assert f"changes since run {first}:" in third.out
    assert "2 resolved" in third.out


def test_shard_needs_a_run_id(sqlite_url: str) -> None:
    from cloudposture.model import ConfigurationError

    runner = Runner(_world(), sqlite_url, config_text([A]))
    with pytest.raises(ConfigurationError, match="--shard needs --run-id"):
        runner.run(shard=Shard(0, 2))


def test_finalize_waits_for_the_shards_then_gives_up_with_a_warning(sqlite_url: str) -> None:
    runner = Runner(_world(), sqlite_url, config_text([A, B]))
    runner.run(shard=Shard(0, 2), run_id="job-3")
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) == 2:  # the second shard reports while the finalizer waits
            runner.run(shard=Shard(1, 2), run_id="job-3")

    done = runner.run(finalize="job-3", wait_seconds=60, sleep=sleep)
    assert slept == [5.0, 5.0]
    assert "finalizing without" not in done.err
    assert "targets 2 ok, 0 failed" in done.out

    runner.run(shard=Shard(0, 2), run_id="job-4")
    late = runner.run(finalize="job-4", wait_seconds=12, sleep=lambda s: None)
    assert "warning: run job-4: 1 of 2 shard(s) reported after 12s" in late.err
    assert late.code == 3
