"""The URL options both AWS sinks share: credentials profile and an endpoint override."""

from __future__ import annotations

from typing import Any

from cloudposture.model import ConfigurationError
from cloudposture.sinks.url import SinkUrl, is_loopback

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


def boto3_client(service: str, url: SinkUrl, region: str | None) -> Any:
    """A boto3 client from the default credential chain (or ``profile=``)."""
    import boto3

    session = boto3.Session(profile_name=url.option("profile") or None)
    return session.client(service, region_name=region, **client_kwargs(url))
