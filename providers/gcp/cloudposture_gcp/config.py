"""``targets.gcp`` in the nightly config: the typed entry, its scan units, its example block.

Pure and cheap (pydantic only): ``cloudposture config validate`` never imports a Google SDK.
"""

from __future__ import annotations

from typing import Annotated

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

_ID = "ID"


class GcpTarget(TargetEntry):
    """GCP projects, folders or a whole organization: one ``targets.gcp`` entry, and (see the
    ``Cli`` metadata) the options of ``scan gcp``."""

    name: Annotated[str | None, CONFIG_ONLY] = Field(
        default=None, description="label in reports: each unit is NAME/PROJECT (or folder, org)"
    )
    projects: Annotated[
        list[NonEmpty],
        Cli(
            flag="--project",
            metavar=_ID,
            help="Project id to scan (repeatable; all locations are listed at once).",
        ),
    ] = Field(default_factory=list)
    organization: Annotated[
        str | None,
        Cli(
            metavar=_ID,
            help="Scan every ACTIVE project below this organization (through folders).",
        ),
    ] = None
    folders: Annotated[
        list[NonEmpty],
        Cli(
            flag="--folder",
            metavar=_ID,
            help="Scan every ACTIVE project below this folder (repeatable).",
        ),
    ] = Field(default_factory=list)
    endpoint: Annotated[
        HttpUrl | None,
        Cli(
            metavar="URL",
            help="Send every Google API call to this base URL (Private Service Connect, "
            "proxy, emulator); https, or plain http to loopback only.",
        ),
    ] = None
    impersonate_service_account: Annotated[
        str | None,
        Cli(
            metavar="EMAIL",
            help="Act as this service account (short-lived tokens via IAM Credentials).",
        ),
    ] = None
    regions: Annotated[list[NonEmpty] | None, CONFIG_ONLY] = Field(
        default=None, description="GKE locations to keep"
    )

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
