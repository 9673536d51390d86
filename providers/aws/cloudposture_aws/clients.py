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
from botocore.credentials import Credentials
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from cloudposture import __version__
from cloudposture.endpoints import checked_endpoint
from cloudposture.model import ConfigurationError
from cloudposture_aws.assumed_role import (
    RefreshWindow,
    refreshable_role_credentials,
    session_with_credentials,
)
from cloudposture_aws.calls import (
    DEFAULT_CALL_DEADLINE,
    DEFAULT_MAX_ATTEMPTS,
    install,
)
from cloudposture_aws.errors import (
    CREDENTIAL_LOOKUP_ERRORS,
    clean_message,
    credential_lookup_error,
    setup_failure,
    to_configuration_error,
)
from cloudposture_aws.regions import checked_regions

RetryMode = Literal["standard", "adaptive"]
DEFAULT_RETRY_MODE: RetryMode = "standard"
FALLBACK_REGION = "us-east-1"
# Settings that make botocore fetch credentials (named in credential error lines)
_CREDENTIAL_KEYS = ("credential_process", "role_arn", "web_identity_token_file", "sso_session")
_CREDENTIAL_VARIABLES = (
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)


@dataclass(frozen=True)
class AwsSettings:
    """``scan aws`` options (by parameter name) plus the non-CLI keys demo and config use."""

    profile: str | None = None
    regions: tuple[str, ...] = ()
    role_arn: str | None = None
    external_id: str | None = None
    retry_mode: RetryMode | None = None
    max_attempts: int | None = None
    call_deadline: float | None = None
    """Seconds one API call may take, retries and waits included (see calls.py)."""
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
        deadline = settings.get("call_deadline")
        if deadline is not None and not (0 < float(deadline) < float("inf")):
            raise ConfigurationError(
                f"--call-deadline must be a positive number of seconds, not {deadline!r}"
            )
        return cls(
            profile=settings.get("profile") or None,
            regions=checked_regions(tuple(dict.fromkeys(str(r) for r in regions))),
            role_arn=settings.get("role_arn") or None,
            external_id=settings.get("external_id") or None,
            retry_mode=cast(RetryMode | None, mode),
            max_attempts=int(attempts) if attempts is not None else None,
            call_deadline=float(deadline) if deadline is not None else None,
            endpoint_url=_endpoint(settings.get("endpoint_url")),
            aws_access_key_id=settings.get("aws_access_key_id") or None,
            aws_secret_access_key=settings.get("aws_secret_access_key") or None,
            aws_session_token=settings.get("aws_session_token") or None,
        )


def _endpoint(url: object) -> str | None:
    """The endpoint URL (setting or AWS_ENDPOINT_URL), refused when it would carry the
    signed requests in clear text off this machine (the one rule of cloudposture.endpoints)."""
    if url:
        return checked_endpoint(str(url), "endpoint_url")
    if os.environ.get("AWS_ENDPOINT_URL"):
        checked_endpoint(os.environ["AWS_ENDPOINT_URL"], "AWS_ENDPOINT_URL")
    return None


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
        out["total_max_attempts"] = DEFAULT_MAX_ATTEMPTS
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

    def __init__(
        self,
        session: boto3.Session,
        settings: AwsSettings,
        max_workers: int,
        refresh: RefreshWindow | None = None,
    ) -> None:
        self.session = session
        self.settings = settings
        self.max_workers = max_workers
        self.refresh = refresh or RefreshWindow()
        """When assumed-role credentials are renewed (botocore's defaults unless a test says)."""
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
                self._clients[key] = self._create(service, key[1])
            return self._clients[key]

    def _create(self, service: str, region: str, **credentials: Any) -> Any:
        """A new client (caller holds the lock: sessions are not thread-safe)."""
        extra = {"endpoint_url": self.settings.endpoint_url} if self.settings.endpoint_url else {}
        client = self.session.client(
            service,  # type: ignore[call-overload]
            region_name=region,
            config=self.config,
            **extra,
            **credentials,
        )
        install(client, self.settings.call_deadline or DEFAULT_CALL_DEADLINE, self.max_workers)
        return client

    def credentials(self) -> Credentials:
        """The session's credentials, looked up now: a broken credential source (a malformed
        ``credential_process``, a container URI botocore refuses) is a ConfigurationError at
        setup, not a failure of the first API call. Never logged or returned to users."""
        with self._lock:
            try:
                found = self.session.get_credentials()
                if found is not None:
                    found.get_frozen_credentials()  # deferred sources (SSO, process) load here
            except (ClientError, *CREDENTIAL_LOOKUP_ERRORS) as exc:  # ClientError: a renewal
                raise credential_lookup_error(exc, self._credential_source()) from None
        if found is None:
            raise credential_lookup_error(NoCredentialsError(), self._credential_source())
        return found

    def _credential_source(self) -> str:
        """Where credentials were looked for, for the error line: botocore's own messages
        ("No closing quotation") do not say which setting they come from."""
        where = f"profile {self.settings.profile}" if self.settings.profile else "default chain"
        try:
            scoped = self.session._session.get_scoped_config()  # the profile's config keys
        except BotoCoreError:
            scoped = {}
        named = [key for key in _CREDENTIAL_KEYS if key in scoped]
        named += [name for name in _CREDENTIAL_VARIABLES if os.environ.get(name)]
        return ", ".join([where, *named])

    def assume_role(self, role_arn: str, external_id: str | None) -> ClientFactory:
        """A factory whose clients act as ``role_arn`` (sts:AssumeRole, session cloudposture),
        with credentials botocore renews before they expire (see assumed_role.py)."""
        source = self.credentials()

        def create_sts(service: str, **credentials: Any) -> Any:
            with self._lock:  # refreshes run on worker threads
                return self._create(service, self.default_region, **credentials)

        try:
            assumed = refreshable_role_credentials(
                create_sts, source, role_arn, external_id, self.refresh
            )
        except (ClientError, BotoCoreError, ValueError) as exc:
            raise setup_failure(exc, f"cannot assume role {role_arn}") from None
        session = session_with_credentials(assumed, self.settings.profile, self.session.region_name)
        factory = ClientFactory(session, self.settings, self.max_workers, self.refresh)
        for name, handler in self._hooks:
            factory.register(name, handler)
        return factory

    def register(self, event: str, handler: Any) -> None:
        """Attach a botocore event handler to every client (tests record calls this way)."""
        self._hooks.append((event, handler))
        self.session.events.register(event, handler)
