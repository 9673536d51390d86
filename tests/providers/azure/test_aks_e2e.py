"""End to end: the real CLI in a subprocess scans the fake ARM with a static token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.providers.azure.aks_fake import GRAPH_TOKEN, TOKEN, FakeArm
from tests.providers.azure.aks_groups import SUB_B, SUB_OFF, serve_groups
from tests.providers.azure.aks_service_principals import SP_SUB, serve_service_principals
from tests.providers.azure.aks_world import DENIED, EXPECTED_FAILS, SUB

pytestmark = pytest.mark.slow


def run_cli(
    fake: FakeArm,
    out: Path,
    *subscriptions: str,
    groups: tuple[str, ...] = (),
    graph_token: str | None = None,
) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "cloudposture", "scan", "azure"]
    for sub in subscriptions:
        args += ["--subscription", sub]
    for group in groups:
        args += ["--management-group", group]
    args += ["--arm-endpoint", fake.url, "--graph-endpoint", fake.url]
    args += ["--format", "json", "--output", str(out), "--quiet"]
    env = {**os.environ, "CLOUDPOSTURE_AZURE_TOKEN": TOKEN}
    env.pop("CLOUDPOSTURE_AZURE_GRAPH_TOKEN", None)
    if graph_token is not None:
        env["CLOUDPOSTURE_AZURE_GRAPH_TOKEN"] = graph_token
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=120, check=False)


def fails_by_cluster(path: Path) -> dict[str, set[str]]:
    result = json.loads(path.read_text())
    out: dict[str, set[str]] = {}
    for finding in result["findings"]:
        names = out.setdefault(finding["resource"]["cluster"], set())
        if finding["status"] == "FAIL":
            names.add(finding["rule_id"])
    return out


def test_scan_reports_exactly_the_fails_each_cluster_deserves(
    world: FakeArm, tmp_path: Path
) -> None:
    out = tmp_path / "scan.json"
    proc = run_cli(world, out, SUB)
    # exit 3, not 1: public-narrow's KMS key could not be read, so the scan is partial
    assert proc.returncode == 3, proc.stderr
    assert fails_by_cluster(out) == EXPECTED_FAILS
    result = json.loads(out.read_text())
    assert {f["resource"]["provider"] for f in result["findings"]} == {"azure"}
    partial = [c for c in result["scan"]["coverage"] if c["status"] != "ok"]
    assert [(c["cluster"], [e["call"] for e in c["errors"]]) for c in partial] == [
        ("public-narrow", ["keyvault:Keys.GetVersion"])
    ]
    assert TOKEN not in out.read_text() + proc.stdout + proc.stderr
    assert world.problems == []


def test_denied_subscription_gives_coverage_error_and_exit_3(
    world: FakeArm, tmp_path: Path
) -> None:
    out = tmp_path / "scan.json"
    proc = run_cli(world, out, SUB, DENIED)
    assert proc.returncode == 3, proc.stderr
    assert fails_by_cluster(out) == EXPECTED_FAILS  # the readable subscription completed
    coverage = json.loads(out.read_text())["scan"]["coverage"]
    denied = [c for c in coverage if c["account"] == DENIED]
    assert [c["status"] for c in denied] == ["error"]
    assert denied[0]["errors"][0]["code"] == "AuthorizationFailed"


def test_plain_http_to_a_remote_endpoint_is_refused(tmp_path: Path) -> None:
    args = [sys.executable, "-m", "cloudposture", "scan", "azure", "--subscription", SUB,
            "--arm-endpoint", "http://203.0.113.10", "--format", "json"]  # fmt: skip
    env = {**os.environ, "CLOUDPOSTURE_AZURE_TOKEN": TOKEN}
    proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60, check=False)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "plain http" in proc.stderr


def test_management_groups_from_the_cli(fake: FakeArm, tmp_path: Path) -> None:
    serve_groups(fake)
    out = tmp_path / "scan.json"
    proc = run_cli(fake, out, SUB, groups=("apps-mg", "locked", "platform"))
    assert proc.returncode == 3, proc.stderr
    assert fails_by_cluster(out) == EXPECTED_FAILS  # SUB once, though named and below apps-mg
    coverage = json.loads(out.read_text())["scan"]["coverage"]
    units = {c["account"]: c for c in coverage if c["cluster"] is None}
    assert set(units) == {SUB, DENIED, "managementGroups/locked", SUB_B, SUB_OFF}
    locked = units["managementGroups/locked"]
    assert (locked["status"], locked["errors"][0]["kind"]) == ("error", "denied")
    off = units[SUB_OFF]
    assert (off["status"], off["note"]) == (
        "skipped",
        "subscription (sub 13) below management group platform is Disabled",
    )
    assert "Traceback" not in proc.stderr
    assert fake.problems == []


def test_a_subscription_of_service_principal_clusters_completes(
    fake: FakeArm, tmp_path: Path
) -> None:
    """Issue 13: such a subscription could never complete (IAM-001/002 ERROR, exit 3)."""
    serve_service_principals(fake)
    out = tmp_path / "scan.json"
    proc = run_cli(fake, out, SP_SUB, graph_token=GRAPH_TOKEN)
    assert proc.returncode == 1, proc.stderr
    result = json.loads(out.read_text())
    assert result["scan"]["complete"] is True
    identity = {
        (f["resource"]["cluster"], f["rule_id"]): f["status"]
        for f in result["findings"]
        if f["rule_id"] in ("IAM-001", "IAM-002")
    }
    assert identity == {
        ("sp-admin", "IAM-001"): "FAIL",
        ("sp-admin", "IAM-002"): "FAIL",
        ("sp-least", "IAM-001"): "PASS",
        ("sp-least", "IAM-002"): "PASS",
    }
    assert GRAPH_TOKEN not in out.read_text() + proc.stdout + proc.stderr
    assert fake.problems == []


def test_service_principal_clusters_without_a_graph_token_say_what_to_set(
    fake: FakeArm, tmp_path: Path
) -> None:
    serve_service_principals(fake)
    out = tmp_path / "scan.json"
    proc = run_cli(fake, out, SP_SUB)
    assert proc.returncode == 3, proc.stderr
    coverage = json.loads(out.read_text())["scan"]["coverage"]
    codes = {e["code"] for c in coverage for e in c["errors"]}
    assert codes == {"NoGraphToken"}
    assert "Traceback" not in proc.stderr
