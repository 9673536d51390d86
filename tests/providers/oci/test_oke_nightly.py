"""``targets.oci`` through the core's nightly config: parsed strictly, turned into units, and
those units scanned by the plugin against the fake."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudposture.config import parse_config
from cloudposture.config.example import EXAMPLE
from cloudposture.config.units import scan_units
from cloudposture.model import ConfigurationError
from cloudposture.plugin import load_provider
from tests.providers.oci.conftest import Credentials
from tests.providers.oci.fake_oci import FakeOci
from tests.providers.oci.oke_world import APPS, ASHBURN, PROD

ENV = {"CLOUDPOSTURE_EXTERNAL_ID": "x", "CLOUDPOSTURE_ORG_EXTERNAL_ID": "y"}
"""The example's other targets name these variables."""


def test_the_shipped_example_has_oci_targets() -> None:
    units = [
        u for u in scan_units(parse_config(EXAMPLE, "example.yaml", ENV)) if u.provider == "oci"
    ]
    assert [(u.label, u.origin) for u in units] == [
        ("PROD", "targets.oci[0]"),
        ("ocid1.compartment.oc1..aaaaaaaaexampleplatform", "targets.oci[1].compartments[0]"),
        ("ocid1.compartment.oc1..aaaaaaaaexampleshared", "targets.oci[1].compartments[1]"),
    ]


def test_a_misspelt_oci_key_names_file_line_and_key() -> None:
    text = "targets:\n  oci:\n    - profile: PROD\n      regoins: [us-ashburn-1]\n"
    with pytest.raises(ConfigurationError) as caught:
        parse_config(text, "cfg.yaml", ENV)
    assert "cfg.yaml:4" in str(caught.value)
    assert "regoins" in str(caught.value)


def test_config_units_scan_through_the_plugin(
    api: FakeOci, credentials: Credentials, tmp_path: Path
) -> None:
    text = (
        "targets:\n  oci:\n"
        f"    - config_file: {credentials.config_file}\n"
        f"      regions: [{ASHBURN}]\n"
        f"      endpoint: {api.endpoint}\n"
        f"      compartments: [{PROD}, {APPS}]\n"
    )
    units = scan_units(parse_config(text, "cfg.yaml", ENV))
    assert [u.label for u in units] == [PROD, APPS]
    plugin = load_provider("oci")
    found = []
    for unit in units:
        (scanner,) = plugin.scanners(unit.settings, max_workers=4)
        for target in scanner.targets():
            found += [ref.name for ref in scanner.discover(target)]
    assert found == ["open", "private", "keyed"]
