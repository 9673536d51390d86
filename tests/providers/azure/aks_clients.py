"""A fake TokenCredential and a scanner whose real SDK clients point at the fake ARM."""

from __future__ import annotations

import time
from typing import Any

from azure.core.credentials import AccessToken
from cloudposture_azure.adapter import AzureScanner
from cloudposture_azure.clients import AzureClients

from tests.providers.azure.aks_fake import TOKEN, FakeArm


class FakeCredential:
    """A TokenCredential that hands out the fake's token and counts how often it is asked."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls = 0

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.calls += 1
        return AccessToken(self.token, int(time.time()) + 3600)


def make_clients(fake: FakeArm, credential: Any = None) -> AzureClients:
    return AzureClients(
        credential or FakeCredential(),
        fake.url,
        audience="https://management.azure.com",
        retry_total=0,
    )


def make_scanner(fake: FakeArm, subscriptions: tuple[str, ...] = ()) -> AzureScanner:
    return AzureScanner(make_clients(fake), subscriptions)
