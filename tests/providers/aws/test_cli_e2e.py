"""End to end: ``python -m cloudposture scan aws`` in a subprocess, pointed at the emulated
AWS through the standard ``AWS_ENDPOINT_URL`` variable only (no special flag)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from cloudposture_aws.emulator import EksFront

from .conftest import EXPECTED_FAILS

pytestmark = pytest.mark.slow


def run_cli(
    front: EksFront, out: Path, *regions: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ENDPOINT_URL=front.url,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=str(out.parent / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(out.parent / "no-credentials"),
    )
    args = [
        sys.executable,
        "-m",
        "cloudposture",
        "scan",
        "aws",
        "--format",
        "json",
        "--output",
        str(out),
        "--quiet",
    ]
    for region in regions:
        args += ["--region", region]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, check=False)
    return done, json.loads(out.read_text()) if out.exists() else {}


def fails_by_cluster(report: dict[str, Any]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for finding in report["findings"]:
        cluster = finding["resource"]["cluster"]
        out[cluster]  # every scanned cluster appears, even with no FAIL
        if finding["status"] == "FAIL":
            out[cluster].add(finding["rule_id"])
    return dict(out)


def test_scan_reports_exactly_the_fails_each_cluster_deserves(
    clean_front: EksFront, tmp_path: Path
) -> None:
    done, report = run_cli(clean_front, tmp_path / "scan.json", "us-east-1", "eu-west-1")
    assert done.returncode == 1, done.stderr
    assert fails_by_cluster(report) == EXPECTED_FAILS
    assert report["scan"]["complete"] is True
    regions = {c["region"]: c["status"] for c in report["scan"]["coverage"]}
    assert regions == {"us-east-1": "ok", "eu-west-1": "ok"}
    finding = report["findings"][0]
    assert finding["resource"]["provider"] == "aws"
    assert finding["resource"]["id"].startswith("arn:aws:eks:")


def test_denied_region_is_a_coverage_error_and_exit_3(
    clean_front: EksFront, tmp_path: Path
) -> None:
    clean_front.extras.denied_regions.add("ap-southeast-2")
    done, report = run_cli(
        clean_front, tmp_path / "scan.json", "us-east-1", "eu-west-1", "ap-southeast-2"
    )
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    coverage = {c["region"]: c for c in report["scan"]["coverage"]}
    denied = coverage["ap-southeast-2"]
    assert denied["status"] == "error"
    [error] = denied["errors"]
    assert (error["call"], error["kind"]) == ("eks:ListClusters", "denied")
    assert coverage["us-east-1"]["status"] == coverage["eu-west-1"]["status"] == "ok"
    assert fails_by_cluster(report) == EXPECTED_FAILS  # the other regions are all there
    assert report["scan"]["complete"] is False
