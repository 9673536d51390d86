"""``history list``, ``history show RUN``, ``diff [RUN_A RUN_B]`` on a store with three runs."""

from __future__ import annotations

import json

import pytest

from cloudposture.cli import main
from cloudposture.nightly.history_sql import SqlHistoryStore
from cloudposture.store import Store
from tests.nightly.runner import Runner
from tests.nightly.world import World, config_text

A = "111111111111"


@pytest.fixture
def three_runs(sqlite_url: str) -> list[str]:
    world = World(clusters={(A, "eu-west-1"): {"a": True, "b": True}})
    runner = Runner(world, sqlite_url, config_text([A]))
    runner.run()
    world.clusters[(A, "eu-west-1")]["b"] = False
    runner.run()
    world.clusters[(A, "eu-west-1")]["b"] = True
    runner.run()
    with Store.open(sqlite_url) as store:
        return [r.id for r in reversed(SqlHistoryStore(store).list_runs())]


def test_history_list(
    sqlite_url: str, three_runs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "list", "--store", sqlite_url]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[0] for line in lines] == list(reversed(three_runs))
    assert "complete" in lines[0]
    assert "targets 1 ok/0 failed, 4 failing, 0 new, 0 resolved" in lines[0]
    assert "4 failing, 4 new" in lines[2]


def test_history_show_text_and_json(
    sqlite_url: str, three_runs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "show", three_runs[1], "--store", sqlite_url]) == 0
    out = capsys.readouterr().out
    assert f"run {three_runs[1]} (config estate), complete" in out
    assert out.count("  resolved   ") == 2
    assert out.count("  persisting ") == 2
    assert main(["history", "show", three_runs[2], "--store", sqlite_url, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {f["resource"]["cluster"] for f in data["changes"]["regressed"]} == {"b"}
    assert main(["history", "show", "nope", "--store", sqlite_url]) == 2
    assert capsys.readouterr().err.strip() == "error: run 'nope' does not exist"


def test_diff_defaults_to_the_last_two_runs_and_takes_two_ids(
    sqlite_url: str, three_runs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "--store", sqlite_url]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"diff {three_runs[1]} -> {three_runs[2]} (config estate)")
    assert "0 new, 2 regressed, 2 persisting, 0 resolved, 0 stale" in out
    assert main(["diff", three_runs[0], three_runs[1], "--store", sqlite_url]) == 0
    out = capsys.readouterr().out
    assert "0 new, 0 regressed, 2 persisting, 2 resolved, 0 stale" in out
    assert main(["diff", three_runs[0], "--store", sqlite_url]) == 2
    assert "exactly two" in capsys.readouterr().err


def test_diff_refuses_runs_of_two_different_configs(
    sqlite_url: str, three_runs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    world = World(clusters={(A, "eu-west-1"): {"c": True}})
    other = Runner(world, sqlite_url, config_text([A]).replace("name: estate", "name: other"))
    other.run()
    with Store.open(sqlite_url) as store:
        (latest,) = SqlHistoryStore(store).list_runs("other")
    assert main(["diff", three_runs[2], latest.id, "--store", sqlite_url]) == 2
    err = capsys.readouterr().err
    assert "belong to different configs ('estate' and 'other')" in err
    assert len(err.strip().splitlines()) == 1
