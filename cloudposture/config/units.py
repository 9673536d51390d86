"""Config targets -> scan units: one provider plus the settings its plugin's ``scanners`` takes.

Why one unit per project / subscription (and not one per target entry): a unit is what the
per-account concurrency bound and ``--shard`` act on, so the finer it is, the more evenly a
big estate spreads. An AWS organization stays one unit here; its plugin fans it out into
one scanner per member account, and sharding then acts on those scanners.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cloudposture.config.models import AwsTarget, AzureTarget, GcpTarget, NightlyConfig

_AZURE_CLOUDS = {
    "public": "AzurePublicCloud",
    "china": "AzureChinaCloud",
    "usgov": "AzureUSGovernment",
}


@dataclass(frozen=True)
class ScanUnit:
    provider: str
    label: str
    """account id / project / subscription, or the entry's name: names coverage errors."""
    settings: Mapping[str, Any]
    regions: tuple[str, ...] = ()
    """locations to keep (GCP / Azure: filtered after discovery; AWS: passed to the plugin)."""
    origin: str = field(default="", compare=False)
    """where in the config this unit came from, e.g. targets.gcp[0].projects[1]."""

    @property
    def key(self) -> str:
        return f"{self.provider}:{self.label}"


def scan_units(config: NightlyConfig) -> list[ScanUnit]:
    units: list[ScanUnit] = []
    default_regions = tuple(config.regions or ())
    for i, aws in enumerate(config.targets.aws):
        units.append(_aws_unit(aws, f"targets.aws[{i}]", default_regions))
    for i, gcp in enumerate(config.targets.gcp):
        units.extend(_gcp_units(gcp, f"targets.gcp[{i}]", default_regions))
    for i, azure in enumerate(config.targets.azure):
        units.extend(_azure_units(azure, f"targets.azure[{i}]", default_regions))
    return units


def _drop_none(settings: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in settings.items() if v is not None}


def _aws_unit(target: AwsTarget, origin: str, default_regions: tuple[str, ...]) -> ScanUnit:
    regions = tuple(target.regions) if target.regions is not None else default_regions
    settings: dict[str, Any] = _drop_none(
        {
            "profile": target.profile,
            "region": regions,
            "role_arn": target.role_arn,
            "external_id": target.external_id,
            "endpoint_url": target.endpoint_url,
        }
    )
    org = target.organization
    if org is not None:
        settings.update(
            _drop_none(
                {
                    "organization_role": org.role_name,
                    "organization_external_id": org.external_id,
                    "organization_include": tuple(org.include_accounts),
                    "organization_exclude": tuple(org.exclude_accounts),
                }
            )
        )
    label = target.name or _account_of(target.role_arn) or target.profile or origin
    return ScanUnit("aws", label, settings, (), origin)


def _account_of(role_arn: str | None) -> str | None:
    return role_arn.split(":")[4] if role_arn else None


def _gcp_units(target: GcpTarget, origin: str, default_regions: tuple[str, ...]) -> list[ScanUnit]:
    regions = tuple(target.regions) if target.regions is not None else default_regions
    common = _drop_none(
        {
            "endpoint": target.endpoint,
            "impersonate_service_account": target.impersonate_service_account,
        }
    )
    units = [
        ScanUnit("gcp", p, {**common, "project": (p,)}, regions, f"{origin}.projects[{n}]")
        for n, p in enumerate(target.projects)
    ]
    units += [
        ScanUnit("gcp", f, {**common, "folder": (f,)}, regions, f"{origin}.folders[{n}]")
        for n, f in enumerate(target.folders)
    ]
    if target.organization:
        org = target.organization
        units.append(
            ScanUnit("gcp", org, {**common, "organization": org}, regions, f"{origin}.organization")
        )
    return units


def _azure_units(
    target: AzureTarget, origin: str, default_regions: tuple[str, ...]
) -> list[ScanUnit]:
    regions = tuple(target.regions) if target.regions is not None else default_regions
    common = _drop_none({"cloud": _AZURE_CLOUDS[target.cloud], "arm_endpoint": target.arm_endpoint})
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
