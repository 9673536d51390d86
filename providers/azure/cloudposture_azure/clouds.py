"""Azure clouds and Resource Manager endpoints, without importing any Azure SDK.

The plugin validates ``--cloud`` and ``--arm-endpoint`` with this module before the SDKs load,
so a bad flag is a one-line usage error and ``cloudposture --help`` stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

from cloudposture.endpoints import checked_endpoint


@dataclass(frozen=True)
class Cloud:
    """A sovereign cloud: where Resource Manager lives and who issues its tokens."""

    name: str
    arm_endpoint: str
    authority: str
    audience: str


CLOUDS: dict[str, Cloud] = {
    "AzurePublicCloud": Cloud(
        "AzurePublicCloud",
        "https://management.azure.com",
        "login.microsoftonline.com",
        "https://management.azure.com",
    ),
    "AzureChinaCloud": Cloud(
        "AzureChinaCloud",
        "https://management.chinacloudapi.cn",
        "login.chinacloudapi.cn",
        "https://management.chinacloudapi.cn",
    ),
    "AzureUSGovernment": Cloud(
        "AzureUSGovernment",
        "https://management.usgovcloudapi.net",
        "login.microsoftonline.us",
        "https://management.core.usgovcloudapi.net",
    ),
}


def check_endpoint(url: str) -> str:
    """The endpoint without a trailing slash; a bearer token never travels over plain http
    to anything but this machine."""
    return checked_endpoint(url, "--arm-endpoint")
