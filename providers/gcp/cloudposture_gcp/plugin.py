"""The ``gcp`` entry point: options and scanner construction, with no Google import.

``google.cloud.compute_v1`` alone takes over a second to import, so the SDK modules load
inside :meth:`GcpPlugin.scanners`: ``cloudposture --help``, ``scan gcp --help`` and AWS or
Azure scans never pay for them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from cloudposture.plugin import (
    OcsfCloud,
    Permissions,
    ProviderPlugin,
    ProviderScanner,
    ScanUnit,
)
from cloudposture.plugin.deadline import deadline_seconds
from cloudposture.rules.base import ProviderGuidance
from cloudposture_gcp import config
from cloudposture_gcp.guidance import GUIDANCE, NOT_APPLICABLE
from cloudposture_gcp.permissions import PERMISSIONS_BY_CALL
from cloudposture_gcp.settings import TOKEN_ENV, GcpSettings

if TYPE_CHECKING:
    from cloudposture_gcp.shared import ScanSessions


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
    settings_model = config.GcpTarget
    config_example = config.EXAMPLE

    def scan_units(
        self, entry: BaseModel, origin: str, default_regions: tuple[str, ...]
    ) -> list[ScanUnit]:
        assert isinstance(entry, config.GcpTarget)
        return config.gcp_units(entry, origin, default_regions)

    def __init__(self) -> None:
        self._sessions: ScanSessions | None = None

    def scanners(self, settings: Mapping[str, Any], max_workers: int) -> Sequence[ProviderScanner]:
        """One scanner; credentials from $GOOGLE_OAUTH_ACCESS_TOKEN, else ADC (see clients).

        Scanners built while an earlier one for the same endpoint and identity is alive (the
        nightly run's one unit per project) share its clients and reads (see shared.py)."""
        checked = GcpSettings.from_mapping(settings)
        deadline = deadline_seconds()

        from cloudposture_gcp.adapter import GcpScanner
        from cloudposture_gcp.clients import ClientOptions, GoogleClients, resolve_credentials
        from cloudposture_gcp.shared import ScanSessions

        def clients() -> GoogleClients:
            credentials = resolve_credentials(checked.impersonate_service_account)
            options = ClientOptions(
                credentials=credentials, endpoint=checked.endpoint, deadline=deadline
            )
            return GoogleClients(options)

        if self._sessions is None:
            self._sessions = ScanSessions()
        shared = self._sessions.get(self._session_key(checked), clients)
        return [GcpScanner(checked, shared.clients, shared)]

    def _session_key(self, checked: GcpSettings) -> tuple[str, ...]:
        """Scanners with the same endpoint and identity see the same answers: they share
        reads. The token itself is not kept, only its digest."""
        token = os.environ.get(TOKEN_ENV, "").strip()
        digest = hashlib.sha256(token.encode()).hexdigest() if token else "adc"
        return (checked.endpoint or "", checked.impersonate_service_account or "", digest)


plugin = GcpPlugin()
