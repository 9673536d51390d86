"""Engine throughput and memory: many clusters behind a simulated API latency.

Why: the scan's wall time is dominated by API round trips, so what matters is that the engine
overlaps them (``--max-workers``) and that memory stays flat in the number of clusters.

    .venv/bin/python bench/engine_bench.py --clusters 5000
    /usr/bin/time -v .venv/bin/python bench/engine_bench.py --clusters 5000

Targets (2-core machine, one process): 5,000 fully collected clusters x the full rule
catalogue (110,000 findings), 20 ms per call, 32 workers: peak RSS under 300 MB. The scan
runs as ``cloudposture scan`` runs it: findings go to the spool as each cluster is judged
(no remediation text in them), then are read back once in report order with their
remediation filled in, as a streaming format writes them (``--write`` sends that JSON Lines
output to a file; by default it is only counted). ``peak_rss`` is ``ru_maxrss`` of the whole
process; ``peak_traced`` is tracemalloc's peak of Python allocations (it misses allocator
overhead and C memory, hence both).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cloudposture.engine import ScanOptions, spool_scan
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
    parser.add_argument("--write", type=Path, help="write the findings as JSON Lines here")
    parser.add_argument("--no-trace", action="store_true", help="skip tracemalloc (faster)")
    args = parser.parse_args()
    clusters: dict[tuple[str, str], list[tuple[str, bool | None]]] = {}
    for i in range(args.clusters):
        region = f"region-{i % args.regions}"
        clusters.setdefault(("111122223333", region), []).append((f"c{i}", i % 3 == 0))
    scanner = CollectedScanner(clusters, delay=args.latency_ms / 1000)
    if not args.no_trace:
        tracemalloc.start()
    started = time.perf_counter()
    spooled = spool_scan([scanner], ScanOptions(rules=ALL_RULES, max_workers=args.workers))
    scanned = time.perf_counter() - started
    written = 0
    with spooled, _output(args.write) as out:
        for finding in spooled.completed():
            out.write(finding.model_dump_json() + "\n")
            written += 1
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if not args.no_trace else 0
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    calls = args.clusters + len(clusters)
    serial = calls * args.latency_ms / 1000
    print(
        f"clusters={args.clusters} findings={written} workers={args.workers} "
        f"scan={scanned:.2f}s elapsed={elapsed:.2f}s serial_estimate={serial:.1f}s "
        f"speedup={serial / scanned:.1f}x peak_rss={rss:.1f}MiB "
        f"peak_traced={peak / 2**20:.1f}MiB"
    )
    return 0


class _Count:
    """A text sink that discards what it is given (the default: count, do not write)."""

    def write(self, text: str) -> int:
        return len(text)

    def __enter__(self) -> _Count:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def _output(path: Path | None) -> Any:
    return path.open("w", encoding="utf-8") if path is not None else _Count()


if __name__ == "__main__":
    raise SystemExit(main())
