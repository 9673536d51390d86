"""Azure clouds and Resource Manager endpoints, without importing any Azure SDK.

The plugin validates ``--cloud`` and ``--arm-endpoint`` with this module before the SDKs load,
so a bad flag is a one-line usage error and ``cloudposture --help`` stays cheap.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlparse

from cloudposture.model import ConfigurationError


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


def is_loopback_url(url: str) -> bool:
    """True when ``url`` names a loopback host (127.0.0.0/8, ::1, localhost)."""
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_endpoint(url: str) -> str:
    """The endpoint without a trailing slash; ConfigurationError unless https or loopback http.

    A bearer token must never travel over plain http to anything but this machine.
    """
    parsed = urlparse(url)
    if parsed.scheme not in ("https", "http") or not parsed.hostname:
        raise ConfigurationError(f"--arm-endpoint must be an https URL, got '{url}'")
    if parsed.scheme == "http" and not is_loopback_url(url):
        raise ConfigurationError(
            f"--arm-endpoint '{url}' is plain http: only loopback addresses may use http "
            "(a bearer token never travels unencrypted)"
        )
    return url.rstrip("/")
