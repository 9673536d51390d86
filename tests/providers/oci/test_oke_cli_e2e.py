"""End to end: ``python -m cloudposture scan oci`` in a subprocess against the fake API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cloudposture_oci.guidance import GUIDANCE, NOT_APPLICABLE

from tests.providers.oci.conftest import Credentials
from tests.providers.oci.fake_oci import FakeOci, World
from tests.providers.oci.oke_world import APPS, ASHBURN, EXPECTED_FAILS, TENANCY

ROOT = Path(__file__).resolve().parents[3]


def scan(
    api: FakeOci, credentials: Credentials, out: Path, *extra: str
) -> tuple[subprocess.CompletedProcess[str], Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OCI_")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "cloudposture", "scan", "oci",
         "--config-file", str(credentials.config_file), "--region", ASHBURN,
         "--endpoint", api.base_url, "--format", "json", "--output", str(out), "--quiet", *extra],
        capture_output=True, text=True, env=env, timeout=120, check=False, cwd=ROOT,
    )  # fmt: skip
    return done, json.loads(out.read_text()) if out.exists() else None


def fails_by_cluster(report: Any) -> dict[str, set[str]]:
    fails: dict[str, set[str]] = {}
    for finding in report["findings"]:
        assert finding["resource"]["provider"] == "oci"
        assert finding["resource"]["account"] == TENANCY
        fails.setdefault(finding["resource"]["cluster"], set())
        if finding["status"] == "FAIL":
            fails[finding["resource"]["cluster"]].add(finding["rule_id"])
    return fails


@pytest.mark.slow
def test_scan_reports_the_exact_fail_set_per_cluster(
    api: FakeOci, credentials: Credentials, tmp_path: Path
) -> None:
    done, report = scan(api, credentials, tmp_path / "out.json")
    assert report is not None, done.stderr
    assert fails_by_cluster(report) == EXPECTED_FAILS
    assert done.returncode == 1, done.stderr
    assert report["scan"]["complete"] is True
    assert "Traceback" not in done.stderr
    by_rule = {(f["resource"]["cluster"], f["rule_id"]): f for f in report["findings"]}
    for rule_id, reason in NOT_APPLICABLE.items():
        finding = by_rule[("open", rule_id)]
        assert (finding["status"], finding["message"]) == ("NOT_APPLICABLE", reason)
    assert by_rule[("open", "CP-001")]["remediation"]["docs"] == list(
        GUIDANCE["CP-001"].remediation.docs
    )
    assert by_rule[("private", "NET-001")]["status"] == "ERROR"  # Calico is invisible to OCI
    key = (Path(str(credentials.config["key_file"]))).read_text()
    body = key.splitlines()[1]
    assert body not in (tmp_path / "out.json").read_text() + done.stderr + done.stdout


@pytest.mark.slow
def test_a_denied_compartment_makes_the_scan_incomplete(
    api: FakeOci, world: World, credentials: Credentials, tmp_path: Path
) -> None:
    world.errors[("containerengine:ListClusters", APPS)] = (404, "NotAuthorizedOrNotFound")
    done, report = scan(api, credentials, tmp_path / "out.json")
    assert done.returncode == 3, done.stderr
    target = [c for c in report["scan"]["coverage"] if c["cluster"] is None]
    assert [e["code"] for c in target for e in c["errors"]] == ["404 NotAuthorizedOrNotFound"]
    assert fails_by_cluster(report) == {"open": EXPECTED_FAILS["open"]}  # the rest completes
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_plain_http_to_a_remote_host_is_refused(
    api: FakeOci, credentials: Credentials, tmp_path: Path
) -> None:
    done, _ = scan(api, credentials, tmp_path / "out.json", "--endpoint", "http://oci.example")
    assert done.returncode == 2
    assert "plain http" in done.stderr
    assert api.calls == []


@pytest.mark.slow
def test_ocsf_output_names_oci(api: FakeOci, credentials: Credentials, tmp_path: Path) -> None:
    out = tmp_path / "out.ocsf.json"
    done = subprocess.run(
        [sys.executable, "-m", "cloudposture", "scan", "oci",
         "--config-file", str(credentials.config_file), "--region", ASHBURN,
         "--endpoint", api.base_url, "--format", "ocsf", "--output", str(out), "--quiet"],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    text = out.read_text()
    events = (
        json.loads(text)
        if text.lstrip().startswith("[")
        else [json.loads(line) for line in text.splitlines() if line.strip()]
    )
    clouds = {(e["cloud"]["provider"], e["cloud"]["account"]["type_id"]) for e in events}
    assert clouds == {("OCI", 12)}
    assert {r["type"] for e in events for r in e["resources"]} == {"ClustersCluster"}
