"""The ``azure`` entry point: options and scanner construction, with no Azure SDK import.

The SDK modules load inside :meth:`AzurePlugin.scanners`, so listing providers or printing
``cloudposture scan azure --help`` costs nothing for people who never scan Azure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from cloudposture.model import ConfigurationError
from cloudposture.plugin import (
    OcsfCloud,
    Permissions,
    ProviderPlugin,
    ProviderScanner,
    ScanUnit,
)
from cloudposture.plugin.deadline import deadline_seconds
from cloudposture.rules.base import ProviderGuidance
from cloudposture_azure import config
from cloudposture_azure.clouds import CLOUDS, check_endpoint
from cloudposture_azure.guidance import GUIDANCE, NOT_APPLICABLE
from cloudposture_azure.permissions import CALLS, GRAPH_CALLS


class AzurePlugin(ProviderPlugin):
    name = "azure"
    summary = "Azure Kubernetes Service (AKS) clusters in one or more subscriptions"
    title = "Azure (AKS)"
    guidance: Mapping[str, ProviderGuidance] = GUIDANCE
    """Per-rule evidence source, fix and benchmark references (see guidance.py)."""
    not_applicable: Mapping[str, str] = NOT_APPLICABLE
    sdk_loggers = ("azure", "urllib3")
    ocsf = OcsfCloud(
        "Azure", 13, "Azure Subscription", "Microsoft.ContainerService/managedClusters"
    )
    permissions = Permissions(
        calls={call: (action,) for call, action in {**CALLS, **GRAPH_CALLS}.items()},
        document="azure-custom-role.json",
    )
    target_model = config.AzureTarget
    settings_model = config.AzureTarget
    config_example = config.EXAMPLE

    def scan_units(
        self, entry: BaseModel, origin: str, default_regions: tuple[str, ...]
    ) -> list[ScanUnit]:
        assert isinstance(entry, config.AzureTarget)
        return config.azure_units(entry, origin, default_regions)

    def scanners(self, settings: Mapping[str, Any], max_workers: int) -> Sequence[ProviderScanner]:
        cloud_name = str(settings.get("cloud") or "AzurePublicCloud")
        cloud = CLOUDS.get(cloud_name)
        if cloud is None:
            raise ConfigurationError(
                f"unknown Azure cloud '{cloud_name}' (one of: {', '.join(sorted(CLOUDS))})"
            )
        endpoint = check_endpoint(str(settings.get("arm_endpoint") or cloud.arm_endpoint))
        graph = check_endpoint(
            str(settings.get("graph_endpoint") or cloud.graph_endpoint), "--graph-endpoint"
        )
        subscriptions = _strings(settings, "subscription", "subscriptions")
        groups = _strings(settings, "management_group", "management_groups")

        from cloudposture_azure.adapter import AzureScanner
        from cloudposture_azure.clients import AzureClients, make_credential, make_graph_credential

        deadline = deadline_seconds()
        credential = make_credential(cloud)
        clients = AzureClients(
            credential,
            endpoint,
            audience=cloud.audience,
            deadline=deadline,
            graph_endpoint=graph,
            graph_scope=cloud.graph_scope,
            graph_credential=make_graph_credential(credential),
        )
        return [AzureScanner(clients, subscriptions, groups)]


def _strings(settings: Mapping[str, Any], cli_key: str, config_key: str) -> list[str]:
    """A CLI option (repeatable) or its config-file spelling, as a str or a list."""
    raw = settings.get(cli_key) or settings.get(config_key) or ()
    values: Iterable[Any] = [raw] if isinstance(raw, str) else raw
    out = [str(v).strip() for v in values if str(v).strip()]
    return list(dict.fromkeys(out))


plugin = AzurePlugin()
