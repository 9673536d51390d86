"""GKE scan over the real wire: API calls per cluster by call, one scanner per project.

Seeds N clusters over P service projects of one Shared VPC (the host network in R regions)
on the tests' fake Google API (127.0.0.1, payloads validated against the SDK's messages),
then scans them the way the nightly run does (one scanner per project, built by the plugin)
with the real Google clients.

    .venv/bin/python bench/gcp_bench.py --clusters 14 --projects 7 --regions 2

What it guards: the network's effective firewalls are read once per network and once per
(network, region), and ancestors' IAM policies once, whatever the number of clusters and
projects (issue 9: 14 clusters made 26 of each before).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cloudposture_gcp.plugin import GcpPlugin

from tests.providers.gcp.fake_api import FakeGoogleApi, World
from tests.providers.gcp.fixtures import (
    ORG,
    PROD,
    cluster,
    issue_world,
    node_config,
    node_pool,
    org_policy,
    policy,
    project,
)

REGIONS = ["europe-west1", "us-central1", "asia-east1", "europe-west4"]
HOST_NET = f"projects/{PROD}/global/networks/prod-vpc"


def estate(clusters: int, projects: int, regions: list[str]) -> tuple[World, list[str]]:
    world = issue_world()
    names = [f"svc-{n:03d}" for n in range(projects)]
    for n, name in enumerate(names):
        world.projects[name] = project(name, f"70000{n:07d}")
        world.policies[name] = policy([], audit=True)
        world.clusters[name] = []
    for i in range(clusters):
        name, region = names[i % projects], regions[i % len(regions)]
        world.clusters[name].append(
            cluster(
                name,
                f"c{i:04d}",
                f"{i:064d}",
                location=region,
                pools=[node_pool(name, region, f"c{i:04d}", "pool", node_config())],
                networkConfig={"network": HOST_NET},
            )
        )
    world.policies[ORG] = org_policy()
    return world, names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=14)
    parser.add_argument("--projects", type=int, default=7)
    parser.add_argument("--regions", type=int, default=2, choices=range(1, len(REGIONS) + 1))
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    world, names = estate(args.clusters, args.projects, REGIONS[: args.regions])
    os.environ["GOOGLE_OAUTH_ACCESS_TOKEN"] = "ya29.bench"
    with FakeGoogleApi(world).running() as api:
        plugin = GcpPlugin()
        scanners = [
            s
            for n in names
            for s in plugin.scanners({"project": (n,), "endpoint": api.base_url}, 4)
        ]
        started = time.perf_counter()
        refs = [(s, r) for s in scanners for t in s.targets() for r in s.discover(t)]
        with ThreadPoolExecutor(args.workers) as pool:
            postures = list(pool.map(lambda pair: pair[0].collect(pair[1]), refs))
        elapsed = time.perf_counter() - started
    errors = sum(len(p.collection_errors) for p in postures)
    calls = Counter(c for c, _ in api.calls)
    print(
        f"{len(postures)} clusters in {args.projects} projects, {args.regions} region(s): "
        f"{elapsed:.2f} s, {errors} collection errors"
    )
    print(f"{sum(calls.values())} calls, {sum(calls.values()) / len(postures):.2f} per cluster")
    for call, count in calls.most_common():
        print(f"  {count:5d}  {call}")


if __name__ == "__main__":
    main()
