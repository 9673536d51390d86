"""``targets.oci`` entries: strict validation, the shipped example, and the units they make."""

from __future__ import annotations

import pytest
import yaml
from cloudposture_oci.settings import OciSettings
from cloudposture_oci.target import CONFIG_EXAMPLE, OciTarget, unit_specs
from pydantic import ValidationError


def test_the_example_loads_and_becomes_units() -> None:
    entries = yaml.safe_load("targets:\n  oci:\n" + CONFIG_EXAMPLE)["targets"]["oci"]
    first, second = (OciTarget.model_validate(e) for e in entries)
    (whole,) = unit_specs(first, "targets.oci[0]", ("us-phoenix-1",))
    assert whole.label == "PROD"
    assert whole.settings["region"] == ("us-ashburn-1", "eu-frankfurt-1")
    per_compartment = unit_specs(second, "targets.oci[1]", ("us-phoenix-1",))
    assert [u.origin for u in per_compartment] == [
        "targets.oci[1].compartments[0]",
        "targets.oci[1].compartments[1]",
    ]
    assert per_compartment[0].settings["region"] == ("us-phoenix-1",)  # the top-level default
    # A unit's settings are what `scan oci` options give the plugin.
    checked = OciSettings.from_mapping(per_compartment[1].settings, environ={})
    assert checked.auth == "instance_principal"
    assert checked.compartments == ("ocid1.compartment.oc1..aaaaaaaaexampleshared",)


@pytest.mark.parametrize(
    "entry",
    [
        {"profil": "PROD"},
        {"auth": "password"},
        {"compartments": ["prod"]},
        {"endpoint": "http://oci.example.com"},
    ],
)
def test_bad_entries_are_refused(entry: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        OciTarget.model_validate(entry)
