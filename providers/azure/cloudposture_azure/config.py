"""``targets.azure`` in the nightly config: the typed entry, its scan units, its example block.

Pure and cheap (pydantic only): ``cloudposture config validate`` never imports an Azure SDK.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from cloudposture.plugin import ScanUnit
from cloudposture.plugin.settings import HttpUrl, NonEmpty, TargetEntry, drop_none, regions_or

AzureCloud = Literal["public", "china", "usgov"]

_AZURE_CLOUDS = {
    "public": "AzurePublicCloud",
    "china": "AzureChinaCloud",
    "usgov": "AzureUSGovernment",
}


class AzureTarget(TargetEntry):
    """Azure subscriptions, management groups, or every subscription the identity can see."""

    name: str | None = None
    subscriptions: list[NonEmpty] = Field(default_factory=list)
    management_groups: list[NonEmpty] = Field(default_factory=list)
    all_visible: bool = False
    cloud: AzureCloud = "public"
    regions: list[NonEmpty] | None = Field(default=None, description="AKS locations to keep")
    arm_endpoint: HttpUrl | None = None
    graph_endpoint: HttpUrl | None = Field(
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
            "azure", s, {**common, "subscription": (s,)}, regions, f"{origin}.subscriptions[{n}]"
        )
        for n, s in enumerate(target.subscriptions)
    ]
    units += [
        ScanUnit(
            "azure",
            g,
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
    - name: corp
      subscriptions: ["00000000-0000-0000-0000-000000000000"]
      management_groups: [corp-landing-zones]
      all_visible: false               # true: every subscription the identity can see
      cloud: public                    # public | china | usgov
      regions: [westeurope]
      arm_endpoint: https://management.azure.com   # rarely needed
      graph_endpoint: https://graph.microsoft.com  # rarely needed (service-principal clusters)
"""
