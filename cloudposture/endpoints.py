"""Where a bearer token may travel: https anywhere, plain http only to this machine.

One rule for every outbound endpoint the user can name (a provider's ``--endpoint`` /
``--arm-endpoint``, a SIEM sink URL): a token, key or finding never crosses a network
unencrypted, while local emulators and test receivers still work over plain http.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from cloudposture.model import ConfigurationError

_USERINFO = re.compile(r"//[^@\s]*@")


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


def redact_userinfo(text: str) -> str:
    """``text`` with the user name and password of every URL in it replaced by ``***``."""
    return _USERINFO.sub("//***@", text)


def checked_endpoint(url: str, option: str) -> str:
    """``url`` without a trailing slash; ConfigurationError unless https, or http to loopback.

    A user name or password in the URL is refused (the scan sends its own bearer token; a
    password there would also land in shell history), and never echoed in the message.
    """
    text = url.strip()
    shown = redact_userinfo(text)
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - parsed lazily: a bad port raises here
    except ValueError:  # its text may quote the password (as a "port")
        raise ConfigurationError(f"{option} is not a valid URL: {shown!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"{option} must be an https URL, got {shown!r}")
    if parts.username is not None or parts.password is not None:
        raise ConfigurationError(
            f"{option} must not carry a user name or password, got {shown!r}: the scan "
            "authenticates with its own credentials"
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigurationError(
            f"{option} {shown!r} uses plain http to a non-loopback host: use https (plain http "
            "is accepted only for 127.0.0.1, ::1 and localhost, so a token never travels "
            "unencrypted)"
        )
    return text.rstrip("/")
