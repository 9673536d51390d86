"""Run ``execute_run`` against a World, night after night, on a real store."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rich.console import Console

from cloudposture.config import parse_config
from cloudposture.model import ScanResult
from cloudposture.nightly.history_sql import SqlHistoryStore
from cloudposture.nightly.run_command import RunEnv, execute_run
from cloudposture.nightly.sharding import Shard
from cloudposture.store import Store
from tests.nightly.factories import T0
from tests.nightly.world import World, WorldPlugin


@dataclass
class Sent:
    calls: list[tuple[ScanResult, list[str], str | None, str | None]] = field(default_factory=list)

    def __call__(
        self,
        result: ScanResult,
        sink_urls: Sequence[str],
        state_url: str | None,
        console_err: Console | None,
        *,
        config_key: str | None = None,
    ) -> object:
        self.calls.append((result, list(sink_urls), state_url, config_key))
        return None


@dataclass
class Night:
    code: int
    out: str
    err: str


class Runner:
    def __init__(self, world: World, store_url: str, config: str) -> None:
        self.world = world
        self.store_url = store_url
        self.config = parse_config(config, "estate.yaml", {})
        self.key = self.config.name or "estate"
        self.sent = Sent()
        self.night = 0

    def env(
        self, store: Store, at: datetime, **overrides: Any
    ) -> tuple[RunEnv, io.StringIO, io.StringIO]:
        out, err = io.StringIO(), io.StringIO()
        env = RunEnv(
            store=overrides.pop("history", None) or SqlHistoryStore(store),
            store_url=self.store_url,
            stdout=Console(file=out, width=200, highlight=False),
            stderr=Console(file=err, width=200, highlight=False),
            clock=lambda: at,
            load_plugin=lambda name: WorldPlugin(self.world),
            deliver=self.sent,
            **overrides,
        )
        return env, out, err

    def run(
        self,
        *,
        shard: Shard | None = None,
        run_id: str | None = None,
        finalize: str | None = None,
        at: datetime | None = None,
        wait_seconds: float = 0,
        sleep: Any = None,
        **overrides: Any,
    ) -> Night:
        when = at or T0 + timedelta(days=self.night)
        if shard is None:
            self.night += 1
        with Store.open(self.store_url) as store:
            env, out, err = self.env(store, when, **overrides)
            code = execute_run(
                self.config,
                self.key,
                env,
                shard=shard,
                run_id=run_id,
                finalize=finalize,
                wait_seconds=wait_seconds,
                sleep=sleep or (lambda s: None),
            )
        return Night(code, out.getvalue(), err.getvalue())


def shard_process(store_url: str, accounts: list[str], index: int, count: int, run_id: str) -> int:
    """Entry point of one shard process (multiprocessing, spawn): its own world, same data."""
    world = World(
        clusters={(a, "eu-west-1"): {f"c{i}": bool(i % 2) for i in range(3)} for a in accounts}
    )
    from tests.nightly.world import config_text

    runner = Runner(world, store_url, config_text(accounts))
    return runner.run(shard=Shard(index, count), run_id=run_id).code
