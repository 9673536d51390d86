"""Start-up cost: each command imports only what it uses (issue 9, "Start-up").

Every case runs in a fresh interpreter and reads ``sys.modules`` after the command: the time
figures themselves live in bench/startup_bench.py, never in a timed test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_SITE = Path(__file__).parent / "plugin_site"
HEAVY = ("boto3", "botocore", "google", "azure", "sqlalchemy", "alembic")
PROBE = """
import json, sys
from cloudposture.cli.main import main
rc = main(json.loads(sys.argv[1]))
mods = sorted(
    m for m in sys.modules
    if m.split(".")[0] in {heavy} or m.startswith("cloudposture.reporters.")
)
print(json.dumps({{"rc": rc, "modules": mods}}))
"""


def loaded(*args: str) -> tuple[int, set[str]]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(PLUGIN_SITE)]))
    env.pop("CLOUDPOSTURE_STATE", None)
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), json.dumps(args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return out["rc"], {
        m.split(".")[0] if not m.startswith("cloudposture") else m for m in out["modules"]
    }


def test_help_imports_no_sdk_no_store_no_format() -> None:
    assert loaded("--help") == (0, set())


def test_catalogue_and_config_commands_import_no_sdk_store_or_format(tmp_path: Path) -> None:
    config = tmp_path / "cfg.yaml"
    config.write_text("targets:\n  aws:\n    - role_arn: arn:aws:iam::111111111111:role/a\n")
    for args in (("rules", "list"), ("rules", "show", "CP-002"), ("config", "example")):
        assert loaded(*args) == (0, set()), args
    assert loaded("config", "validate", str(config)) == (0, set())


def test_schema_imports_the_json_format_only() -> None:
    rc, modules = loaded("schema")
    assert rc == 0
    assert modules == {"cloudposture.reporters.interface", "cloudposture.reporters.json_report"}


@pytest.mark.slow
def test_a_scan_imports_the_store_only_when_it_records(tmp_path: Path) -> None:
    scan = ("scan", "fake", "--scenario", "clean", "--rule", "CP-002", "--format", "json", "-q")
    rc, modules = loaded(*scan, "--output", str(tmp_path / "a.json"))
    assert rc == 0
    assert not {"sqlalchemy", "alembic"} & modules
    machinery = {"interface", "registry", "output"}
    formats = {m.split(".")[2] for m in modules if m.startswith("cloudposture.reporters.")}
    assert formats - machinery == {"json_report"}
    rc, modules = loaded(
        *scan, "--output", str(tmp_path / "b.json"), "--state", str(tmp_path / "s.db")
    )
    assert rc == 0
    assert {"sqlalchemy", "alembic"} <= modules
