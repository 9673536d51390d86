"""The CLI as users run it: a subprocess, real entry points, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from cloudposture.reporters.json_report import scan_result_schema

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_SITE = Path(__file__).parent / "plugin_site"


def run(*args: str, plugin: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    paths = [str(ROOT)] + ([str(PLUGIN_SITE)] if plugin else [])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return subprocess.run(
        [sys.executable, "-m", "cloudposture", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_help_imports_no_cloud_sdk() -> None:
    code = (
        "import sys; from cloudposture.cli import main; rc = main(['--help']); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('boto3', 'botocore', 'google', 'azure', 'moto')); print(rc, bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip().endswith("0 []"), out.stdout


def test_scan_help_lists_installed_providers_including_third_party() -> None:
    out = run("scan", "--help")
    assert out.returncode == 0
    assert "fake" in out.stdout


@pytest.mark.slow
def test_exit_codes_follow_fail_on(tmp_path: Path) -> None:
    clean = run("scan", "fake", "--scenario", "clean", "--rule", "CP-002", "--format", "json")
    assert clean.returncode == 0, clean.stderr
    public = run("scan", "fake", "--scenario", "public", "--rule", "CP-002", "--format", "json")
    assert public.returncode == 1, public.stderr
    lenient = run(
        "scan", "fake", "--scenario", "public", "--rule", "CP-002", "--fail-on", "critical"
    )
    assert lenient.returncode == 0, lenient.stderr
    never = run("scan", "fake", "--scenario", "public", "--fail-on", "none", "--format", "json")
    assert never.returncode == 0, never.stderr  # complete, and nothing fails at "none"


@pytest.mark.slow
def test_json_output_validates_against_the_published_schema(tmp_path: Path) -> None:
    out_file = tmp_path / "result.json"
    proc = run("scan", "fake", "--scenario", "public", "--format", "json", "-o", str(out_file))
    assert proc.returncode == 1, proc.stderr  # complete, with a FAIL at or above low
    document = json.loads(out_file.read_text())
    jsonschema.validate(document, scan_result_schema())
    assert {"scan", "findings"} <= document.keys()
    finding = document["findings"][0]
    for key in ("uid", "rule_id", "title", "row", "status", "severity", "resource", "evidence"):
        assert key in finding
    assert set(finding["resource"]) >= {"provider", "account", "region", "cluster", "id"}


@pytest.mark.slow
def test_denied_region_exits_3_with_coverage_and_no_traceback(tmp_path: Path) -> None:
    out_file = tmp_path / "r.json"
    proc = run("scan", "fake", "--scenario", "denied", "--format", "json", "-o", str(out_file))
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    assert "scan incomplete" in proc.stderr
    document = json.loads(out_file.read_text())
    assert document["scan"]["complete"] is False
    errors = [c for c in document["scan"]["coverage"] if c["status"] == "error"]
    assert [(c["region"], c["errors"][0]["code"]) for c in errors] == [("r2", "AccessDenied")]
    clusters = {f["resource"]["cluster"] for f in document["findings"]}
    assert clusters == {"open"}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("scan", "fake", "--scenario", "clean", "--rule", "NOPE-001"), "unknown rule id"),
        (
            (
                "scan",
                "nosuchcloud",
            ),
            "No such command",
        ),
        (("scan", "fake"), "Missing option '--scenario'"),
        (("scan", "fake", "--scenario", "clean", "--format", "xml"), "unknown format 'xml'"),
        (("rules", "show", "XX-999"), "unknown rule id 'XX-999'"),
        (
            ("scan", "fake", "--scenario", "clean", "--format", "asff"),
            "--format asff holds aws findings only, not fake",
        ),
        (
            ("scan", "fake", "--scenario", "clean", "--format", "json", "-o", "/nonexistent/x"),
            "--output /nonexistent/x: the folder /nonexistent does not exist",
        ),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: tuple[str, ...], expected: str) -> None:
    proc = run(*args)
    assert proc.returncode == 2, proc.stderr
    assert expected in proc.stderr
    assert "Traceback" not in proc.stderr


def test_published_schema_matches_the_models() -> None:
    published = json.loads((ROOT / "docs/schema/scan-result.schema.json").read_text())
    assert published == scan_result_schema(), "run `make docs` to regenerate"


def test_rules_list_names_every_rule() -> None:
    from cloudposture.rules.catalog import ALL_RULES

    proc = run("rules", "list", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    ids = [r["id"] for r in json.loads(proc.stdout)]
    assert ids == [r.meta.id for r in ALL_RULES]


@pytest.mark.slow
def test_missing_cloud_credentials_are_one_line_not_sdk_log_spam(tmp_path: Path) -> None:
    """DefaultAzureCredential logs a multi-line WARNING of every credential it tried; the user
    should see cloudposture's one line only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "CLOUDPOSTURE_"))}
    env.update(HOME=str(tmp_path), PATH="/usr/bin:/bin", PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "cloudposture", "scan", "azure", "--subscription", "s", "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: no usable Azure credentials")


@pytest.mark.slow
def test_third_party_guidance_reaches_rules_show_and_findings(tmp_path: Path) -> None:
    """The fake plugin's own words appear in ``rules show`` and its findings; its
    NOT_APPLICABLE reason decides ETCD-001 with no change to the core."""
    shown = run("rules", "show", "CP-002")
    assert shown.returncode == 0, shown.stderr
    assert "Fake cloud" in shown.stdout
    assert "fake cluster update" in shown.stdout
    out_file = tmp_path / "r.json"
    proc = run("scan", "fake", "--scenario", "public", "--format", "json", "-o", str(out_file))
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(out_file.read_text())["findings"]
    by_rule = {(f["resource"]["cluster"], f["rule_id"]): f for f in findings}
    assert by_rule[("open", "CP-002")]["remediation"]["terraform"] == "fake_cluster.public_endpoint"
    etcd = by_rule[("open", "ETCD-001")]
    assert etcd["status"] == "NOT_APPLICABLE"
    assert etcd["message"] == "the fake cloud has no etcd"
