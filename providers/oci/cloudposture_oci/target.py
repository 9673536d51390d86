"""One ``targets.oci`` entry of the nightly config, and the scan units it becomes (pure).

A tenancy is one set of credentials; the units it becomes are what ``--shard`` and the
per-account concurrency bound act on, so a target that lists compartments becomes one unit
per compartment (each scanned with its subtree), and one without becomes one whole-tenancy
unit. Regions are passed to the plugin (like ``--region``): OCI lists clusters per region,
so filtering after discovery would still read every region.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, field_validator

from cloudposture.model import ConfigurationError
from cloudposture.plugin.settings import CONFIG_ONLY, Cli, TargetEntry
from cloudposture_oci.settings import AuthMode, validate_endpoint


class OciTarget(TargetEntry):
    """An OCI tenancy (API key profile, instance or resource principal): one ``targets.oci``
    entry, and (see the ``Cli`` metadata) the options of ``scan oci``."""

    name: Annotated[str | None, CONFIG_ONLY] = Field(
        default=None, description="label in reports (default: profile)"
    )
    config_file: Annotated[
        str | None,
        Cli(
            metavar="FILE",
            help="OCI config file (default: $OCI_CONFIG_FILE, else ~/.oci/config).",
        ),
    ] = Field(default=None, description="default: $OCI_CONFIG_FILE or ~/.oci/config")
    profile: Annotated[
        str | None,
        Cli(
            metavar="NAME",
            help="Profile in the config file (default: $OCI_CLI_PROFILE, else DEFAULT).",
        ),
    ] = None
    auth: Annotated[
        AuthMode,
        Cli(
            default="api_key",
            show_default=True,
            help="How to authenticate: an API key from the config file, or the instance "
            "or resource principal of where the scan runs.",
        ),
    ] = "api_key"
    regions: Annotated[
        list[str] | None,
        Cli(
            flag="--region",
            metavar="REGION",
            help="Region to scan (repeatable; default: every subscribed region).",
        ),
    ] = Field(default=None, description="default: subscribed regions")
    compartments: Annotated[
        list[str],
        Cli(
            flag="--compartment",
            metavar="OCID",
            help="Scan this compartment and those below it (repeatable; default: the "
            "whole tenancy, ACTIVE compartments only).",
        ),
    ] = Field(default_factory=list, description="compartment OCIDs (default: the whole tenancy)")
    endpoint: Annotated[
        str | None,
        Cli(
            metavar="URL",
            help="Send every OCI API call to this base URL ({region} is replaced by the "
            "region); https, or plain http to loopback only.",
        ),
    ] = None

    @field_validator("compartments")
    @classmethod
    def _ocids(cls, value: list[str]) -> list[str]:
        bad = [c for c in value if not c.startswith(("ocid1.compartment.", "ocid1.tenancy."))]
        if bad:
            raise ValueError(f"not a compartment OCID: {bad[0]}")
        return value

    @field_validator("endpoint")
    @classmethod
    def _endpoint(cls, value: str | None) -> str | None:
        try:
            return validate_endpoint(value)
        except ConfigurationError as exc:
            raise ValueError(str(exc)) from None


@dataclass(frozen=True)
class UnitSpec:
    """What becomes one core ScanUnit: its label, the plugin settings, where it came from."""

    label: str
    settings: Mapping[str, Any]
    origin: str


def unit_specs(target: OciTarget, origin: str, default_regions: tuple[str, ...]) -> list[UnitSpec]:
    regions = tuple(target.regions) if target.regions is not None else default_regions
    common = {
        k: v
        for k, v in {
            "config_file": target.config_file,
            "profile": target.profile,
            "auth": target.auth,
            "region": regions,
            "endpoint": target.endpoint,
        }.items()
        if v is not None
    }
    tenancy = target.name or target.profile or target.auth
    if not target.compartments:
        return [UnitSpec(tenancy, common, origin)]
    return [
        UnitSpec(c, {**common, "compartment": (c,)}, f"{origin}.compartments[{n}]")
        for n, c in enumerate(target.compartments)
    ]


CONFIG_EXAMPLE = """\
    # A tenancy through an API key profile of ~/.oci/config, two regions, whole tenancy.
    - profile: PROD
      config_file: ~/.oci/config           # default: $OCI_CONFIG_FILE, else ~/.oci/config
      regions: [us-ashburn-1, eu-frankfurt-1]
      endpoint: https://oci-proxy.example.com/{region}   # rarely needed
    # On an OCI instance: its instance principal, two compartments (each with its subtree).
    - name: platform
      auth: instance_principal
      compartments:
        - ocid1.compartment.oc1..aaaaaaaaexampleplatform
        - ocid1.compartment.oc1..aaaaaaaaexampleshared
"""
"""This provider's ``targets.oci`` list, indented as it sits under ``targets:`` / ``oci:``."""
