"""Microsoft Graph, for the one thing ARM cannot say: a service principal's object id.

An AKS cluster created with a service principal names it by its application (client) id
(``servicePrincipalProfile.clientId``), while role assignments name principals by object id.
``GET /v1.0/servicePrincipals(appId='{appId}')?$select=id,appId,displayName`` maps one to the
other. It needs the Graph application permission ``Application.Read.All`` (or
``Directory.Read.All``) for the scanning identity, and a token for the cloud's Graph audience.

The request goes through an azure-core pipeline (retry, bearer token, the same transport
settings as the ARM clients), so failures arrive as the same exception types the ARM clients
raise and :mod:`errors` turns them into the same CollectionErrors.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from azure.core import PipelineClient
from azure.core.credentials import TokenCredential
from azure.core.exceptions import HttpResponseError, ODataV4Format
from azure.core.pipeline.policies import (
    BearerTokenCredentialPolicy,
    HeadersPolicy,
    HTTPPolicy,
    RetryPolicy,
    SansIOHTTPPolicy,
    UserAgentPolicy,
)
from azure.core.rest import HttpRequest

CALL = "graph:ServicePrincipals.GetByAppId"
SELECT = "id,appId,displayName"
PERMISSION = "Application.Read.All"


class GraphClient:
    """A minimal Graph client: one GET, strictly the fields the scan needs."""

    def __init__(
        self,
        credential: TokenCredential,
        endpoint: str,
        scope: str,
        *,
        retry_total: int | None = None,
        timeout: float = 60,
        per_call: list[SansIOHTTPPolicy[Any, Any]] | None = None,
        transport: Any = None,
    ) -> None:
        retry = RetryPolicy() if retry_total is None else RetryPolicy(retry_total=retry_total)
        policies: list[HTTPPolicy[Any, Any] | SansIOHTTPPolicy[Any, Any]] = [
            HeadersPolicy(),
            UserAgentPolicy(sdk_moniker="cloudposture"),
            *(per_call or []),
            retry,
            BearerTokenCredentialPolicy(credential, scope),
        ]
        self._endpoint = endpoint.rstrip("/")
        self._timeout = timeout
        self._client: PipelineClient[Any, Any] = PipelineClient(
            base_url=self._endpoint, policies=policies, transport=transport
        )

    def service_principal(self, app_id: str) -> dict[str, Any]:
        """The servicePrincipal with ``app_id`` (``id`` is its object id).

        Raises the azure-core exception of the failure (HttpResponseError for an answer
        other than 200, with Graph's OData error code)."""
        literal = quote(app_id.replace("'", "''"), safe="")  # an OData string literal
        request = HttpRequest(
            "GET",
            f"{self._endpoint}/v1.0/servicePrincipals(appId='{literal}')",
            params={"$select": SELECT},
            headers={"Accept": "application/json"},
        )
        response = self._client.send_request(
            request, connection_timeout=self._timeout, read_timeout=self._timeout
        )
        if response.status_code != 200:
            raise HttpResponseError(response=response, error_format=ODataV4Format)
        body = response.json()
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            raise HttpResponseError(
                message=f"Graph answered without a service principal id for appId {app_id}",
                response=response,
            )
        return body
