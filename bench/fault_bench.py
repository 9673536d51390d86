"""EKS scan through a misbehaving endpoint: same findings as a clean run, and how much slower.

Seeds the estate of ``aws_estate.py`` on a local moto server (behind the EKS front), then scans
it twice through the fault proxy of ``tests/providers/aws/fault_proxy.py`` (127.0.0.1 only):
once clean, once injecting on every call 30 % throttling (AWS-shaped ThrottlingException /
RequestLimitExceeded / Throttling replies), 5 % HTTP 500 and 2 % connection resets. Prints
whether the findings (cluster, rule, status, message) equal the clean run's and the time ratio.

    .venv/bin/python bench/fault_bench.py --clusters 60 --regions 3 --workers 16

Target (issue 9): identical findings, faulty run <= 3x the clean time. Bounded: at most
``--max-faults`` injected faults and ``--time-limit`` seconds per run (exit 1 past either
target or limit).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from aws_estate import REGIONS, seed_estate
from cloudposture_aws.demo import DEMO_KEYS, emulated_aws

from cloudposture.engine import ScanOptions, run_scan
from cloudposture.model import ScanResult
from cloudposture.plugin import load_provider
from cloudposture.rules.catalog import ALL_RULES
from tests.providers.aws.fault_proxy import Faults, fault_proxy

Verdicts = set[tuple[str, str, str, str]]


def scan(url: str, regions: list[str], workers: int, limit: float) -> tuple[ScanResult, float]:
    """One whole scan through ``url``; raises TimeoutError past ``limit`` seconds."""
    settings = {"endpoint_url": url, "region": tuple(regions), **DEMO_KEYS}
    scanners = load_provider("aws").scanners(settings, workers)
    done: dict[str, Any] = {}

    def run() -> None:
        done["result"] = run_scan(scanners, ScanOptions(rules=ALL_RULES, max_workers=workers))

    started = time.perf_counter()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        raise TimeoutError(f"the scan ran past the {limit:g} s limit")
    return done["result"], time.perf_counter() - started


def verdicts(result: ScanResult) -> Verdicts:
    return {(f.resource.cluster, f.rule_id, f.status.value, f.message) for f in result.findings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clusters", type=int, default=60)
    parser.add_argument("--regions", type=int, default=3)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--throttle", type=float, default=0.30)
    parser.add_argument("--server-error", type=float, default=0.05)
    parser.add_argument("--reset", type=float, default=0.02)
    parser.add_argument("--max-faults", type=int, default=100_000)
    parser.add_argument("--time-limit", type=float, default=900.0)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    regions = REGIONS[: args.regions]
    with emulated_aws(seed_estate(args.clusters, regions)) as front:
        with fault_proxy(front.url, Faults()) as url:
            clean, clean_time = scan(url, regions, args.workers, args.time_limit)
        faults = Faults(
            throttle=args.throttle,
            server_error=args.server_error,
            reset=args.reset,
            max_faults=args.max_faults,
            seed=args.seed,
        )
        with fault_proxy(front.url, faults) as url:
            faulty, faulty_time = scan(url, regions, args.workers, args.time_limit)
    same = verdicts(clean) == verdicts(faulty)
    ratio = faulty_time / clean_time
    requests = sum(faults.requests.values())
    print(
        f"clusters={args.clusters} regions={args.regions} workers={args.workers} "
        f"faults: throttle={args.throttle:.0%} http500={args.server_error:.0%} "
        f"reset={args.reset:.0%}"
    )
    print(
        f"identical_findings={same} clean={clean_time:.2f}s faulty={faulty_time:.2f}s "
        f"ratio={ratio:.2f} findings={len(faulty.findings)} complete={faulty.scan.complete}"
    )
    injected = ", ".join(f"{k}={v}" for k, v in sorted(faults.injected.items()))
    print(f"requests={requests} injected: {injected}")
    if not same:
        for line in sorted(verdicts(clean) ^ verdicts(faulty))[:20]:
            side = "clean" if line in verdicts(clean) else "faulty"
            print(f"  only in {side}: {' | '.join(line)}")
    return 0 if same and ratio <= 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
