"""Runs two real ``scan aws`` passes over the demo EKS estate in its own process (moto's state
is per process, so the demo's seeding must not meet another test's estate).

Usage: ``python -m tests.sinks.scan_driver OUT_DIR STATE SINK_URL...``. After the first scan
it prints ``scanned 1 EXIT`` and waits for a line on stdin (the test brings its receivers up
meanwhile), then scans again and prints ``scanned 2 EXIT``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from cloudposture.cli.scan_command import CommonOptions, execute_scan
from cloudposture.plugin import load_provider


def main(out_dir: str, state: str, *sinks: str) -> None:
    plugin: Any = load_provider("aws")
    console = Console(stderr=True, width=300)
    with plugin.demo() as settings:
        for n in (1, 2):
            common = CommonOptions(
                formats=("json",),
                output=Path(out_dir) / f"scan{n}.json",
                fail_on=None,
                quiet=True,
                sinks=tuple(sinks),
                state=state,
            )
            code = execute_scan(plugin, settings, common, console)
            print(f"scanned {n} {code}", flush=True)  # noqa: T201 - the protocol with the test
            if n == 1:
                sys.stdin.readline()


if __name__ == "__main__":
    main(*sys.argv[1:])
