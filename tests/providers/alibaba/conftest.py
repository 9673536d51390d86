"""Fixtures: a fake Alibaba Cloud on 127.0.0.1, the Done-when world on it, and a scanner."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cloudposture_alibaba.adapter import AckScanner
from cloudposture_alibaba.clients import AlibabaClients, ClientOptions
from cloudposture_alibaba.credentials import credential_client
from cloudposture_alibaba.settings import AlibabaSettings

from tests.providers.alibaba.fake_api import (
    ACCESS_KEY_ID,
    ACCESS_KEY_SECRET,
    FakeAlibaba,
    Running,
)
from tests.providers.alibaba.fixtures import serve_world
from tests.providers.alibaba.world import World


@pytest.fixture
def fake() -> Iterator[FakeAlibaba]:
    api = FakeAlibaba()
    with Running(api):
        yield api


@pytest.fixture
def world(fake: FakeAlibaba) -> World:
    w = World(fake)
    serve_world(w)
    return w


def static_provider() -> object:
    from alibabacloud_credentials.provider import StaticAKCredentialsProvider

    return StaticAKCredentialsProvider(
        access_key_id=ACCESS_KEY_ID, access_key_secret=ACCESS_KEY_SECRET
    )


def make_scanner(fake: FakeAlibaba, page_size: int = 50, **settings: object) -> AckScanner:
    checked = AlibabaSettings.from_mapping({"endpoint": fake.url, **settings})
    options = ClientOptions(
        credential=credential_client(static_provider()),  # type: ignore[arg-type]
        endpoint=fake.host,
        protocol="http",
        retry=None,
    )
    return AckScanner(checked, AlibabaClients(options), page_size=page_size)


@pytest.fixture
def scanner(world: World) -> AckScanner:
    return make_scanner(world.fake)
