"""Assumed-role credentials that renew themselves, as botocore renews a ``role_arn`` profile's.

Why not a static session: sts:AssumeRole credentials last one hour by default, so a long scan
with ``--role-arn``, or an organization fan-out that reaches a member late, would fail half-way
with ExpiredToken. botocore's own pieces do the renewing (the ones its ``AssumeRoleProvider``
wires for a profile): an :class:`AssumeRoleCredentialFetcher` calls sts:AssumeRole and a
:class:`RefreshableCredentials` asks it again before expiry. Inside the advisory window
(15 minutes before expiry) one thread renews while the others go on with the current
credentials; inside the mandatory window (10 minutes) every thread waits for the new ones.
Unlike botocore's deferred variant, the first AssumeRole runs at once, so a role that cannot be
assumed is a setup error rather than a failure of the first API call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.session
from botocore.credentials import (
    AssumeRoleCredentialFetcher,
    CredentialProvider,
    CredentialResolver,
    Credentials,
    RefreshableCredentials,
)

SESSION_NAME = "cloudposture"
METHOD = "assume-role"


@dataclass(frozen=True)
class RefreshWindow:
    """Seconds before expiry at which assumed-role credentials are renewed.

    ``None`` keeps botocore's defaults (advisory 15 minutes, mandatory 10 minutes), the same as
    for a ``role_arn`` profile. Tests widen the windows past the credentials' lifetime so the
    credentials count as near expiry at once, without touching the clock.
    """

    advisory_seconds: int | None = None
    mandatory_seconds: int | None = None


def refreshable_role_credentials(
    create_client: Callable[..., Any],
    source: Credentials,
    role_arn: str,
    external_id: str | None,
    window: RefreshWindow,
) -> RefreshableCredentials:
    """Credentials for ``role_arn`` (session name ``cloudposture``), assumed now and renewed
    by botocore before they expire. ``create_client`` is called like
    ``Session.create_client('sts', aws_access_key_id=..., ...)`` with ``source``'s current keys,
    so a source that refreshes itself (a chained role, SSO) stays valid too. Raises what
    sts:AssumeRole raises."""
    extra: dict[str, Any] = {"RoleSessionName": SESSION_NAME}
    if external_id:
        extra["ExternalId"] = external_id
    fetcher = AssumeRoleCredentialFetcher(
        client_creator=create_client,
        source_credentials=source,
        role_arn=role_arn,
        extra_args=extra,
        # the fetcher's own cache must not hand back credentials the window calls stale
        expiry_window_seconds=window.advisory_seconds,
    )
    return RefreshableCredentials.create_from_metadata(
        metadata=fetcher.fetch_credentials(),
        refresh_using=fetcher.fetch_credentials,
        method=METHOD,
        advisory_timeout=window.advisory_seconds,
        mandatory_timeout=window.mandatory_seconds,
    )


class _GivenCredentials(CredentialProvider):
    """A credential provider that answers with credentials made elsewhere."""

    METHOD = METHOD
    CANONICAL_NAME = "cloudposture-assume-role"

    def __init__(self, credentials: Credentials) -> None:
        super().__init__()
        self._credentials = credentials

    def load(self) -> Credentials:
        return self._credentials


def session_with_credentials(
    credentials: Credentials, profile: str | None, region: str | None
) -> boto3.Session:
    """A boto3 session whose clients sign with ``credentials`` (refreshable ones included).

    boto3.Session(aws_access_key_id=...) only takes static keys. The public route for any other
    credentials is the botocore session's ``credential_provider`` component: a resolver whose
    one provider returns them. The same profile as the caller's keeps its non-credential
    settings (region, ca_bundle, retry and endpoint settings) for the assumed clients.
    """
    core = botocore.session.Session(profile=profile)
    resolver = CredentialResolver([_GivenCredentials(credentials)])
    core.register_component("credential_provider", resolver)
    return boto3.Session(botocore_session=core, region_name=region)
