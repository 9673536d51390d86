"""Fixtures: a throwaway API signing key and config file, the fake OCI API with the tenancy of
oke_world, and real ``oci`` clients pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import oci
import pytest
from cloudposture_oci.adapter import OciScanner
from cloudposture_oci.clients import NO_RETRY, ClientOptions, OciClients, load_config
from cloudposture_oci.settings import OciSettings
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.providers.oci.fake_oci import FakeOci, World
from tests.providers.oci.oke_world import ASHBURN, TENANCY, build_world

USER = "ocid1.user.oc1..aaaascanner"


@dataclass(frozen=True)
class Credentials:
    config_file: Path
    config: dict[str, Any]
    fingerprint: str


def write_credentials(folder: Path) -> Credentials:
    """An RSA key made for this run and an OCI config file naming it, in ``folder``."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = folder / "key.pem"
    key_file.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    fingerprint = "12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0"
    config_file = folder / "config"
    config_file.write_text(
        "[DEFAULT]\n"
        f"user={USER}\nfingerprint={fingerprint}\ntenancy={TENANCY}\nregion={ASHBURN}\n"
        f"key_file={key_file}\n"
    )
    return Credentials(config_file, load_config(str(config_file), "DEFAULT"), fingerprint)


@contextmanager
def serving_tenancy(credentials: Credentials) -> Iterator[FakeOci]:
    """The fake OCI API on a loopback port, holding oke_world's tenancy."""
    serializer = oci.container_engine.ContainerEngineClient(credentials.config).base_client
    fake = FakeOci(World(tenancy=TENANCY), serializer.sanitize_for_serialization)
    with fake.running() as running:
        running.world = build_world(running.base_url)
        yield running


@pytest.fixture(scope="session")
def credentials(tmp_path_factory: pytest.TempPathFactory) -> Credentials:
    return write_credentials(tmp_path_factory.mktemp("oci"))


@pytest.fixture
def api(credentials: Credentials) -> Iterator[FakeOci]:
    with serving_tenancy(credentials) as running:
        yield running


@pytest.fixture
def world(api: FakeOci) -> World:
    return api.world


def make_clients(api: FakeOci, credentials: Credentials) -> OciClients:
    """Real SDK clients over a real socket, signing with the throwaway key; no retries."""
    return OciClients(
        ClientOptions(
            config=credentials.config,
            tenancy_id=TENANCY,
            endpoint=api.endpoint,
            retry=NO_RETRY,
            timeout=(5.0, 5.0),
        )
    )


def make_scanner(api: FakeOci, credentials: Credentials, **settings: Any) -> OciScanner:
    checked = OciSettings.from_mapping({"endpoint": api.endpoint, **settings}, environ={})
    return OciScanner(checked, make_clients(api, credentials))
