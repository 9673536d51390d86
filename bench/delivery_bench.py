"""Delivery memory and time: a large spooled scan recorded in the state store and sent to a sink.

Why: ``cloudposture scan --state ... --sink ...`` keeps its findings in the engine's spool while
scanning (flat memory), then records the scan, queues an event per finding per sink and
delivers them. If delivery built every finding as an object at once, a 5,000-cluster scan
would peak near a gigabyte after a 190 MB scan; streamed in batches it stays a few tens of MB
above the scan.

    .venv/bin/python bench/delivery_bench.py --clusters 5000
    /usr/bin/time -v .venv/bin/python bench/delivery_bench.py --clusters 5000 --no-trace

The scan is engine_bench's (fully collected EKS clusters x the full rule catalogue, behind a
simulated API latency); delivery goes to ``--state sqlite:///<tmp>/state.db`` (or
``--state URL``) and one ``webhook+http`` sink with ``status=all`` on a receiver thread on
127.0.0.1 that reads and drops every batch and acknowledges it. ``--whole`` hands delivery the
whole ScanResult (what the nightly run does, and what ``scan`` did before delivery streamed)
instead of the spooled scan. Printed: the scan's peak RSS (before delivery), the process's
peak RSS at the end, the scan's and delivery's time (split at the first batch's arrival into
recording + queueing, then sending), and tracemalloc's peak (``--no-trace`` skips tracing, which
slows the run down).
"""

from __future__ import annotations

import argparse
import http.server
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine_bench import add_estate_options, estate_scanner

from cloudposture.engine import ScanOptions, spool_scan
from cloudposture.outbox.delivery import deliver_scan
from cloudposture.outbox.outbox import RetryPolicy
from cloudposture.rules.catalog import ALL_RULES


class _Discard(http.server.BaseHTTPRequestHandler):
    """Acknowledges every batch and keeps nothing (the receiver shares the process's RSS)."""

    received = 0
    first_at = 0.0
    """perf_counter() when the first batch arrived: queueing was over, delivery had begun."""

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        while length:
            length -= len(self.rfile.read(min(length, 1 << 16)))
        if not type(self).received:
            type(self).first_at = time.perf_counter()
        type(self).received += 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    add_estate_options(parser)
    parser.add_argument("--state", help="state store URL (default: a temporary SQLite file)")
    parser.add_argument("--whole", action="store_true", help="deliver the whole ScanResult")
    parser.add_argument("--no-trace", action="store_true", help="skip tracemalloc (faster)")
    args = parser.parse_args()
    scanner = estate_scanner(args)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Discard)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    sink = f"webhook+http://127.0.0.1:{server.server_address[1]}/hook?status=all"
    with tempfile.TemporaryDirectory(prefix="cloudposture-bench-") as tmp:
        state = args.state or f"sqlite:///{tmp}/state.db"
        if not args.no_trace:
            tracemalloc.start()
        started = time.perf_counter()
        spooled = spool_scan([scanner], ScanOptions(rules=ALL_RULES, max_workers=args.workers))
        scanned_s = time.perf_counter() - started
        scan_rss = _rss_mib()
        with spooled:
            findings = len(spooled.findings)
            handed = spooled.whole if args.whole else spooled
            summary = deliver_scan(
                handed, [sink], state, None, policy=RetryPolicy(budget_seconds=60)
            )
        delivered_s = time.perf_counter() - started - scanned_s
        queued_s = _Discard.first_at - started - scanned_s
        peak = tracemalloc.get_traced_memory()[1] if not args.no_trace else 0
        tracemalloc.stop()
    server.shutdown()
    delivered = sum(r.delivered for r in summary.reports)
    print(
        f"clusters={args.clusters} findings={findings} delivered={delivered} "
        f"pending={summary.pending} problem={summary.problem or '-'} "
        f"mode={'whole' if args.whole else 'spooled'} scan={scanned_s:.2f}s "
        f"delivery={delivered_s:.2f}s (record+queue {queued_s:.2f}s, "
        f"send {delivered_s - queued_s:.2f}s) batches_received={_Discard.received} "
        f"scan_peak_rss={scan_rss:.1f}MiB peak_rss={_rss_mib():.1f}MiB "
        f"peak_traced={peak / 2**20:.1f}MiB"
    )
    return 0 if delivered == findings and not summary.problem else 1


if __name__ == "__main__":
    raise SystemExit(main())
