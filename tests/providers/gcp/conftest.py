"""Fixtures: the fake Google API with the issue's world, and real clients pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cloudposture_gcp.adapter import GcpScanner
from cloudposture_gcp.clients import ClientOptions, GoogleClients
from cloudposture_gcp.settings import GcpSettings
from google.auth.credentials import AnonymousCredentials, Credentials

from tests.providers.gcp.fake_api import FakeGoogleApi, World
from tests.providers.gcp.fixtures import issue_world


@pytest.fixture
def world() -> World:
    return issue_world()


@pytest.fixture
def api(world: World) -> Iterator[FakeGoogleApi]:
    with FakeGoogleApi(world).running() as running:
        yield running


def anonymous() -> Credentials:
    """Explicit anonymous credentials: leaving them out would make the SDK look for ADC."""
    return AnonymousCredentials()  # type: ignore[no-untyped-call]


def make_clients(api: FakeGoogleApi) -> GoogleClients:
    """Real SDK clients over a real socket; anonymous (never ADC), no retries, short timeout."""
    return GoogleClients(
        ClientOptions(credentials=anonymous(), endpoint=api.base_url, retry=None, timeout=5)
    )


def make_scanner(api: FakeGoogleApi, *projects: str, **settings: object) -> GcpScanner:
    return GcpScanner(GcpSettings(projects=projects, **settings), make_clients(api))  # type: ignore[arg-type]
