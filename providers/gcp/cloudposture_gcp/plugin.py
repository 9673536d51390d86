"""The ``gcp`` entry point: options and scanner construction, with no Google import.

``google.cloud.compute_v1`` alone takes over a second to import, so the SDK modules load
inside :meth:`GcpPlugin.scanners`: ``cloudposture --help``, ``scan gcp --help`` and AWS or
Azure scans never pay for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import click
from pydantic import BaseModel

from cloudposture.plugin import (
    OcsfCloud,
    Permissions,
    ProviderPlugin,
    ProviderScanner,
    ScanUnit,
)
from cloudposture.rules.base import ProviderGuidance
from cloudposture_gcp import config
from cloudposture_gcp.guidance import GUIDANCE, NOT_APPLICABLE
from cloudposture_gcp.permissions import PERMISSIONS_BY_CALL
from cloudposture_gcp.settings import GcpSettings


class GcpPlugin(ProviderPlugin):
    name = "gcp"
    summary = "Google Kubernetes Engine (GKE) clusters in one or more projects"
    title = "Google Cloud (GKE)"
    guidance: Mapping[str, ProviderGuidance] = GUIDANCE
    """Per-rule evidence source, fix and benchmark references (see guidance.py)."""
    not_applicable: Mapping[str, str] = NOT_APPLICABLE
    sdk_loggers = ("google", "urllib3")
    ocsf = OcsfCloud("GCP", 11, "GCP Project", "container.googleapis.com/Cluster")
    permissions = Permissions(calls=PERMISSIONS_BY_CALL, document="gcp-custom-role.yaml")
    target_model = config.GcpTarget
    config_example = config.EXAMPLE

    def scan_units(
        self, entry: BaseModel, origin: str, default_regions: tuple[str, ...]
    ) -> list[ScanUnit]:
        assert isinstance(entry, config.GcpTarget)
        return config.gcp_units(entry, origin, default_regions)

    def cli_options(self) -> Sequence[click.Parameter]:
        return [
            click.Option(
                ["--project"],
                multiple=True,
                metavar="ID",
                help="Project id to scan (repeatable; all locations are listed at once).",
            ),
            click.Option(
                ["--organization"],
                metavar="ID",
                default=None,
                help="Scan every ACTIVE project below this organization (through folders).",
            ),
            click.Option(
                ["--folder"],
                multiple=True,
                metavar="ID",
                help="Scan every ACTIVE project below this folder (repeatable).",
            ),
            click.Option(
                ["--endpoint"],
                metavar="URL",
                default=None,
                help="Send every Google API call to this base URL (Private Service Connect, "
                "proxy, emulator); https, or plain http to loopback only.",
            ),
            click.Option(
                ["--impersonate-service-account"],
                metavar="EMAIL",
                default=None,
                help="Act as this service account (short-lived tokens via IAM Credentials).",
            ),
        ]

    def scanners(self, settings: Mapping[str, Any], max_workers: int) -> Sequence[ProviderScanner]:
        """One scanner; credentials from $GOOGLE_OAUTH_ACCESS_TOKEN, else ADC (see clients)."""
        checked = GcpSettings.from_mapping(settings)

        from cloudposture_gcp.adapter import GcpScanner
        from cloudposture_gcp.clients import ClientOptions, GoogleClients, resolve_credentials

        credentials = resolve_credentials(checked.impersonate_service_account)
        clients = GoogleClients(ClientOptions(credentials=credentials, endpoint=checked.endpoint))
        return [GcpScanner(checked, clients)]


plugin = GcpPlugin()
