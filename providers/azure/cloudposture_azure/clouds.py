"""Azure clouds and Resource Manager endpoints, without importing any Azure SDK.

The plugin validates ``--cloud`` and ``--arm-endpoint`` with this module before the SDKs load,
so a bad flag is a one-line usage error and ``cloudposture --help`` stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

from cloudposture.endpoints import checked_endpoint


@dataclass(frozen=True)
class Cloud:
    """A sovereign cloud: where Resource Manager and Microsoft Graph live, who issues tokens."""

    name: str
    arm_endpoint: str
    authority: str
    audience: str
    graph_endpoint: str
    """Microsoft Graph of this cloud; also the audience of its Graph tokens."""

    @property
    def graph_scope(self) -> str:
        return f"{self.graph_endpoint}/.default"


CLOUDS: dict[str, Cloud] = {
    "AzurePublicCloud": Cloud(
        "AzurePublicCloud",
        "https://management.azure.com",
        "login.microsoftonline.com",
        "https://management.azure.com",
        "https://graph.microsoft.com",
    ),
    "AzureChinaCloud": Cloud(
        "AzureChinaCloud",
        "https://management.chinacloudapi.cn",
        "login.chinacloudapi.cn",
        "https://management.chinacloudapi.cn",
        "https://microsoftgraph.chinacloudapi.cn",
    ),
    "AzureUSGovernment": Cloud(
        "AzureUSGovernment",
        "https://management.usgovcloudapi.net",
        "login.microsoftonline.us",
        "https://management.core.usgovcloudapi.net",
        "https://graph.microsoft.us",
    ),
}


def check_endpoint(url: str, option: str = "--arm-endpoint") -> str:
    """The endpoint without a trailing slash; a bearer token never travels over plain http
    to anything but this machine."""
    return checked_endpoint(url, option)
