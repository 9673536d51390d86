"""``targets.alibaba`` in the nightly config: validated by the plugin's model, turned into scan
units by the plugin, and a whole nightly run against the fake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cloudposture.config import ConfigFileError, parse_config
from cloudposture.config.example import example_text
from cloudposture.config.units import scan_units
from cloudposture.model import Status
from tests.providers.alibaba.fake_api import ACCESS_KEY_ID, ACCESS_KEY_SECRET
from tests.providers.alibaba.fixtures import EXPECTED_FAILS, REGION
from tests.providers.alibaba.world import World

ROOT = Path(__file__).resolve().parents[3]
CONFIG = """\
regions: [eu-central-1]
targets:
  alibaba:
    - name: ack-prod
      role_arn: acs:ram::1234567890123456:role/cloudposture-audit
      regions: [cn-hangzhou, ap-southeast-1]
    - profile: audit
"""


def test_entries_become_one_unit_each_with_the_top_level_regions_as_default() -> None:
    units = scan_units(parse_config(CONFIG, "estate.yaml", {}))
    assert [(u.provider, u.label, u.origin) for u in units] == [
        ("alibaba", "ack-prod", "targets.alibaba[0]"),
        ("alibaba", "profile audit", "targets.alibaba[1]"),
    ]
    prod, dev = units
    assert prod.settings == {
        "role_arn": "acs:ram::1234567890123456:role/cloudposture-audit",
        "regions": ("cn-hangzhou", "ap-southeast-1"),
    }
    assert dev.settings == {"profile": "audit", "regions": ("eu-central-1",)}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("- regoins: [cn-hangzhou]", "estate.yaml:3"),
        ("- role_arn: arn:aws:iam::123456789012:role/x", "not a RAM role ARN"),
        ("- endpoint: http://ack.example.com", "plain http to a non-loopback host"),
    ],
)
def test_a_bad_entry_names_file_line_and_key(entry: str, message: str) -> None:
    with pytest.raises(ConfigFileError, match=message) as caught:
        parse_config(f"targets:\n  alibaba:\n    {entry}\n", "estate.yaml", {})
    assert "targets.alibaba[0]" in str(caught.value)


def test_the_config_example_has_a_loadable_alibaba_block() -> None:
    text = example_text()
    assert "  alibaba:\n" in text
    env = {"CLOUDPOSTURE_EXTERNAL_ID": "ext-1", "CLOUDPOSTURE_ORG_EXTERNAL_ID": "ext-2"}
    units = scan_units(parse_config(text, "example.yaml", env))
    assert {u.label for u in units if u.provider == "alibaba"} == {"ack-prod", "ack-dev"}


@pytest.mark.slow
def test_a_nightly_run_scans_targets_alibaba(world: World, tmp_path: Path) -> None:
    config = tmp_path / "estate.yaml"
    config.write_text(
        f"name: ack-estate\ntargets:\n  alibaba:\n    - name: ack-prod\n"
        f"      regions: [{REGION}]\n      endpoint: {world.fake.url}\n"
        f"store: sqlite:///{tmp_path / 'state.db'}\n"
        f"output:\n  formats: [json]\n  directory: {tmp_path / 'out'}\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ALIBABA_CLOUD_")},
        "ALIBABA_CLOUD_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": ACCESS_KEY_SECRET,
        "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "cloudposture", "run", "--config", str(config)],
        capture_output=True, text=True, env=env, timeout=120, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    (report,) = (tmp_path / "out").glob("*.json")
    fails: dict[str, set[str]] = {}
    for finding in json.loads(report.read_text())["findings"]:
        cluster = fails.setdefault(finding["resource"]["cluster"], set())
        if finding["status"] == Status.FAIL.value:
            cluster.add(finding["rule_id"])
    assert fails == EXPECTED_FAILS
    assert ACCESS_KEY_SECRET not in done.stdout + done.stderr + report.read_text()


def test_an_empty_targets_section_names_alibaba_among_the_choices() -> None:
    with pytest.raises(ConfigFileError, match=r"add at least one alibaba, aws"):
        parse_config("targets: {}\n", "estate.yaml", {})
