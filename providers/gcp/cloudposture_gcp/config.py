"""``targets.gcp`` in the nightly config: the typed entry, its scan units, its example block.

Pure and cheap (pydantic only): ``cloudposture config validate`` never imports a Google SDK.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from cloudposture.plugin import ScanUnit
from cloudposture.plugin.settings import (
    HttpUrl,
    NonEmpty,
    TargetEntry,
    drop_none,
    regions_or,
    unit_label,
)


class GcpTarget(TargetEntry):
    """GCP projects, folders or a whole organization."""

    name: str | None = Field(
        default=None, description="label in reports: each unit is NAME/PROJECT (or folder, org)"
    )
    projects: list[NonEmpty] = Field(default_factory=list)
    folders: list[NonEmpty] = Field(default_factory=list)
    organization: str | None = None
    impersonate_service_account: str | None = None
    regions: list[NonEmpty] | None = Field(default=None, description="GKE locations to keep")
    endpoint: HttpUrl | None = None

    @model_validator(mode="after")
    def _has_scope(self) -> GcpTarget:
        if not (self.projects or self.folders or self.organization):
            raise ValueError("give projects, folders or organization")
        return self


def gcp_units(target: GcpTarget, origin: str, default_regions: tuple[str, ...]) -> list[ScanUnit]:
    """One unit per project, folder and organization: the finer a unit, the more evenly the
    per-account bound and ``--shard`` spread a big estate."""
    regions = regions_or(target.regions, default_regions)
    common = drop_none(
        {
            "endpoint": target.endpoint,
            "impersonate_service_account": target.impersonate_service_account,
        }
    )
    name = target.name
    units = [
        ScanUnit(
            "gcp",
            unit_label(name, p),
            {**common, "project": (p,)},
            regions,
            f"{origin}.projects[{n}]",
        )
        for n, p in enumerate(target.projects)
    ]
    units += [
        ScanUnit(
            "gcp",
            unit_label(name, f),
            {**common, "folder": (f,)},
            regions,
            f"{origin}.folders[{n}]",
        )
        for n, f in enumerate(target.folders)
    ]
    if target.organization:
        org = target.organization
        settings = {**common, "organization": org}
        units.append(
            ScanUnit("gcp", unit_label(name, org), settings, regions, f"{origin}.organization")
        )
    return units


EXAMPLE = """\
    - name: platform
      projects: [platform-prod, platform-staging]
      folders: ["folders/123456789012"]
      organization: "organizations/987654321098"
      impersonate_service_account: cloudposture@audit-project.iam.gserviceaccount.com
      regions: [europe-west1]          # GKE locations to keep (zones of a region match it)
      endpoint: https://container.googleapis.com   # rarely needed
"""
