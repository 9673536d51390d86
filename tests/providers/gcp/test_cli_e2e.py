"""End to end: ``python -m cloudposture scan gcp`` in a subprocess against the fake API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.providers.gcp.fake_api import FakeGoogleApi, World, permission_denied
from tests.providers.gcp.fixtures import DEV, EMPTY, LOCKED, ORG, PROD, SANDBOX, org_policy
from tests.providers.gcp.test_rules_gke import EXPECTED_FAILS

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "ya29.e2e-test-token"


def scan(
    api: FakeGoogleApi, out: Path, *projects: str
) -> tuple[subprocess.CompletedProcess[str], Any]:
    env = dict(os.environ, GOOGLE_OAUTH_ACCESS_TOKEN=TOKEN, PYTHONPATH=str(ROOT))
    args = [a for p in projects for a in ("--project", p)]
    done = subprocess.run(
        [sys.executable, "-m", "cloudposture", "scan", "gcp", *args, "--endpoint", api.base_url,
         "--format", "json", "--output", str(out), "--quiet"],
        capture_output=True, text=True, env=env, timeout=120, check=False, cwd=ROOT,
    )  # fmt: skip
    return done, json.loads(out.read_text()) if out.exists() else None


@pytest.mark.slow
def test_scan_reports_the_exact_fail_set_per_cluster(api: FakeGoogleApi, tmp_path: Path) -> None:
    done, report = scan(api, tmp_path / "out.json", PROD, DEV, EMPTY)
    assert done.returncode == 1, done.stderr
    fails: dict[str, set[str]] = {name: set() for name in EXPECTED_FAILS}
    for finding in report["findings"]:
        assert finding["resource"]["provider"] == "gcp"
        if finding["status"] == "FAIL":
            fails[finding["resource"]["cluster"]].add(finding["rule_id"])
    assert fails == EXPECTED_FAILS
    assert report["scan"]["complete"] is True
    empty = [c for c in report["scan"]["coverage"] if c["account"] == EMPTY]
    assert [(c["status"], c["clusters_found"]) for c in empty] == [("ok", 0)]
    # The static token travels as a bearer token, and never into the report or stderr.
    sent = {v for _, _, h in api.requests for k, v in h.items() if k.lower() == "authorization"}
    assert sent == {f"Bearer {TOKEN}"}
    assert TOKEN not in (tmp_path / "out.json").read_text() + done.stderr + done.stdout
    assert "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=" not in (tmp_path / "out.json").read_text()


@pytest.mark.slow
def test_denied_and_disabled_projects_make_the_scan_incomplete(
    api: FakeGoogleApi, tmp_path: Path
) -> None:
    done, report = scan(api, tmp_path / "out.json", PROD, LOCKED, SANDBOX)
    assert done.returncode == 3, done.stderr
    coverage = {c["account"]: c for c in report["scan"]["coverage"] if c["cluster"] is None}
    assert coverage[PROD]["status"] == "ok"
    locked, sandbox = coverage[LOCKED], coverage[SANDBOX]
    assert (locked["status"], locked["errors"][0]["kind"]) == ("error", "denied")
    assert (sandbox["status"], sandbox["errors"][0]["kind"]) == ("error", "api-disabled")
    assert "enable container.googleapis.com" in sandbox["errors"][0]["message"]
    prod_fails = {
        (f["resource"]["cluster"], f["rule_id"])
        for f in report["findings"]
        if f["status"] == "FAIL"
    }
    expected = {
        (c, r) for c in ("payments", "legacy-web", "partner-api") for r in EXPECTED_FAILS[c]
    }
    assert prod_fails == expected  # the other projects' findings are complete
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_denied_folder_iam_policy_is_an_error_finding_and_exit_3(
    api: FakeGoogleApi, world: World, tmp_path: Path
) -> None:
    world.folders = {"folders/100": {"name": "folders/100", "parent": ORG, "state": "ACTIVE"}}
    world.projects[PROD]["parent"] = "folders/100"  # its policy is not in the world: 403
    world.policies[ORG] = org_policy()
    done, report = scan(api, tmp_path / "out.json", PROD)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    by_key = {(f["resource"]["cluster"], f["rule_id"]): f for f in report["findings"]}
    payments = by_key[("payments", "IAM-001")]
    assert payments["status"] == "ERROR"
    assert "resourcemanager:GetFolderIamPolicy on folders/100 failed" in payments["message"]
    assert by_key[("legacy-web", "IAM-001")]["status"] == "FAIL"  # Editor on the project
    errors = [e for c in report["scan"]["coverage"] for e in c["errors"]]
    assert {(e["call"], e["kind"]) for e in errors} == {
        ("resourcemanager:GetFolderIamPolicy", "denied")
    }


@pytest.mark.slow
def test_denied_regional_firewall_read_is_an_error_finding_and_exit_3(
    api: FakeGoogleApi, world: World, tmp_path: Path
) -> None:
    resource = f"projects/{PROD}/global/networks/prod-vpc (region europe-west1)"
    world.errors[("compute:GetRegionEffectiveFirewalls", resource)] = (
        403,
        permission_denied("compute.networks.getRegionEffectiveFirewalls", resource),
    )
    done, report = scan(api, tmp_path / "out.json", PROD)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    by_key = {(f["resource"]["cluster"], f["rule_id"]): f for f in report["findings"]}
    for cluster in ("payments", "partner-api"):
        node = by_key[(cluster, "NODE-002")]
        assert node["status"] == "ERROR", cluster
        assert f"compute:GetRegionEffectiveFirewalls on {resource} failed" in node["message"]
    assert by_key[("legacy-web", "NODE-002")]["status"] == "FAIL"  # its network was read
    assert report["scan"]["complete"] is False
    errors = {(e["call"], e["kind"]) for c in report["scan"]["coverage"] for e in c["errors"]}
    assert errors == {("compute:GetRegionEffectiveFirewalls", "denied")}


@pytest.mark.slow
def test_plain_http_to_a_remote_endpoint_is_a_usage_error(tmp_path: Path) -> None:
    env = dict(os.environ, GOOGLE_OAUTH_ACCESS_TOKEN=TOKEN, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "cloudposture", "scan", "gcp", "--project", "p",
         "--endpoint", "http://198.51.100.4:8080", "--format", "json"],
        capture_output=True, text=True, env=env, timeout=60, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "plain http" in done.stderr
    assert TOKEN not in done.stderr
