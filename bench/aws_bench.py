"""EKS scan over the real wire: wall time, API calls per cluster by API, and peak memory.

Seeds the estate of ``aws_estate.py`` (N clusters over R regions, each with its own roles,
a launch-templated node group and a self-managed node) on a local moto server behind the EKS
front the demo uses, then runs the real scan path and counts every botocore call.

    .venv/bin/python bench/aws_bench.py --clusters 60 --regions 3 --workers 16

Target (issue 9): <= 7 API calls per cluster on 60 clusters over 3 regions. What it guards:
- account- and region-wide reads replace per-cluster ones (IAM from
  GetAccountAuthorizationDetails, one DescribeInstances per region, security groups and subnets
  batched across clusters);
- AWS-managed policy documents cost iam:GetPolicy + iam:GetPolicyVersion per distinct policy
  per account (three here: the EKS cluster, worker node and ECR policies), not per cluster;
- wall time scales with clusters / workers, not clusters (concurrency overlaps calls).
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

from aws_estate import REGIONS, seed_estate
from cloudposture_aws.demo import DEMO_KEYS, emulated_aws

from cloudposture.engine import ScanOptions, run_scan
from cloudposture.plugin import load_provider
from cloudposture.rules.catalog import ALL_RULES


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clusters", type=int, default=60)
    parser.add_argument("--regions", type=int, default=3)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument(
        "--findings", type=Path, help="write 'cluster rule status' lines here (to compare runs)"
    )
    args = parser.parse_args()
    regions = REGIONS[: args.regions]
    seed_started = time.perf_counter()
    with emulated_aws(seed_estate(args.clusters, regions)) as front:
        seeded = time.perf_counter() - seed_started
        plugin = load_provider("aws")
        settings = {"endpoint_url": front.url, "region": tuple(regions), **DEMO_KEYS}
        scanners = plugin.scanners(settings, args.workers)
        calls: Counter[str] = Counter()
        failed: Counter[str] = Counter()

        def record(model: Any, **_: Any) -> None:
            calls[f"{model.service_model.endpoint_prefix}:{model.name}"] += 1

        def record_failure(http_response: Any, model: Any, **_: Any) -> None:
            if http_response is not None and http_response.status_code >= 400:
                failed[f"{model.service_model.endpoint_prefix}:{model.name}"] += 1

        for scanner in scanners:
            scanner.base_clients.register("before-call", record)  # type: ignore[attr-defined]
            scanner.base_clients.register(  # type: ignore[attr-defined]
                "after-call", record_failure
            )
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
    if args.findings:
        lines = sorted(
            f"{f.resource.cluster} {f.rule_id} {f.status.value}" for f in result.findings
        )
        args.findings.write_text("\n".join(lines) + "\n")
    errors = sum(1 for f in result.findings if f.status.value == "ERROR")
    print(f"error_findings={errors} failed_calls={sum(failed.values())}")
    print("  calls  per-cluster  api (failed)")
    for call, count in calls.most_common():
        note = f" ({failed[call]} failed)" if failed[call] else ""
        print(f"  {count:5d}  {count / args.clusters:11.2f}  {call}{note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
