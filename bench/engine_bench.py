"""Engine throughput and memory: many clusters behind a simulated API latency.

Why: the scan's wall time is dominated by API round trips, so what matters is that the engine
overlaps them (``--max-workers``) and that memory stays flat in the number of clusters.

    .venv/bin/python bench/engine_bench.py --clusters 5000
    /usr/bin/time -v .venv/bin/python bench/engine_bench.py --clusters 5000

Targets (2-core machine, one process): 5,000 fully collected clusters x the full rule
catalogue (110,000 findings), 20 ms per call, 32 workers: peak RSS under 300 MB. The scan
runs as ``cloudposture scan`` runs it: findings go to the spool as each cluster is judged
(no remediation text in them), then are written out once in report order with their
remediation filled in, as ``--format json`` writes them (to ``--output``, else counted and
dropped). ``--whole`` instead builds the whole ScanResult first, as the formats that render
one document (table, html, sarif, ocsf, csv, asff) and sinks do. ``peak_rss`` is
``ru_maxrss`` of the whole process; ``peak_traced`` is tracemalloc's peak of Python
allocations (it misses allocator overhead and C memory, hence both; ``--no-trace`` skips it,
tracing slows the run down).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cloudposture.engine import ScanOptions, spool_scan
from cloudposture.model import ClusterPosture, ClusterRef
from cloudposture.reporters.json_report import JsonReporter
from cloudposture.rules.catalog import ALL_RULES
from tests.core.fakes import FakeScanner
from tests.rules.builders import good_posture


class CollectedScanner(FakeScanner):
    """Fully collected EKS postures (every fact known), as a real adapter returns them; EKS so
    that writing a finding out fills in real remediation text."""

    def collect(self, r: ClusterRef) -> ClusterPosture:
        super().collect(r)  # the simulated latency and concurrency accounting
        arn = f"arn:aws:eks:{r.region}:{r.account}:cluster/{r.name}"
        ref = r.model_copy(update={"provider": "aws", "native_id": arn})
        return good_posture().model_copy(update={"ref": ref})


def add_estate_options(parser: argparse.ArgumentParser) -> None:
    """The synthetic estate's knobs (shared with delivery_bench.py)."""
    parser.add_argument("--clusters", type=int, default=2000)
    parser.add_argument("--regions", type=int, default=17)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=32)


def estate_scanner(args: argparse.Namespace) -> CollectedScanner:
    """``--clusters`` clusters spread over ``--regions`` regions of one account."""
    clusters: dict[tuple[str, str], list[tuple[str, bool | None]]] = {}
    for i in range(args.clusters):
        region = f"region-{i % args.regions}"
        clusters.setdefault(("111122223333", region), []).append((f"c{i}", i % 3 == 0))
    return CollectedScanner(clusters, delay=args.latency_ms / 1000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    add_estate_options(parser)
    parser.add_argument("--output", type=Path, help="write the --format json document here")
    parser.add_argument("--whole", action="store_true", help="build the whole ScanResult")
    parser.add_argument("--no-trace", action="store_true", help="skip tracemalloc (faster)")
    args = parser.parse_args()
    scanner = estate_scanner(args)
    if not args.no_trace:
        tracemalloc.start()
    started = time.perf_counter()
    spooled = spool_scan([scanner], ScanOptions(rules=ALL_RULES, max_workers=args.workers))
    scanned = time.perf_counter() - started
    with spooled, (args.output or Path(os.devnull)).open("w", encoding="utf-8") as out:
        if args.whole:
            written = len(spooled.whole.findings)
            out.write(JsonReporter().render(spooled.whole))
        else:
            written = len(spooled.findings)
            JsonReporter().write(spooled.scan, spooled.completed(), out)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if not args.no_trace else 0
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    calls = args.clusters + len(scanner.clusters)
    serial = calls * args.latency_ms / 1000
    print(
        f"clusters={args.clusters} findings={written} workers={args.workers} "
        f"scan={scanned:.2f}s elapsed={elapsed:.2f}s serial_estimate={serial:.1f}s "
        f"speedup={serial / scanned:.1f}x peak_rss={rss:.1f}MiB "
        f"peak_traced={peak / 2**20:.1f}MiB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
