"""Which sink a URL scheme means: every scheme is an entry point (``cloudposture.sinks``).

The core's schemes are declared in cloudposture's pyproject; SDK-based sinks live in the
provider distributions (Security Hub and S3 in cloudposture-aws, Sentinel in
cloudposture-azure) and register the same way, so the core imports no cloud SDK and an
AWS-only user never installs Azure's. A sink module is imported only when its scheme is used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from cloudposture.model import ConfigurationError
from cloudposture.plugin.registry import Registry
from cloudposture.sinks.interface import Sink, SinkFactory
from cloudposture.sinks.url import SinkUrl

ENTRY_POINT_GROUP = "cloudposture.sinks"

PLUGIN_HINTS: Mapping[str, str] = MappingProxyType(
    {"securityhub": "cloudposture-aws", "s3": "cloudposture-aws", "sentinel": "cloudposture-azure"}
)


def _as_factory(obj: object) -> SinkFactory | None:
    return obj if callable(obj) else None


SINKS: Registry[SinkFactory] = Registry(ENTRY_POINT_GROUP, "sink factory", _as_factory)


def available_schemes() -> list[str]:
    """Every scheme this installation understands (read from metadata only)."""
    return sorted(SINKS.names())


def _factory(scheme: str) -> SinkFactory:
    factory = SINKS.get(scheme)
    if factory is not None:
        return factory
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
