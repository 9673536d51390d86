"""Which sink a URL scheme means: the core's schemes listed here, the rest from entry points.

SDK-based sinks live in the provider distributions (Security Hub and S3 in cloudposture-aws,
Sentinel in cloudposture-azure) and register under the entry-point group
``cloudposture.sinks`` (scheme -> factory), so the core imports no cloud SDK and an AWS-only
user never installs Azure's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib.metadata import entry_points
from types import MappingProxyType

from cloudposture.model import ConfigurationError
from cloudposture.sinks.base import Sink, SinkFactory
from cloudposture.sinks.splunk import splunk_http, splunk_https
from cloudposture.sinks.syslog import syslog_tcp, syslog_tls
from cloudposture.sinks.url import SinkUrl
from cloudposture.sinks.webhook import webhook_http, webhook_https

ENTRY_POINT_GROUP = "cloudposture.sinks"

CORE_SINKS: Mapping[str, SinkFactory] = MappingProxyType(
    {
        "splunk+https": splunk_https,
        "splunk+http": splunk_http,
        "syslog+tls": syslog_tls,
        "syslog+tcp": syslog_tcp,
        "webhook+https": webhook_https,
        "webhook+http": webhook_http,
    }
)
PLUGIN_HINTS: Mapping[str, str] = MappingProxyType(
    {"securityhub": "cloudposture-aws", "s3": "cloudposture-aws", "sentinel": "cloudposture-azure"}
)


def available_schemes() -> list[str]:
    """Every scheme this installation understands (plugin schemes read from metadata only)."""
    plugins = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    return sorted(set(CORE_SINKS) | plugins)


def _factory(scheme: str) -> SinkFactory:
    if scheme in CORE_SINKS:
        return CORE_SINKS[scheme]
    matches = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == scheme]
    if matches:
        factory = matches[0].load()
        if not callable(factory):
            raise ConfigurationError(f"sink entry point '{scheme}' is not a factory")
        return factory  # type: ignore[no-any-return]
    if scheme in PLUGIN_HINTS:
        dist = PLUGIN_HINTS[scheme]
        raise ConfigurationError(f"sink scheme '{scheme}' needs {dist}: pip install {dist}")
    raise ConfigurationError(
        f"unknown sink scheme '{scheme}' (known: {', '.join(available_schemes())})"
    )


def sink_from_url(url: str) -> Sink:
    """Build the sink a ``--sink`` URL names. Raises ConfigurationError (exit 2) when the URL
    cannot work: unknown scheme, missing token, secret in clear, plain text off loopback."""
    parsed = SinkUrl.parse(url)
    sink = _factory(parsed.scheme)(parsed)
    if not isinstance(sink, Sink):
        raise ConfigurationError(f"sink factory for '{parsed.scheme}' did not return a sink")
    return sink


def sinks_from_urls(urls: Sequence[str]) -> list[Sink]:
    """All sinks, or the first configuration error: call before scanning to fail fast."""
    sinks = [sink_from_url(u) for u in urls]
    names = [s.name for s in sinks]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ConfigurationError(f"sink given twice: {repeated[0]}")
    return sinks
