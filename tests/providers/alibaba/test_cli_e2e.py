"""End to end: ``python -m cloudposture scan alibaba`` in a subprocess against the fake,
with credentials from the environment, a profile file, or an assumed role."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from cloudposture_alibaba.guidance import NOT_APPLICABLE

from cloudposture.model import Status
from tests.providers.alibaba.fake_api import (
    ACCESS_KEY_ID,
    ACCESS_KEY_SECRET,
    ASSUMED_KEY_ID,
    ASSUMED_TOKEN,
)
from tests.providers.alibaba.fixtures import EXPECTED_FAILS, REGION
from tests.providers.alibaba.world import World

ROOT = Path(__file__).resolve().parents[3]
ROLE = "acs:ram::5469257408566579:role/cloudposture-audit"
CLEAN = {
    k: v for k, v in os.environ.items() if not k.startswith("ALIBABA_CLOUD_")
}  # fmt: skip
ENV_KEYS = {
    "ALIBABA_CLOUD_ACCESS_KEY_ID": ACCESS_KEY_ID,
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET": ACCESS_KEY_SECRET,
}


def scan(
    world: World, out: Path, *args: str, env: Mapping[str, str] = ENV_KEYS, home: Path | None = None
) -> tuple[subprocess.CompletedProcess[str], Any]:
    full = {
        **CLEAN,
        **env,
        "PYTHONPATH": str(ROOT),
        "HOME": str(home or out.parent),
        "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true",  # never probe 100.100.100.200
    }
    done = subprocess.run(
        [sys.executable, "-m", "cloudposture", "scan", "alibaba", *args,
         "--endpoint", world.fake.url, "--format", "json", "--output", str(out), "--quiet"],
        capture_output=True, text=True, env=full, timeout=120, check=False, cwd=ROOT,
    )  # fmt: skip
    return done, json.loads(out.read_text()) if out.exists() else None


def by_status(report: Mapping[str, Any], status: Status) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in report["findings"]:
        assert finding["resource"]["provider"] == "alibaba"
        found.setdefault(finding["resource"]["cluster"], set())
        if finding["status"] == status.value:
            found[finding["resource"]["cluster"]].add(finding["rule_id"])
    return found


def fail_sets(report: Mapping[str, Any]) -> dict[str, set[str]]:
    return by_status(report, Status.FAIL)


def no_secret_in(*texts: str) -> None:
    for secret in (ACCESS_KEY_SECRET, ASSUMED_TOKEN, "fake-assumed-secret"):
        assert all(secret not in t for t in texts)


@pytest.mark.slow
def test_scan_reports_the_exact_fail_set_per_cluster(world: World, tmp_path: Path) -> None:
    done, report = scan(world, tmp_path / "out.json", "--region", REGION)
    assert done.returncode == 1, done.stderr
    assert fail_sets(report) == EXPECTED_FAILS
    assert report["scan"]["complete"] is True
    # The plugin's NOT_APPLICABLE reasons reach the report (ENC-002 too where there is no key).
    na = by_status(report, Status.NOT_APPLICABLE)
    assert all(set(NOT_APPLICABLE) <= rules for rules in na.values())
    assert na["ack-exposed"] - set(NOT_APPLICABLE) == {"ENC-002"}
    fail = next(f for f in report["findings"] if f["rule_id"] == "NET-001")
    assert fail["remediation"]["cli"].startswith("aliyun cs ")
    assert fail["references"][0]["control"] == "7.7"
    no_secret_in((tmp_path / "out.json").read_text(), done.stderr, done.stdout)
    assert {c.key_id for c in world.fake.calls} == {ACCESS_KEY_ID}
    assert world.fake.problems == []


@pytest.mark.slow
def test_assumed_role_scan_with_a_forbidden_region_is_exit_3_while_the_rest_completes(
    world: World, tmp_path: Path
) -> None:
    world.deny("DescribeClustersV1", "cn-shanghai")
    # DEBUG=sdk makes the SDK log every request's headers (signature, STS token) unless the
    # provider keeps its loggers quiet.
    debug = {**ENV_KEYS, "DEBUG": "sdk"}
    done, report = scan(world, tmp_path / "out.json", "--region", REGION, "--region",
                        "cn-shanghai", "--role-arn", ROLE, env=debug)  # fmt: skip
    assert done.returncode == 3, done.stderr
    units = {c["region"]: c for c in report["scan"]["coverage"] if c["cluster"] is None}
    assert units[REGION]["status"] == "ok"
    denied = units["cn-shanghai"]
    assert denied["status"] == "error"
    assert (denied["errors"][0]["code"], denied["errors"][0]["kind"]) == ("Forbidden.RAM", "denied")
    assert fail_sets(report) == EXPECTED_FAILS  # the other region's findings are complete
    assert "Traceback" not in done.stderr
    # AssumeRole went to the fake (the STS endpoint follows --endpoint) with the base key;
    # every other call used the assumed role's key.
    assume = [c for c in world.fake.calls if c.action == "AssumeRole"]
    assert [(c.key_id, c.params["RoleArn"], c.params["RoleSessionName"]) for c in assume] == [
        (ACCESS_KEY_ID, ROLE, "cloudposture")
    ]
    assert {c.key_id for c in world.fake.calls if c.action != "AssumeRole"} == {ASSUMED_KEY_ID}
    no_secret_in((tmp_path / "out.json").read_text(), done.stderr, done.stdout)
    assert "x-acs-security-token" not in done.stderr


@pytest.mark.slow
def test_profile_from_the_credentials_file_and_no_credentials_at_all(
    world: World, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    (home / ".alibabacloud").mkdir(parents=True)
    (home / ".alibabacloud" / "credentials.ini").write_text(
        f"[audit]\ntype = access_key\naccess_key_id = {ACCESS_KEY_ID}\n"
        f"access_key_secret = {ACCESS_KEY_SECRET}\n"
    )
    done, report = scan(world, tmp_path / "out.json", "--region", REGION, "--profile", "audit",
                        env={}, home=home)  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert fail_sets(report) == EXPECTED_FAILS

    done, report = scan(world, tmp_path / "none.json", "--region", REGION, env={},
                        home=tmp_path / "empty")  # fmt: skip
    assert done.returncode == 2
    assert report is None
    assert done.stderr.startswith("error: alibaba: no Alibaba Cloud credentials found")
    assert len(done.stderr.strip().splitlines()) == 1
