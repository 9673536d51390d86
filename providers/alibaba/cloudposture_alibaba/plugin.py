"""The ``alibaba`` entry point: settings and scanner construction, no SDK import.

The ``scan alibaba`` options derive from the ``targets.alibaba`` model (config.py).

The Alibaba Cloud SDK modules load inside :meth:`AlibabaPlugin.scanners`, so
``cloudposture --help``, ``scan alibaba --help`` and scans of other clouds never pay for them.
Guidance and NOT_APPLICABLE reasons are plain data (no SDK), read by the core's catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from cloudposture.plugin import OcsfCloud, Permissions, ProviderPlugin, ProviderScanner, ScanUnit
from cloudposture.rules.base import ProviderGuidance
from cloudposture_alibaba import config
from cloudposture_alibaba.guidance import GUIDANCE, NOT_APPLICABLE
from cloudposture_alibaba.logs import SDK_LOGGERS
from cloudposture_alibaba.permissions import ALL_CALLS, DOCUMENT
from cloudposture_alibaba.settings import AlibabaSettings


class AlibabaPlugin(ProviderPlugin):
    name = "alibaba"
    summary = "Alibaba Cloud Container Service for Kubernetes (ACK) clusters in one account"
    title = "Alibaba Cloud (ACK)"
    guidance: Mapping[str, ProviderGuidance] = GUIDANCE
    """Per-rule evidence source, fix and benchmark references (see guidance.py)."""
    not_applicable: Mapping[str, str] = NOT_APPLICABLE
    sdk_loggers = SDK_LOGGERS
    ocsf = OcsfCloud("Alibaba Cloud", 99, "Alibaba Cloud Account", "ACS::ACK::Cluster")
    """OCSF's account type enum has no Alibaba Cloud entry: 99 (Other), named; the resource
    type is Cloud Config's name for an ACK cluster."""
    permissions = Permissions(calls=ALL_CALLS, document=DOCUMENT)
    target_model = config.AlibabaTarget
    settings_model = config.AlibabaTarget
    config_example = config.EXAMPLE

    def scan_units(
        self, entry: BaseModel, origin: str, default_regions: tuple[str, ...]
    ) -> list[ScanUnit]:
        assert isinstance(entry, config.AlibabaTarget)
        return config.alibaba_units(entry, origin, default_regions)

    def scanners(self, settings: Mapping[str, Any], max_workers: int) -> Sequence[ProviderScanner]:
        """One scanner for one set of credentials (fails early when there are none)."""
        checked = AlibabaSettings.from_mapping(settings)

        from cloudposture_alibaba.credentials import (
            AssumedRole,
            base_provider,
            check_provider,
            credential_client,
        )

        provider = base_provider(checked.profile)
        check_provider(provider, checked.profile)  # before the service SDKs load: fail fast

        from cloudposture_alibaba.adapter import AckScanner
        from cloudposture_alibaba.clients import AlibabaClients, ClientOptions, assume_role_call

        base = credential_client(provider)
        if checked.role_arn:
            assume = assume_role_call(base, checked.endpoint_host, checked.protocol)
            base = credential_client(AssumedRole(checked.role_arn, assume))
        options = ClientOptions(
            credential=base, endpoint=checked.endpoint_host, protocol=checked.protocol
        )
        return [AckScanner(checked, AlibabaClients(options))]


plugin = AlibabaPlugin()
