"""Google SDK clients built from explicit arguments: the seam tests use.

One :class:`GoogleClients` per scanner: the clients share one set of credentials, one
optional endpoint (every API at one base URL, with the REST transport) and one retry and
timeout policy. Clients are created on first use, under a lock, and never at import time.
Tests pass ``AnonymousCredentials`` explicitly (leaving credentials out would make the SDK
look for Application Default Credentials) and ``retry=None`` on error paths.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import google.auth
import requests
from google.api_core import gapic_v1
from google.auth import impersonated_credentials
from google.auth.credentials import Credentials
from google.auth.exceptions import DefaultCredentialsError
from google.cloud import compute_v1, container_v1, kms_v1, resourcemanager_v3
from google.oauth2 import credentials as oauth2_credentials

from cloudposture.model import ConfigurationError
from cloudposture.plugin.deadline import requests_adapter
from cloudposture_gcp.settings import TOKEN_ENV

CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"
DEFAULT = gapic_v1.method.DEFAULT
"""Use the SDK's own retry policy (retry=None disables retries)."""

C = TypeVar("C")


@dataclass(frozen=True)
class ClientOptions:
    credentials: Credentials
    endpoint: str | None = None
    retry: Any = DEFAULT
    timeout: float = 60.0
    """Per socket operation (the SDK's own timeout; it restarts with every byte read)."""
    deadline: float = 120.0
    """Per HTTP attempt: connect and the whole answer together (cloudposture.plugin.deadline)."""


def resolve_credentials(
    impersonate: str | None = None, environ: Mapping[str, str] | None = None
) -> Credentials:
    """Credentials as Google's own tools find them.

    A static access token in ``GOOGLE_OAUTH_ACCESS_TOKEN`` wins (what CI pipelines with
    workload identity federation hand out); otherwise Application Default Credentials.
    ``impersonate`` wraps either in short-lived credentials of that service account.
    """
    env = os.environ if environ is None else environ
    token = env.get(TOKEN_ENV, "").strip()
    base: Credentials
    if token:
        base = oauth2_credentials.Credentials(token)  # type: ignore[no-untyped-call]
    else:
        try:
            base, _ = google.auth.default(scopes=[CLOUD_PLATFORM])
        except DefaultCredentialsError:
            raise ConfigurationError(
                f"gcp: no Google credentials found: set {TOKEN_ENV}, or run "
                "'gcloud auth application-default login', or set GOOGLE_APPLICATION_CREDENTIALS"
            ) from None
    if impersonate:
        return impersonated_credentials.Credentials(  # type: ignore[no-untyped-call]
            source_credentials=base,
            target_principal=impersonate,
            target_scopes=[CLOUD_PLATFORM],
            lifetime=3600,
        )
    return base


class GoogleClients:
    """Lazily built, shared SDK clients (thread-safe: methods run on worker threads)."""

    def __init__(self, options: ClientOptions) -> None:
        self.options = options
        self._lock = threading.Lock()
        self._clients: dict[str, Any] = {}

    @property
    def call(self) -> dict[str, Any]:
        """Keyword arguments for every RPC: the retry and timeout policy."""
        return {"retry": self.options.retry, "timeout": self.options.timeout}

    def clusters(self) -> container_v1.ClusterManagerClient:
        return self._get("container", container_v1.ClusterManagerClient)

    def networks(self) -> compute_v1.NetworksClient:
        return self._get("networks", compute_v1.NetworksClient)

    def region_firewall_policies(self) -> compute_v1.RegionNetworkFirewallPoliciesClient:
        return self._get("region_firewall_policies", compute_v1.RegionNetworkFirewallPoliciesClient)

    def projects(self) -> resourcemanager_v3.ProjectsClient:
        return self._get("projects", resourcemanager_v3.ProjectsClient)

    def folders(self) -> resourcemanager_v3.FoldersClient:
        return self._get("folders", resourcemanager_v3.FoldersClient)

    def organizations(self) -> resourcemanager_v3.OrganizationsClient:
        return self._get("organizations", resourcemanager_v3.OrganizationsClient)

    def kms(self) -> kms_v1.KeyManagementServiceClient:
        return self._get("kms", kms_v1.KeyManagementServiceClient)

    def _get(self, key: str, factory: Callable[..., C]) -> C:
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = factory(**self._client_kwargs())
                self._bound(client)
                self._clients[key] = client
            return client

    def _bound(self, client: Any) -> None:
        """Give every request of ``client`` a total deadline: the REST transport keeps its
        requests session in ``_session`` (typed there as an AuthorizedSession)."""
        session = getattr(client.transport, "_session", None)
        if not isinstance(session, requests.Session):
            raise TypeError(f"{type(client).__name__}: no requests session to bound")
        adapter = requests_adapter(self.options.deadline)
        session.mount("https://", adapter)
        session.mount("http://", adapter)

    def _client_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"credentials": self.options.credentials, "transport": "rest"}
        if self.options.endpoint:
            kwargs["client_options"] = {"api_endpoint": self.options.endpoint}
        return kwargs
