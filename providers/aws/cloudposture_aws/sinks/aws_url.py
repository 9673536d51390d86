"""The URL options both AWS sinks share: credentials profile and an endpoint override."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cloudposture.endpoints import is_loopback
from cloudposture.model import ConfigurationError
from cloudposture.sinks.url import SinkUrl

AWS_OPTIONS = ("profile", "endpoint")


def client_kwargs(url: SinkUrl) -> dict[str, Any]:
    """``endpoint=`` (S3-compatible stores, VPC endpoints, local emulators) must be https,
    or http on loopback, like every other sink."""
    endpoint = url.option("endpoint")
    if not endpoint:
        return {}
    endpoint_url = SinkUrl.parse(endpoint)
    if endpoint_url.scheme == "http" and not is_loopback(endpoint_url.host):
        raise ConfigurationError(
            f"{url.scheme} sink endpoint {endpoint} is plain http off loopback: use https"
        )
    if endpoint_url.scheme not in ("http", "https"):
        raise ConfigurationError(f"{url.scheme} sink endpoint must be an http(s) URL")
    return {"endpoint_url": endpoint}


def client_factory(service: str, url: SinkUrl, region: str | None) -> Callable[[], Any]:
    """Checks the URL's options now; builds the boto3 client (default credential chain, or
    ``profile=``) only when called, on first delivery."""
    kwargs = client_kwargs(url)
    profile = url.option("profile") or None

    def build() -> Any:
        import boto3

        session = boto3.Session(profile_name=profile)
        # the service name is a plain str here, which the typed stubs' overloads do not cover
        return session.client(service, region_name=region, **kwargs)  # type: ignore[call-overload]

    return build
