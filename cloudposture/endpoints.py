"""Where a bearer token may travel: https anywhere, plain http only to this machine.

One rule for every outbound endpoint the user can name (a provider's ``--endpoint`` /
``--arm-endpoint``, a SIEM sink URL): a token, key or finding never crosses a network
unencrypted, while local emulators and test receivers still work over plain http.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from cloudposture.model import ConfigurationError


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback IP literals (no DNS: a name could point anywhere)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str) -> bool:
    return is_loopback(urlsplit(url).hostname or "")


def checked_endpoint(url: str, option: str) -> str:
    """``url`` without a trailing slash; ConfigurationError unless https, or http to loopback."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"{option} must be an https URL, got {text!r}")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigurationError(
            f"{option} {text!r} uses plain http to a non-loopback host: use https (plain http "
            "is accepted only for 127.0.0.1, ::1 and localhost, so a token never travels "
            "unencrypted)"
        )
    return text.rstrip("/")
