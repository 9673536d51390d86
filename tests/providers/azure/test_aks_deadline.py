"""Issue 13 (hangs, b): an ARM endpoint answering one byte every half second cannot hold a
scan: the total deadline per call (1 s) cuts what the 5 s socket timeout never would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cloudposture_azure.adapter import AzureScanner
from cloudposture_azure.clients import AzureClients

from cloudposture.model import CollectionFailure
from cloudposture.plugin import Target
from tests.providers.azure.aks_clients import FakeCredential
from tests.providers.azure.aks_fake import TOKEN
from tests.providers.azure.aks_world import SUB
from tests.providers.drip import DripServer


def test_a_dripping_arm_endpoint_is_cut_at_the_call_deadline() -> None:
    with DripServer(interval=0.5) as drip:
        clients = AzureClients(
            FakeCredential(),
            drip.url,
            "https://management.azure.com",
            retry_total=0,
            timeout=5,
            deadline=1.0,
        )
        started = time.monotonic()
        with pytest.raises(CollectionFailure) as caught:
            AzureScanner(clients, (SUB,)).discover(
                Target(provider="azure", account=SUB, region="-")
            )
        elapsed = time.monotonic() - started
    error = caught.value.error
    assert (error.call, error.kind) == ("containerservice:ManagedClusters.List", "timeout")
    assert "no complete answer within 1 s" in error.message
    assert elapsed < 10, elapsed  # 1 s and some; without the deadline, 30 s (the drip's limit)


@pytest.mark.slow
def test_scan_azure_against_a_dripping_arm_endpoint_ends_with_a_coverage_error(
    tmp_path: Path,
) -> None:
    out = tmp_path / "scan.json"
    env = {**os.environ, "CLOUDPOSTURE_AZURE_TOKEN": TOKEN, "CLOUDPOSTURE_CALL_DEADLINE": "1"}
    with DripServer(interval=0.5, limit=120) as drip:
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "cloudposture", "scan", "azure", "--subscription", SUB,
             "--arm-endpoint", drip.url, "--format", "json", "--output", str(out), "--quiet"],
            capture_output=True, text=True, env=env, timeout=100, check=False,
        )  # fmt: skip
        elapsed = time.monotonic() - started
    assert done.returncode == 3, done.stderr
    # one deadline for the whole call: azure-core's retries (four attempts and their backoff,
    # ~10 s at a 1 s deadline) no longer multiply it
    assert elapsed < 8, elapsed
    assert "Traceback" not in done.stderr
    (unit,) = json.loads(out.read_text())["scan"]["coverage"]
    (error,) = unit["errors"]
    assert (unit["status"], error["kind"]) == ("error", "timeout")
    assert "no complete answer within the call deadline" in error["message"]
