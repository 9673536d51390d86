"""Engine throughput and memory: many clusters behind a simulated API latency.

Why: the scan's wall time is dominated by API round trips, so what matters is that the engine
overlaps them (``--max-workers``) and that memory stays flat in the number of clusters.

    .venv/bin/python bench/engine_bench.py --clusters 2000 --regions 17 --latency-ms 20

Targets (2-core machine): 2,000 fully collected clusters x the full rule catalogue, 20 ms per
call, 32 workers: under 8 s and under 200 MiB peak traced memory (findings are kept in memory
for the reporters: ~22 per cluster).
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cloudposture.engine import ScanOptions, run_scan
from cloudposture.model import ClusterPosture, ClusterRef
from cloudposture.rules.catalog import ALL_RULES
from tests.core.fakes import FakeScanner
from tests.rules.builders import good_posture


class CollectedScanner(FakeScanner):
    """Fully collected postures (every fact known), as a real adapter returns them."""

    def collect(self, r: ClusterRef) -> ClusterPosture:
        super().collect(r)  # the simulated latency and concurrency accounting
        return good_posture().model_copy(update={"ref": r})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clusters", type=int, default=2000)
    parser.add_argument("--regions", type=int, default=17)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=32)
    args = parser.parse_args()
    clusters: dict[tuple[str, str], list[tuple[str, bool | None]]] = {}
    for i in range(args.clusters):
        region = f"region-{i % args.regions}"
        clusters.setdefault(("111122223333", region), []).append((f"c{i}", i % 3 == 0))
    scanner = CollectedScanner(clusters, delay=args.latency_ms / 1000)
    tracemalloc.start()
    started = time.perf_counter()
    result = run_scan([scanner], ScanOptions(rules=ALL_RULES, max_workers=args.workers))
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    calls = args.clusters + len(clusters)
    serial = calls * args.latency_ms / 1000
    print(
        f"clusters={args.clusters} findings={len(result.findings)} workers={args.workers} "
        f"elapsed={elapsed:.2f}s serial_estimate={serial:.1f}s "
        f"speedup={serial / elapsed:.1f}x peak_mem={peak / 2**20:.1f}MiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
