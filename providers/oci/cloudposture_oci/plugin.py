"""The ``oci`` entry point: options and scanner construction, with no ``oci`` import.

The ``oci`` SDK takes about a second to import; it loads inside :meth:`OciPlugin.scanners`,
so ``cloudposture --help``, ``scan oci --help`` and other clouds' scans never pay for it.
Guidance and NOT_APPLICABLE reasons are plain data (guidance.py), also SDK-free.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import click

from cloudposture.plugin import ProviderScanner
from cloudposture.rules.base import ProviderGuidance
from cloudposture_oci.guidance import GUIDANCE, NOT_APPLICABLE
from cloudposture_oci.settings import AUTH_MODES, OciSettings

SDK_LOGGERS = ("oci",)
OCSF_CLOUD = ("OCI", 12, "OCI Compartment", "ClustersCluster")
"""OCSF ``cloud.provider``, ``account.type_id`` / ``type`` (12 is OCI Compartment in the OCSF
account type enum; a tenancy is its root compartment) and OCI's resource type name."""


class OciPlugin:
    name = "oci"
    summary = "Oracle Container Engine for Kubernetes (OKE) clusters in a tenancy"
    title = "Oracle Cloud (OKE)"
    guidance: Mapping[str, ProviderGuidance] = GUIDANCE
    """Per-rule evidence source and fix (see guidance.py)."""
    not_applicable: Mapping[str, str] = NOT_APPLICABLE

    def cli_options(self) -> Sequence[click.Parameter]:
        return [
            click.Option(
                ["--config-file"],
                metavar="FILE",
                default=None,
                help="OCI config file (default: $OCI_CONFIG_FILE, else ~/.oci/config).",
            ),
            click.Option(
                ["--profile"],
                metavar="NAME",
                default=None,
                help="Profile in the config file (default: $OCI_CLI_PROFILE, else DEFAULT).",
            ),
            click.Option(
                ["--auth"],
                type=click.Choice(AUTH_MODES),
                default="api_key",
                show_default=True,
                help="How to authenticate: an API key from the config file, or the instance "
                "or resource principal of where the scan runs.",
            ),
            click.Option(
                ["--region"],
                multiple=True,
                metavar="REGION",
                help="Region to scan (repeatable; default: every subscribed region).",
            ),
            click.Option(
                ["--compartment"],
                multiple=True,
                metavar="OCID",
                help="Scan this compartment and those below it (repeatable; default: the "
                "whole tenancy, ACTIVE compartments only).",
            ),
            click.Option(
                ["--endpoint"],
                metavar="URL",
                default=None,
                help="Send every OCI API call to this base URL ({region} is replaced by the "
                "region); https, or plain http to loopback only.",
            ),
        ]

    def scanners(self, settings: Mapping[str, Any], max_workers: int) -> Sequence[ProviderScanner]:
        """One scanner for one tenancy's credentials."""
        checked = OciSettings.from_mapping(settings)

        from cloudposture_oci.adapter import OciScanner
        from cloudposture_oci.clients import OciClients, resolve_options

        workers = max(1, min(max_workers, 8))
        return [OciScanner(checked, OciClients(resolve_options(checked)), workers)]


plugin = OciPlugin()
