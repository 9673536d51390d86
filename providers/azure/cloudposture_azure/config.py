"""``targets.azure`` in the nightly config: the typed entry, its scan units, its example block.

Pure and cheap (pydantic only): ``cloudposture config validate`` never imports an Azure SDK.
"""

from __future__ import annotations

from typing import Annotated, Literal

import click
from pydantic import Field, model_validator

from cloudposture.plugin import ScanUnit
from cloudposture.plugin.settings import (
    CONFIG_ONLY,
    Cli,
    HttpUrl,
    NonEmpty,
    TargetEntry,
    drop_none,
    regions_or,
    unit_label,
)
from cloudposture_azure.clouds import CLOUDS

AzureCloud = Literal["public", "china", "usgov"]

_AZURE_CLOUDS = {
    "public": "AzurePublicCloud",
    "china": "AzureChinaCloud",
    "usgov": "AzureUSGovernment",
}


class AzureTarget(TargetEntry):
    """Azure subscriptions, management groups, or every subscription the identity can see:
    one ``targets.azure`` entry, and (see the ``Cli`` metadata) the options of ``scan azure``.
    """

    name: Annotated[str | None, CONFIG_ONLY] = Field(
        default=None,
        description="label in reports: each subscription and group is shown as NAME/ID",
    )
    subscriptions: Annotated[
        list[NonEmpty],
        Cli(
            flag="--subscription",
            metavar="ID",
            help="Subscription id to scan (repeatable). Default: every subscription the "
            "credential can see.",
        ),
    ] = Field(default_factory=list)
    management_groups: Annotated[
        list[NonEmpty],
        Cli(
            flag="--management-group",
            metavar="ID",
            help="Scan every enabled subscription below this management group, at any "
            "depth (repeatable; combines with --subscription).",
        ),
    ] = Field(default_factory=list)
    all_visible: Annotated[bool, CONFIG_ONLY] = False
    cloud: Annotated[
        AzureCloud,
        # The option names a cloud as the Azure CLI does, the config key by its short name.
        Cli(
            type=click.Choice(sorted(CLOUDS)),
            default="AzurePublicCloud",
            show_default=True,
            help="Azure cloud whose Resource Manager and sign-in endpoints to use.",
        ),
    ] = "public"
    regions: Annotated[list[NonEmpty] | None, CONFIG_ONLY] = Field(
        default=None, description="AKS locations to keep"
    )
    arm_endpoint: Annotated[
        HttpUrl | None,
        Cli(
            metavar="URL",
            help="Any other Resource Manager endpoint (https; plain http only for loopback).",
        ),
    ] = None
    graph_endpoint: Annotated[
        HttpUrl | None,
        Cli(
            metavar="URL",
            help="Microsoft Graph endpoint for resolving clusters' service principals "
            "(default: the --cloud's; https, plain http only for loopback).",
        ),
    ] = Field(
        default=None, description="Microsoft Graph, for clusters that use a service principal"
    )

    @model_validator(mode="after")
    def _has_scope(self) -> AzureTarget:
        if not (self.subscriptions or self.management_groups or self.all_visible):
            raise ValueError("give subscriptions, management_groups or all_visible: true")
        return self


def azure_units(
    target: AzureTarget, origin: str, default_regions: tuple[str, ...]
) -> list[ScanUnit]:
    """One unit per subscription and management group (``all_visible``: one for the rest)."""
    regions = regions_or(target.regions, default_regions)
    common = drop_none(
        {
            "cloud": _AZURE_CLOUDS[target.cloud],
            "arm_endpoint": target.arm_endpoint,
            "graph_endpoint": target.graph_endpoint,
        }
    )
    units = [
        ScanUnit(
            "azure",
            unit_label(target.name, s),
            {**common, "subscription": (s,)},
            regions,
            f"{origin}.subscriptions[{n}]",
        )
        for n, s in enumerate(target.subscriptions)
    ]
    units += [
        ScanUnit(
            "azure",
            unit_label(target.name, g),
            {**common, "management_group": (g,)},
            regions,
            f"{origin}.management_groups[{n}]",
        )
        for n, g in enumerate(target.management_groups)
    ]
    if target.all_visible:
        label = target.name or "all-visible"
        units.append(ScanUnit("azure", label, {**common, "subscription": ()}, regions, origin))
    return units


EXAMPLE = """\
    - name: corp                       # label in reports: corp/<subscription or group>
      subscriptions: ["00000000-0000-0000-0000-000000000000"]
      management_groups: [corp-landing-zones]
      all_visible: false               # true: every subscription the identity can see
      cloud: public                    # public | china | usgov
      regions: [westeurope]
      arm_endpoint: https://management.azure.com   # rarely needed
      graph_endpoint: https://graph.microsoft.com  # rarely needed (service-principal clusters)
"""
