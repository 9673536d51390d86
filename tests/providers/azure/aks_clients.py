"""A fake TokenCredential and a scanner whose real SDK clients point at the fake ARM."""

from __future__ import annotations

import time
from typing import Any

from azure.core.credentials import AccessToken
from cloudposture_azure.adapter import AzureScanner
from cloudposture_azure.clients import AzureClients
from cloudposture_azure.clouds import CLOUDS

from tests.providers.azure.aks_fake import GRAPH_TOKEN, TOKEN, FakeArm


class FakeCredential:
    """A TokenCredential that hands out the fake's tokens (an ARM one, and a Graph one for the
    Graph scope) and records the scopes it is asked for."""

    def __init__(self, token: str = TOKEN, graph_token: str = GRAPH_TOKEN) -> None:
        self.token = token
        self.graph_token = graph_token
        self.calls = 0
        self.scopes: list[str] = []

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.calls += 1
        self.scopes.extend(scopes)
        graph = scopes == (CLOUDS["AzurePublicCloud"].graph_scope,)
        return AccessToken(self.graph_token if graph else self.token, int(time.time()) + 3600)


def make_clients(fake: FakeArm, credential: Any = None, graph: Any = "same") -> AzureClients:
    """Real clients on the fake for ARM and Graph; ``graph`` None: no Graph credential."""
    arm = credential or FakeCredential()
    return AzureClients(
        arm,
        fake.url,
        audience="https://management.azure.com",
        retry_total=0,
        graph_endpoint=fake.url,
        graph_scope=CLOUDS["AzurePublicCloud"].graph_scope,
        graph_credential=arm if graph == "same" else graph,
    )


def make_scanner(fake: FakeArm, subscriptions: tuple[str, ...] = ()) -> AzureScanner:
    return AzureScanner(make_clients(fake), subscriptions)
