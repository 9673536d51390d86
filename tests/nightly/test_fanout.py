"""Bounded fan-out: per account, per provider, overall; and the merge into one result."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from cloudposture.config import Concurrency
from cloudposture.engine import ScanOptions
from cloudposture.model import ClusterPosture, ClusterRef
from cloudposture.nightly.fanout import Slots, merge_results, scan_bounded
from cloudposture.plugin import Target
from cloudposture.region_filter import RegionFilter, in_regions
from cloudposture.rules.catalog import RULES_BY_ID
from tests.nightly.factories import T0
from tests.nightly.world import World, WorldScanner


class Gauge:
    """Counts calls in flight, overall and per account, and remembers the peaks."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now: dict[str, int] = {}
        self.peak: dict[str, int] = {}

    def enter(self, *keys: str) -> None:
        with self.lock:
            for key in keys:
                self.now[key] = self.now.get(key, 0) + 1
                self.peak[key] = max(self.peak.get(key, 0), self.now[key])

    def leave(self, *keys: str) -> None:
        with self.lock:
            for key in keys:
                self.now[key] -= 1


class SlowScanner(WorldScanner):
    def __init__(self, world: World, account: str, gauge: Gauge, name: str = "aws") -> None:
        super().__init__(world, account, [])
        self.gauge = gauge
        self.name = name

    def collect(self, ref: ClusterRef) -> ClusterPosture:
        keys = ("all", f"{self.name}", f"{self.name}:{ref.account}")
        self.gauge.enter(*keys)
        time.sleep(0.01)
        try:
            return super().collect(ref)
        finally:
            self.gauge.leave(*keys)


def test_slots_from_config() -> None:
    assert Slots.from_config(Concurrency(max_workers=16, per_provider=8, per_account=4)) == Slots(
        per_scanner=4, overall=4, per_provider=2
    )
    assert Slots.from_config(Concurrency(max_workers=2, per_account=4)).per_scanner == 2


def test_no_account_provider_or_run_exceeds_its_bound() -> None:
    accounts = [f"{n:012d}" for n in range(6)]
    world = World(clusters={(a, "r1"): {f"c{i}": True for i in range(12)} for a in accounts})
    gauge = Gauge()
    scanners: Sequence[SlowScanner] = [
        SlowScanner(world, a, gauge, "aws" if n % 2 else "gcp") for n, a in enumerate(accounts)
    ]
    options = ScanOptions(rules=[RULES_BY_ID["CP-002"]])
    slots = Slots(per_scanner=3, overall=3, per_provider=2)
    results = scan_bounded(scanners, options, slots, clock=lambda: T0)
    assert [len(r.findings) for r in results] == [12] * 6
    per_account = [v for k, v in gauge.peak.items() if k.count(":") == 1]
    assert max(per_account) <= 3
    assert max(per_account) >= 2
    assert gauge.peak["aws"] <= 2 * 3
    assert gauge.peak["gcp"] <= 2 * 3
    assert 3 < gauge.peak["all"] <= 9  # accounts really ran side by side


def test_merge_relabels_findings_dedupes_and_joins_coverage() -> None:
    world = World(clusters={("1", "r1"): {"a": True}, ("2", "r1"): {"b": False}})
    options = ScanOptions(rules=[RULES_BY_ID["CP-001"], RULES_BY_ID["CP-002"]])
    parts = scan_bounded(
        [WorldScanner(world, "2", []), WorldScanner(world, "1", []), WorldScanner(world, "1", [])],
        options,
        Slots(2, 2, 2),
        clock=lambda: T0,
    )
    merged = merge_results(parts, "run-1", T0, T0, rule_order=["CP-001", "CP-002"])
    assert {f.scan_id for f in merged.findings} == {"run-1"}
    assert [(f.resource.cluster, f.rule_id) for f in merged.findings] == [
        ("a", "CP-001"), ("a", "CP-002"), ("b", "CP-001"), ("b", "CP-002"),
    ]  # fmt: skip
    assert merged.scan.complete
    assert [(c.account, c.region) for c in merged.scan.coverage] == [
        ("1", "r1"), ("1", "r1"), ("2", "r1"),
    ]  # fmt: skip


def test_a_scanner_that_blows_up_is_coverage_not_a_lost_run() -> None:
    class Broken(WorldScanner):
        def targets(self) -> Sequence[Target]:
            raise RuntimeError("bug")

    world = World(clusters={("1", "r1"): {"a": True}})
    parts = scan_bounded(
        [Broken(world, "9", []), WorldScanner(world, "1", [])],
        ScanOptions(rules=[RULES_BY_ID["CP-002"]]),
        Slots(1, 1, 1),
        clock=lambda: T0,
    )
    merged = merge_results(parts, "r", T0, T0)
    assert not merged.scan.complete
    (error,) = [c for c in merged.scan.coverage if c.status == "error"]
    assert (error.account, error.region) == ("9", "*")
    assert len(merged.findings) == 1


def test_region_filter_keeps_zones_of_a_region() -> None:
    assert in_regions("europe-west1-b", ["europe-west1"])
    assert in_regions("WestEurope", ["westeurope"])
    assert not in_regions("europe-west10", ["europe-west1"])
    world = World(clusters={("p", "-"): {"a": True}})
    inner = WorldScanner(world, "p", [])
    kept = RegionFilter(inner, ["us-central1"]).discover(
        Target(provider="aws", account="p", region="-")
    )
    assert kept == []
    assert RegionFilter(inner, ["-"]).label == "p"
