"""EKS scan over the real wire: wall time, API calls per cluster, and peak memory.

Seeds N clusters (each with one managed node group) across R regions on a local moto server
(behind the same EKS front the demo uses), all sharing one cluster role, one node role, one
KMS key per region and one node security group per region, then runs the real scan path.

    .venv/bin/python bench/aws_bench.py --clusters 60 --regions 3 --workers 16

What it guards:
- calls per cluster stay flat as clusters grow (shared lookups: roles, keys, groups, templates
  and version tables are read once per scan, not per cluster);
- wall time scales with clusters / workers, not clusters (concurrency actually overlaps calls).
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cloudposture_aws.demo import DEMO_KEYS, Seeder, emulated_aws, world
from cloudposture_aws.emulator import EksExtras

from cloudposture.engine import ScanOptions, run_scan
from cloudposture.plugin import load_provider
from cloudposture.rules.catalog import ALL_RULES

REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2", "eu-central-1"]


def seeder(clusters: int, regions: list[str]) -> Any:
    def seed(client: Any) -> EksExtras:
        s = Seeder(client)
        cluster_role = s.role("bench-cluster", ["AmazonEKSClusterPolicy"])
        node_role = s.role("bench-node", ["AmazonEKSWorkerNodePolicy"])
        per_region = {}
        for region in regions:
            subnet = s.subnet(region, "10.0.1.0/24")
            group = s.group(region, "bench-nodes", [world("tcp", 443)])
            per_region[region] = (subnet, group, s.key(region))
        for i in range(clusters):
            region = regions[i % len(regions)]
            subnet, group, key = per_region[region]
            name = f"bench-{i:04d}"
            s.cluster(
                region,
                name,
                role=cluster_role,
                version="1.33",
                subnets=[subnet],
                public=i % 2 == 0,
                private=True,
                key=key,
                logs=["api", "audit"],
                cluster_group=group,
            )
            s.nodegroup(region, name, "workers", role=node_role, subnets=[subnet])
        return s.extras

    return seed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clusters", type=int, default=60)
    parser.add_argument("--regions", type=int, default=3)
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args()
    regions = REGIONS[: args.regions]
    seed_started = time.perf_counter()
    with emulated_aws(seeder(args.clusters, regions)) as front:
        seeded = time.perf_counter() - seed_started
        plugin = load_provider("aws")
        settings = {"endpoint_url": front.url, "region": tuple(regions), **DEMO_KEYS}
        scanners = plugin.scanners(settings, args.workers)
        calls: Counter[str] = Counter()

        def record(model: Any, **_: Any) -> None:
            calls[f"{model.service_model.endpoint_prefix}:{model.name}"] += 1

        for scanner in scanners:
            scanner.base_clients.register("before-call", record)  # type: ignore[attr-defined]
        tracemalloc.start()
        started = time.perf_counter()
        result = run_scan(scanners, ScanOptions(rules=ALL_RULES, max_workers=args.workers))
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    total = sum(calls.values())
    print(
        f"clusters={args.clusters} regions={args.regions} workers={args.workers} "
        f"seed={seeded:.1f}s scan={elapsed:.2f}s findings={len(result.findings)} "
        f"complete={result.scan.complete} api_calls={total} "
        f"calls_per_cluster={total / args.clusters:.2f} peak_mem={peak / 2**20:.1f}MiB"
    )
    for call, count in calls.most_common():
        print(f"  {count:5d} {call}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
