"""Alibaba Cloud credentials as Alibaba's own tools find them, plus AssumeRole.

Without ``--profile`` the SDK's default chain runs: ``ALIBABA_CLOUD_ACCESS_KEY_ID`` /
``_SECRET`` / ``_SECURITY_TOKEN``, the OIDC role (RRSA), the CLI's ``~/.aliyun/config.json``,
``~/.alibabacloud/credentials.ini``, then the ECS instance's RAM role. ``--profile`` names a profile
of the CLI file or of the credentials file.

``--role-arn`` is assumed through the STS SDK client rather than the credentials library's own
RAM-role provider, because that provider always speaks https to the public STS host: here the
STS call follows ``--endpoint`` (private endpoints, and the local fake the tests run). The
assumed credentials are refreshed five minutes before they expire.

Nothing here prints or logs a secret; ``repr`` of every object hides them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_credentials.exceptions import CredentialException
from alibabacloud_credentials.provider import (
    CLIProfileCredentialsProvider,
    ProfileCredentialsProvider,
)
from alibabacloud_credentials.provider.default import DefaultCredentialsProvider
from alibabacloud_credentials.provider.refreshable import Credentials
from alibabacloud_credentials_api import ICredentialsProvider

from cloudposture.model import ConfigurationError

SESSION_NAME = "cloudposture"
SESSION_SECONDS = 3600
REFRESH_MARGIN_SECONDS = 300
UNAVAILABLE = (CredentialException, ValueError, OSError)
"""What a credential source raises when it has nothing usable (the library raises ValueError
for a profile whose key is empty, OSError for an unreadable file)."""
CHAIN = (
    "ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET, the OIDC role "
    "(ALIBABA_CLOUD_ROLE_ARN + ALIBABA_CLOUD_OIDC_TOKEN_FILE), ~/.aliyun/config.json, "
    "~/.alibabacloud/credentials.ini, the ECS instance RAM role"
)


class AssumeRoleError(CredentialException):  # type: ignore[misc]
    """sts:AssumeRole failed; carries the STS error code for the coverage entry."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class FirstOf(ICredentialsProvider):  # type: ignore[misc]
    """The first provider that yields credentials (a profile in either file)."""

    def __init__(self, providers: Sequence[ICredentialsProvider], name: str) -> None:
        self._providers = list(providers)
        self._name = name
        self._chosen: ICredentialsProvider | None = None

    def get_credentials(self) -> Credentials:
        if self._chosen is not None:
            found: Credentials = self._chosen.get_credentials()
            return found
        problems = []
        for provider in self._providers:
            try:
                found = provider.get_credentials()
            except UNAVAILABLE as exc:
                problems.append(f"{type(provider).__name__}: {exc}")
                continue
            self._chosen = provider
            return found
        raise CredentialException(f"{self._name}: {'; '.join(problems)}")

    async def get_credentials_async(self) -> Credentials:
        return self.get_credentials()

    def get_provider_name(self) -> str:
        return self._name


class AssumedRole(ICredentialsProvider):  # type: ignore[misc]
    """Short-lived credentials of ``role_arn``, obtained with the base credentials."""

    def __init__(
        self, role_arn: str, assume: Callable[[str], Any], clock: Callable[[], float] = time.time
    ) -> None:
        self._role_arn = role_arn
        self._assume = assume
        self._clock = clock
        self._lock = threading.Lock()
        self._cached: Credentials | None = None

    def get_credentials(self) -> Credentials:
        with self._lock:
            cached = self._cached
            if cached is None or cached.get_expiration() - REFRESH_MARGIN_SECONDS <= self._clock():
                cached = self._cached = self._fresh()
            return cached

    async def get_credentials_async(self) -> Credentials:
        return self.get_credentials()

    def get_provider_name(self) -> str:
        return "cloudposture_assume_role"

    def _fresh(self) -> Credentials:
        from alibabacloud_tea_openapi.exceptions import AlibabaCloudException

        try:
            body = self._assume(self._role_arn)
        except AlibabaCloudException as exc:
            raise AssumeRoleError(str(exc.code or ""), _first_line(exc.message)) from None
        creds = body.credentials
        return Credentials(
            access_key_id=creds.access_key_id,
            access_key_secret=creds.access_key_secret,
            security_token=creds.security_token,
            expiration=_epoch(creds.expiration),
            provider_name=self.get_provider_name(),
        )

    def __repr__(self) -> str:
        return f"AssumedRole({self._role_arn})"


def base_provider(profile: str | None) -> ICredentialsProvider:
    """The default chain, or the named profile of the CLI file or the credentials file."""
    if profile:
        return FirstOf(
            [
                CLIProfileCredentialsProvider(profile_name=profile),
                ProfileCredentialsProvider(profile_name=profile),
            ],
            f"profile {profile}",
        )
    return DefaultCredentialsProvider()


def check_provider(provider: ICredentialsProvider, profile: str | None) -> None:
    """Fail early, in one line, when no credentials can be found at all (exit 2)."""
    try:
        provider.get_credentials()
    except UNAVAILABLE:
        where = f"profile '{profile}' in ~/.aliyun/config.json or ~/.alibabacloud/credentials.ini"
        raise ConfigurationError(
            f"alibaba: no Alibaba Cloud credentials found ({where if profile else CHAIN})"
        ) from None


def credential_client(provider: ICredentialsProvider) -> CredentialClient:
    return CredentialClient(provider=provider)


def _epoch(text: str | None) -> int:
    """STS gives ``2026-12-02T10:00:00Z``; unknown expiry: refresh after the session length."""
    if not text:
        return int(time.time()) + SESSION_SECONDS
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def _first_line(text: str | None) -> str:
    return " ".join(str(text or "").split())[:300]
