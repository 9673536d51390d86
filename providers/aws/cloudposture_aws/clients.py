"""boto3 sessions and clients, built from explicit settings: the seam tests point at moto.

What the user did not set is left to botocore, so the standard environment (AWS_PROFILE,
AWS_REGION, AWS_ENDPOINT_URL, AWS_CA_BUNDLE, AWS_RETRY_MODE, ~/.aws/config ...) works exactly
as botocore defines it. One session per scanner; each (service, region) client is created once,
under a lock (sessions are not thread-safe, clients are), and shared by every worker thread.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from cloudposture import __version__
from cloudposture.model import ConfigurationError
from cloudposture_aws.errors import clean_message, to_configuration_error

RetryMode = Literal["standard", "adaptive"]
DEFAULT_RETRY_MODE: RetryMode = "adaptive"
DEFAULT_MAX_ATTEMPTS = 8
SESSION_NAME = "cloudposture"
FALLBACK_REGION = "us-east-1"


@dataclass(frozen=True)
class AwsSettings:
    """``scan aws`` options (by parameter name) plus the non-CLI keys demo and config use."""

    profile: str | None = None
    regions: tuple[str, ...] = ()
    role_arn: str | None = None
    external_id: str | None = None
    retry_mode: RetryMode | None = None
    max_attempts: int | None = None
    endpoint_url: str | None = None
    aws_access_key_id: str | None = None
    aws_secret_access_key: str | None = None
    aws_session_token: str | None = None

    @classmethod
    def from_mapping(cls, settings: Mapping[str, Any]) -> AwsSettings:
        regions = settings.get("region") or settings.get("regions") or ()
        if isinstance(regions, str):
            regions = (regions,)
        mode = settings.get("retry_mode")
        if mode not in (None, "standard", "adaptive"):
            raise ConfigurationError(f"--retry-mode must be standard or adaptive, not {mode!r}")
        attempts = settings.get("max_attempts")
        return cls(
            profile=settings.get("profile") or None,
            regions=tuple(dict.fromkeys(str(r) for r in regions)),
            role_arn=settings.get("role_arn") or None,
            external_id=settings.get("external_id") or None,
            retry_mode=cast(RetryMode | None, mode),
            max_attempts=int(attempts) if attempts is not None else None,
            endpoint_url=settings.get("endpoint_url") or None,
            aws_access_key_id=settings.get("aws_access_key_id") or None,
            aws_secret_access_key=settings.get("aws_secret_access_key") or None,
            aws_session_token=settings.get("aws_session_token") or None,
        )


def retries(session: boto3.Session, settings: AwsSettings) -> dict[str, Any]:
    """Explicit settings win; else AWS_RETRY_MODE / AWS_MAX_ATTEMPTS / the profile's own
    retry_mode and max_attempts (left to botocore); else cloudposture's defaults."""
    scoped = session._session.get_scoped_config()  # the active profile's ~/.aws/config keys
    out: dict[str, Any] = {}
    if settings.retry_mode:
        out["mode"] = settings.retry_mode
    elif not (os.environ.get("AWS_RETRY_MODE") or scoped.get("retry_mode")):
        out["mode"] = DEFAULT_RETRY_MODE
    if settings.max_attempts is not None:
        out["max_attempts"] = settings.max_attempts
    elif not (os.environ.get("AWS_MAX_ATTEMPTS") or scoped.get("max_attempts")):
        out["max_attempts"] = DEFAULT_MAX_ATTEMPTS
    return out


def base_session(settings: AwsSettings) -> boto3.Session:
    """The caller's own session (profile or explicit keys); raises ConfigurationError."""
    try:
        return boto3.Session(
            profile_name=settings.profile,
            aws_access_key_id=settings.aws_access_key_id,
            aws_secret_access_key=settings.aws_secret_access_key,
            aws_session_token=settings.aws_session_token,
        )
    except BotoCoreError as exc:
        raise to_configuration_error(exc) or ConfigurationError(clean_message(str(exc))) from None


class ClientFactory:
    """Creates each (service, region) client once, from one session and one Config."""

    def __init__(self, session: boto3.Session, settings: AwsSettings, max_workers: int) -> None:
        self.session = session
        self.settings = settings
        self.max_workers = max_workers
        self.config = Config(
            retries=retries(session, settings),  # type: ignore[arg-type]
            max_pool_connections=max_workers + 4,
            connect_timeout=10,
            read_timeout=30,
            user_agent_extra=f"cloudposture/{__version__}",
        )
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}
        self._hooks: list[tuple[str, Any]] = []

    @property
    def default_region(self) -> str:
        """Where account-wide calls (STS, IAM, DescribeRegions) go."""
        if self.settings.regions:
            return self.settings.regions[0]
        return self.session.region_name or FALLBACK_REGION

    def client(self, service: str, region: str | None = None) -> Any:
        key = (service, region or self.default_region)
        with self._lock:
            if key not in self._clients:
                extra = (
                    {"endpoint_url": self.settings.endpoint_url}
                    if self.settings.endpoint_url
                    else {}
                )
                self._clients[key] = self.session.client(
                    service,  # type: ignore[call-overload]
                    region_name=key[1],
                    config=self.config,
                    **extra,
                )
            return self._clients[key]

    def assume_role(self, role_arn: str, external_id: str | None) -> ClientFactory:
        """A factory whose clients act as ``role_arn`` (sts:AssumeRole, session cloudposture)."""
        args: dict[str, Any] = {"RoleArn": role_arn, "RoleSessionName": SESSION_NAME}
        if external_id:
            args["ExternalId"] = external_id
        try:
            creds = self.client("sts").assume_role(**args)["Credentials"]
        except (ClientError, BotoCoreError) as exc:
            known = to_configuration_error(exc)
            if known is not None:
                raise known from None
            detail = clean_message(str(exc))
            raise ConfigurationError(f"cannot assume role {role_arn}: {detail}") from None
        assumed = boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name=self.session.region_name,
        )
        factory = ClientFactory(assumed, self.settings, self.max_workers)
        for name, handler in self._hooks:
            factory.register(name, handler)
        return factory

    def register(self, event: str, handler: Any) -> None:
        """Attach a botocore event handler to every client (tests record calls this way)."""
        self._hooks.append((event, handler))
        self.session.events.register(event, handler)
