"""Start-up: whole-process wall time of ``cloudposture --help`` and of an empty scan.

Issue 9's targets (2-core machine): ``cloudposture --help`` < 0.30 s, and a one-region AWS
scan that finds no cluster < 1.0 s, each the median of 5 runs of a fresh process. The empty
scan runs against a local moto server (127.0.0.1, port 0) through ``AWS_ENDPOINT_URL``, exactly
as a user's shell would: the time is start-up, credentials, one listing and the report.

    .venv/bin/python bench/startup_bench.py [--runs 5]

Which modules make up the time: ``python -X importtime -m cloudposture --help``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from cloudposture_aws.demo import emulated_aws
from cloudposture_aws.emulator import EksExtras

TARGETS = {"help": 0.30, "empty scan": 1.0}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_seconds(args: Sequence[str], env: Mapping[str, str], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of ``runs`` fresh processes,
    after one warm-up for the file cache. CPU time is the figure to trust on a busy machine:
    wall time there mostly measures the wait for a core."""
    wall, cpu = [], []
    for attempt in range(runs + 1):
        cpu_before, started = _children_cpu(), time.perf_counter()
        subprocess.run(args, env=env, check=True, capture_output=True, timeout=120)
        if attempt:  # the first run only warms the page cache
            wall.append(time.perf_counter() - started)
            cpu.append(_children_cpu() - cpu_before)
    return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    script = Path(sys.executable).with_name("cloudposture")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "cloudposture"]
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CLOUDPOSTURE_"))}
    results: dict[str, tuple[float, float]] = {
        "help": median_seconds([*command, "--help"], clean, runs)
    }
    with tempfile.TemporaryDirectory() as tmp, emulated_aws(lambda _client: EksExtras()) as front:
        env = dict(
            clean,
            AWS_ENDPOINT_URL=front.url,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_CONFIG_FILE=str(Path(tmp) / "no-config"),
            AWS_SHARED_CREDENTIALS_FILE=str(Path(tmp) / "no-credentials"),
        )
        scan = [*command, "scan", "aws", "--region", "us-east-1", "--format", "json"]
        scan += ["--output", str(Path(tmp) / "out.json"), "--quiet"]
        results["empty scan"] = median_seconds(scan, env, runs)
    load = os.getloadavg()[0]
    print(
        f"load average {load:.1f} on {os.cpu_count()} cores (wall time is only meaningful near 0)"
    )
    for name, (wall, cpu) in results.items():
        verdict = "ok" if wall < TARGETS[name] else "OVER"
        print(
            f"{name}: median wall {wall:.3f} s, cpu {cpu:.3f} s of {runs} runs "
            f"(target: wall < {TARGETS[name]:.2f} s) {verdict}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
