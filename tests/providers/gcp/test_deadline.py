"""Issue 13 (hangs, b): an endpoint answering one byte every half second cannot hold a scan.

The socket timeout (5 s) restarts with every byte; only the total deadline per call (1 s)
ends the request, and it becomes a timeout CollectionError. Real clients, real sockets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cloudposture_gcp.adapter import GcpScanner
from cloudposture_gcp.clients import ClientOptions, GoogleClients
from cloudposture_gcp.settings import GcpSettings

from cloudposture.model import CollectionFailure
from cloudposture.plugin import Target
from tests.providers.drip import DripServer
from tests.providers.gcp.conftest import anonymous

ROOT = Path(__file__).resolve().parents[3]


def test_a_dripping_endpoint_is_cut_at_the_call_deadline() -> None:
    with DripServer(interval=0.5) as drip:
        options = ClientOptions(
            credentials=anonymous(), endpoint=drip.url, retry=None, timeout=5, deadline=1.0
        )
        scanner = GcpScanner(GcpSettings(projects=("p",)), GoogleClients(options))
        started = time.monotonic()
        with pytest.raises(CollectionFailure) as caught:
            scanner.discover(Target(provider="gcp", account="p", region="-"))
        elapsed = time.monotonic() - started
    error = caught.value.error
    assert (error.call, error.kind) == ("container:ListClusters", "timeout")
    assert "no complete answer within 1 s" in error.message
    assert elapsed < 10, elapsed  # 1 s and some; without the deadline, 30 s (the drip's limit)
    assert drip.connections == 1


@pytest.mark.slow
def test_scan_gcp_against_a_dripping_endpoint_ends_with_a_coverage_error(
    tmp_path: Path,
) -> None:
    out = tmp_path / "scan.json"
    env = {**os.environ, "GOOGLE_OAUTH_ACCESS_TOKEN": "ya29.drip", "PYTHONPATH": str(ROOT),
           "CLOUDPOSTURE_CALL_DEADLINE": "1"}  # fmt: skip
    with DripServer(interval=0.5, limit=120) as drip:
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "cloudposture", "scan", "gcp", "--project", "p",
             "--endpoint", drip.url, "--format", "json", "--output", str(out), "--quiet"],
            capture_output=True, text=True, env=env, timeout=100, check=False,
        )  # fmt: skip
        elapsed = time.monotonic() - started
    assert done.returncode == 3, done.stderr
    assert elapsed < 90, elapsed  # the drip alone would go on for 120 s
    assert "Traceback" not in done.stderr
    (unit,) = json.loads(out.read_text())["scan"]["coverage"]
    (error,) = unit["errors"]
    assert (unit["status"], error["kind"]) == ("error", "timeout")
    assert error["message"].startswith("no complete answer within 1 s")
