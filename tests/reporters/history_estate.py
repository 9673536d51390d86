"""Three nights of a small estate in a real store, for the history report's tests.

Night 1: clusters a and b fail (public endpoint), c passes; account B's x fails.
Night 2: b is fixed, c turns public (new).
Night 3: b turns public again (regressed), c is fixed (resolved) and account B cannot be
read (x goes stale).
"""

from __future__ import annotations

from pathlib import Path

from tests.nightly.runner import Runner
from tests.nightly.world import World, config_text

A, B = "111111111111", "222222222222"


def three_nights(store_url: str, report_dir: Path) -> Runner:
    world = World(
        clusters={
            (A, "eu-west-1"): {"a": True, "b": True, "c": False},
            (B, "us-east-1"): {"x": True},
        }
    )
    extra = f"output:\n  formats: [html, json]\n  directory: {report_dir}\n"
    runner = Runner(world, store_url, config_text([A, B], extra))
    runner.run()
    world.clusters[(A, "eu-west-1")] = {"a": True, "b": False, "c": True}
    runner.run()
    world.clusters[(A, "eu-west-1")] = {"a": True, "b": True, "c": False}
    world.unassumable.add(B)
    runner.run()
    return runner
