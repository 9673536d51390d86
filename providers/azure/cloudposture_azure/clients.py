"""Azure SDK clients built from explicit arguments: the seam tests use to reach a local fake.

Nothing here runs at import time. :class:`AzureClients` holds one credential and one ARM
endpoint and creates each management client once per subscription (thread-safe), so worker
threads share HTTP connections and token caches instead of building a pipeline per call.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import requests
from azure.core.credentials import AccessToken, TokenCredential
from azure.core.pipeline import PipelineRequest
from azure.core.pipeline.policies import SansIOHTTPPolicy
from azure.core.pipeline.transport import RequestsTransport
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.containerservice import ContainerServiceClient
from azure.mgmt.keyvault import KeyVaultManagementClient
from azure.mgmt.managementgroups import ManagementGroupsMgmtClient
from azure.mgmt.monitor import MonitorManagementClient
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.subscription import SubscriptionClient
from urllib3.util.retry import Retry

from cloudposture.endpoints import is_loopback_url
from cloudposture.plugin.deadline import requests_adapter
from cloudposture.plugin.lookup import SharedLookup
from cloudposture_azure.clouds import Cloud, check_endpoint
from cloudposture_azure.graph import GraphClient

TOKEN_ENV = "CLOUDPOSTURE_AZURE_TOKEN"  # noqa: S105 - the variable's name, not a token
GRAPH_TOKEN_ENV = "CLOUDPOSTURE_AZURE_GRAPH_TOKEN"  # noqa: S105 - a name, not a token
NO_GRAPH_TOKEN = (
    f"{TOKEN_ENV} holds a Resource Manager token, which Microsoft Graph does not accept: set "
    f"{GRAPH_TOKEN_ENV} to a Graph token (Application.Read.All) to judge clusters that use a "
    "service principal"
)


class StaticTokenCredential:
    """A TokenCredential around a bearer token the pipeline already holds.

    The expiry is unknown, so it is reported an hour ahead; ARM rejects an expired token with
    401, which the adapter records as a denied call.
    """

    def __init__(self, token: str) -> None:
        self._token = token

    def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        return AccessToken(self._token, int(time.time()) + 3600)

    def __repr__(self) -> str:  # never show the token in a log or traceback
        return "StaticTokenCredential(<redacted>)"


class AllowLoopbackHttp(SansIOHTTPPolicy[Any, Any]):
    """Lets the bearer-token policy send to a plain-http loopback endpoint (tests, proxies).

    Only installed when the endpoint was checked to be loopback by :func:`check_endpoint`, and
    re-checks every request, so a nextLink pointing elsewhere still needs https.
    """

    def on_request(self, request: PipelineRequest[Any]) -> None:
        if is_loopback_url(request.http_request.url):
            request.context.options["enforce_https"] = False


def bounded_transport(deadline: float, timeout: float) -> RequestsTransport:
    """azure-core's requests transport, every request of it bounded by ``deadline`` in total
    (and each socket operation by ``timeout``).

    Configured as RequestsTransport configures its own session (environment proxy settings,
    no urllib3-level retries: azure-core's RetryPolicy retries)."""
    session = requests.Session()
    adapter = requests_adapter(
        deadline, max_retries=Retry(total=False, redirect=False, raise_on_status=False)
    )
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return RequestsTransport(
        session=session, session_owner=False, connection_timeout=timeout, read_timeout=timeout
    )


def make_credential(cloud: Cloud, environ: Mapping[str, str] | None = None) -> TokenCredential:
    """``CLOUDPOSTURE_AZURE_TOKEN`` when set, else DefaultAzureCredential for ``cloud``."""
    env = os.environ if environ is None else environ
    token = env.get(TOKEN_ENV, "").strip()
    if token:
        return StaticTokenCredential(token)
    from azure.identity import DefaultAzureCredential

    return DefaultAzureCredential(authority=cloud.authority)


def make_graph_credential(
    arm: TokenCredential, environ: Mapping[str, str] | None = None
) -> TokenCredential | None:
    """``CLOUDPOSTURE_AZURE_GRAPH_TOKEN`` when set; else the ARM credential, asked for the
    Graph scope; None when that credential is a static ARM token (Graph would refuse it)."""
    env = os.environ if environ is None else environ
    token = env.get(GRAPH_TOKEN_ENV, "").strip()
    if token:
        return StaticTokenCredential(token)
    return None if isinstance(arm, StaticTokenCredential) else arm


@dataclass
class AzureClients:
    """Management clients for one credential and ARM endpoint, created once per subscription."""

    credential: TokenCredential
    arm_endpoint: str
    audience: str
    retry_total: int | None = None
    timeout: float = 60
    """Per socket operation (it restarts with every byte read)."""
    deadline: float = 120
    """Per call, every attempt and retry wait included (azure-core's RetryPolicy ``timeout``);
    within it each HTTP attempt, connect and the whole answer together, is cut at the same
    deadline by the transport (cloudposture.plugin.deadline)."""
    graph_endpoint: str = "https://graph.microsoft.com"
    graph_scope: str = "https://graph.microsoft.com/.default"
    graph_credential: TokenCredential | None = None
    """None: no usable Graph token (see :data:`NO_GRAPH_TOKEN`)."""
    _lookups: dict[str, SharedLookup[str, Any]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.arm_endpoint = check_endpoint(self.arm_endpoint)
        self.graph_endpoint = check_endpoint(self.graph_endpoint, "--graph-endpoint")
        self._graph: SharedLookup[str, GraphClient] = SharedLookup(lambda _: self._build_graph())
        self._transport = bounded_transport(self.deadline, self.timeout)
        self._lookups = {
            "containerservice": SharedLookup(lambda s: self._build(ContainerServiceClient, s)),
            "network": SharedLookup(lambda s: self._build(NetworkManagementClient, s)),
            "authorization": SharedLookup(lambda s: self._build(AuthorizationManagementClient, s)),
            "monitor": SharedLookup(lambda s: self._build(MonitorManagementClient, s)),
            "keyvault": SharedLookup(lambda s: self._build(KeyVaultManagementClient, s)),
        }

    @property
    def scope(self) -> str:
        return self.audience.rstrip("/") + "/.default"

    def _options(self) -> dict[str, Any]:
        options: dict[str, Any] = {
            "base_url": self.arm_endpoint,
            "credential_scopes": [self.scope],
            "transport": self._transport,
            # azure-core's RetryPolicy ``timeout``: the whole call, retries and their waits
            # included, ends within the deadline (each attempt alone is bounded by the
            # transport; without this, four attempts and their backoff took four deadlines)
            "timeout": self.deadline,
        }
        if self.retry_total is not None:
            options["retry_total"] = self.retry_total
        if urlparse(self.arm_endpoint).scheme == "http":
            options["per_call_policies"] = [AllowLoopbackHttp()]
        return options

    def _build(self, cls: Any, subscription_id: str) -> Any:
        return cls(self.credential, subscription_id, **self._options())

    def graph(self) -> GraphClient | None:
        """The Graph client, or None without a usable Graph credential."""
        if self.graph_credential is None:
            return None
        return self._graph.get("graph")

    def _build_graph(self) -> GraphClient:
        assert self.graph_credential is not None
        loopback = urlparse(self.graph_endpoint).scheme == "http"
        return GraphClient(
            self.graph_credential,
            self.graph_endpoint,
            self.graph_scope,
            retry_total=self.retry_total,
            timeout=self.timeout,
            per_call=[AllowLoopbackHttp()] if loopback else None,
            transport=self._transport,
        )

    def subscriptions(self) -> SubscriptionClient:
        return SubscriptionClient(self.credential, **self._options())

    def management_groups(self) -> ManagementGroupsMgmtClient:
        return ManagementGroupsMgmtClient(self.credential, **self._options())

    def containerservice(self, subscription_id: str) -> ContainerServiceClient:
        client: ContainerServiceClient = self._lookups["containerservice"].get(subscription_id)
        return client

    def network(self, subscription_id: str) -> NetworkManagementClient:
        client: NetworkManagementClient = self._lookups["network"].get(subscription_id)
        return client

    def authorization(self, subscription_id: str) -> AuthorizationManagementClient:
        client: AuthorizationManagementClient = self._lookups["authorization"].get(subscription_id)
        return client

    def monitor(self, subscription_id: str) -> MonitorManagementClient:
        client: MonitorManagementClient = self._lookups["monitor"].get(subscription_id)
        return client

    def keyvault(self, subscription_id: str) -> KeyVaultManagementClient:
        client: KeyVaultManagementClient = self._lookups["keyvault"].get(subscription_id)
        return client
