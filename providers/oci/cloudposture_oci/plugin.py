"""The ``oci`` entry point: everything OCI-specific the core reads, with no ``oci`` import.

The ``oci`` SDK takes about a second to import; it loads inside :meth:`OciPlugin.scanners`,
so ``cloudposture --help``, ``scan oci --help``, ``config validate`` and other clouds' scans
never pay for it. Guidance, targets, permissions and the OCSF mapping are plain data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from cloudposture.plugin.interface import (
    OcsfCloud,
    Permissions,
    ProviderPlugin,
    ProviderScanner,
    ScanUnit,
)
from cloudposture.rules.base import ProviderGuidance
from cloudposture_oci.guidance import GUIDANCE, NOT_APPLICABLE
from cloudposture_oci.permissions import GRANTS_BY_CALL
from cloudposture_oci.settings import OciSettings
from cloudposture_oci.target import CONFIG_EXAMPLE, OciTarget, unit_specs


class OciPlugin(ProviderPlugin):
    name = "oci"
    summary = "Oracle Container Engine for Kubernetes (OKE) clusters in a tenancy"
    title = "Oracle Cloud (OKE)"
    guidance: Mapping[str, ProviderGuidance] = GUIDANCE
    """Per-rule evidence source and fix (see guidance.py)."""
    not_applicable: Mapping[str, str] = NOT_APPLICABLE
    sdk_loggers = ("oci",)
    ocsf = OcsfCloud("OCI", 12, "OCI Compartment", "ClustersCluster")
    """12 is OCI Compartment in the OCSF account type enum (a tenancy is its root
    compartment); ClustersCluster is OCI's own resource type name for an OKE cluster."""
    permissions = Permissions(
        calls={call: (grant,) for call, grant in GRANTS_BY_CALL.items()},
        document="oci-policy.txt",
    )
    target_model = OciTarget
    settings_model = OciTarget
    """One model for ``targets.oci`` and ``scan oci``; :class:`OciSettings` then resolves
    either (environment fallbacks, one-line errors) before the SDK loads."""
    config_example = CONFIG_EXAMPLE

    def scan_units(
        self, entry: BaseModel, origin: str, default_regions: tuple[str, ...]
    ) -> list[ScanUnit]:
        """One unit per listed compartment, else one whole-tenancy unit; regions go to the
        plugin (OCI lists clusters per region, so filtering afterwards would read them all)."""
        assert isinstance(entry, OciTarget)
        return [
            ScanUnit(self.name, spec.label, spec.settings, (), spec.origin)
            for spec in unit_specs(entry, origin, default_regions)
        ]

    def scanners(self, settings: Mapping[str, Any], max_workers: int) -> Sequence[ProviderScanner]:
        """One scanner for one tenancy's credentials."""
        checked = OciSettings.from_mapping(settings)

        from cloudposture_oci.adapter import OciScanner
        from cloudposture_oci.clients import OciClients, resolve_options

        workers = max(1, min(max_workers, 8))
        return [OciScanner(checked, OciClients(resolve_options(checked)), workers)]


plugin = OciPlugin()
