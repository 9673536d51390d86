"""OCI SDK clients built from explicit arguments: the seam tests use.

One :class:`OciClients` per scanner: the clients share one config dict and signer, one
optional endpoint (every service at one base URL: the API version path prefixes keep the
services apart) and one retry and timeout policy. Clients are made on first use, one per
(service, region, thread): the SDK's clients are not documented as thread-safe, and a
client's region is fixed at creation. Nothing is created at import time.

Credentials are found as the OCI CLI finds them: an API key from the config file and
profile, or an instance / resource principal. Their values never leave the SDK: no key,
token or passphrase is logged, printed or put in the model.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import oci

from cloudposture.model import ConfigurationError
from cloudposture_oci.settings import REGION_PLACEHOLDER, OciSettings

C = TypeVar("C")
DEFAULT_RETRY: Any = oci.retry.DEFAULT_RETRY_STRATEGY
NO_RETRY: Any = oci.retry.NoneRetryStrategy()


@dataclass(frozen=True)
class ClientOptions:
    config: Mapping[str, Any]
    """An OCI SDK config dict (``tenancy``, ``region``; for API keys ``user``,
    ``fingerprint``, ``key_file`` or ``key_content``)."""
    tenancy_id: str
    signer: Any = None
    endpoint: str | None = None
    retry: Any = field(default=DEFAULT_RETRY)
    timeout: tuple[float, float] = (10.0, 60.0)


def resolve_options(
    settings: OciSettings, environ: Mapping[str, str] | None = None
) -> ClientOptions:
    """Config and signer for ``settings.auth``; ConfigurationError (one line) when missing."""
    env = os.environ if environ is None else environ
    if settings.auth == "instance_principal":
        try:
            signer = oci.auth.signers.InstancePrincipalsSecurityTokenSigner()
        except Exception as exc:  # noqa: BLE001 - any failure here means "not on an instance"
            raise ConfigurationError(
                f"oci: instance principal credentials unavailable ({type(exc).__name__}); "
                "run on an OCI instance in a dynamic group, or use --auth api_key"
            ) from None
        return ClientOptions(
            config={"region": signer.region},
            tenancy_id=signer.tenancy_id,
            signer=signer,
            endpoint=settings.endpoint,
        )
    if settings.auth == "resource_principal":
        try:
            signer = oci.auth.signers.get_resource_principals_signer()
        except Exception as exc:  # noqa: BLE001 - missing OCI_RESOURCE_PRINCIPAL_* variables
            raise ConfigurationError(
                f"oci: resource principal credentials unavailable ({type(exc).__name__}); "
                "set the OCI_RESOURCE_PRINCIPAL_* variables or use --auth api_key"
            ) from None
        tenancy = getattr(signer, "tenancy_id", None) or env.get(
            "OCI_RESOURCE_PRINCIPAL_TENANCY_ID"
        )
        if not tenancy:
            raise ConfigurationError("oci: the resource principal does not name its tenancy")
        return ClientOptions(
            config={"region": signer.region},
            tenancy_id=str(tenancy),
            signer=signer,
            endpoint=settings.endpoint,
        )
    config = load_config(settings.config_file, settings.profile)
    try:
        signer = api_key_signer(config)
    except (oci.exceptions.ClientError, ValueError, OSError) as exc:
        raise ConfigurationError(
            f"oci: cannot load the API signing key of profile {settings.profile!r} in "
            f"{settings.config_file}: {type(exc).__name__}"
        ) from None
    return ClientOptions(
        config=config, tenancy_id=str(config["tenancy"]), signer=signer, endpoint=settings.endpoint
    )


def api_key_signer(config: Mapping[str, Any]) -> Any:
    """The request signer of an API-key profile (key from ``key_file`` or ``key_content``)."""
    return oci.signer.Signer(
        tenancy=config["tenancy"],
        user=config["user"],
        fingerprint=config["fingerprint"],
        private_key_file_location=config.get("key_file"),
        pass_phrase=config.get("pass_phrase"),
        private_key_content=config.get("key_content"),
    )


def load_config(path: str, profile: str) -> dict[str, Any]:
    """The profile of an OCI config file, validated; errors name the file, never a value."""
    try:
        config: dict[str, Any] = oci.config.from_file(
            file_location=os.path.expanduser(path), profile_name=profile
        )
        oci.config.validate_config(config)
    except oci.exceptions.ConfigFileNotFound:
        raise ConfigurationError(
            f"oci: config file {path} not found (give --config-file, set OCI_CONFIG_FILE, or "
            "run 'oci setup config')"
        ) from None
    except oci.exceptions.ProfileNotFound:
        raise ConfigurationError(f"oci: profile {profile!r} not found in {path}") from None
    except oci.exceptions.InvalidConfig as exc:
        fields = ", ".join(sorted(getattr(exc, "errors", {}) or {})) or "see the file"
        raise ConfigurationError(
            f"oci: profile {profile!r} in {path} is invalid: {fields}"
        ) from None
    except oci.exceptions.ClientError as exc:
        raise ConfigurationError(f"oci: cannot use {path}: {type(exc).__name__}") from None
    return config


class OciClients:
    """Lazily built SDK clients, one per (service, region) on each worker thread."""

    def __init__(self, options: ClientOptions) -> None:
        self.options = options
        self._local = threading.local()
        # One signer for every client: the SDK would otherwise load and check the private key
        # again for each client it builds (about a tenth of a second each).
        self._signer: Any = options.signer
        if self._signer is None and options.config.get("user"):
            self._signer = api_key_signer(options.config)

    @property
    def tenancy_id(self) -> str:
        return self.options.tenancy_id

    @property
    def home_region(self) -> str:
        return str(self.options.config.get("region") or "")

    @property
    def call(self) -> dict[str, Any]:
        """Keyword arguments for every operation: the retry policy."""
        return {"retry_strategy": self.options.retry}

    def identity(self, region: str) -> oci.identity.IdentityClient:
        return self._get("identity", region, oci.identity.IdentityClient)

    def container_engine(self, region: str) -> oci.container_engine.ContainerEngineClient:
        return self._get("ce", region, oci.container_engine.ContainerEngineClient)

    def network(self, region: str) -> oci.core.VirtualNetworkClient:
        return self._get("network", region, oci.core.VirtualNetworkClient)

    def compute(self, region: str) -> oci.core.ComputeClient:
        return self._get("compute", region, oci.core.ComputeClient)

    def vaults(self, region: str) -> oci.key_management.KmsVaultClient:
        return self._get("vaults", region, oci.key_management.KmsVaultClient)

    def logging(self, region: str) -> oci.logging.LoggingManagementClient:
        return self._get("logging", region, oci.logging.LoggingManagementClient)

    def keys(self, region: str, management_endpoint: str) -> oci.key_management.KmsManagementClient:
        """KMS key management is served by each vault's own ``managementEndpoint``."""
        return self._get(
            f"keys {management_endpoint}",
            region,
            oci.key_management.KmsManagementClient,
            endpoint=management_endpoint,
        )

    def _get(
        self, service: str, region: str, factory: Callable[..., C], endpoint: str | None = None
    ) -> C:
        cache: dict[tuple[str, str], Any] = self._local.__dict__.setdefault("clients", {})
        client = cache.get((service, region))
        if client is None:
            client = factory(**self._kwargs(region, endpoint))
            cache[(service, region)] = client
        return client

    def _kwargs(self, region: str, endpoint: str | None) -> dict[str, Any]:
        config = {**self.options.config, "region": region or self.home_region}
        kwargs: dict[str, Any] = {
            "config": config,
            "retry_strategy": self.options.retry,
            "timeout": self.options.timeout,
        }
        if self._signer is not None:
            kwargs["signer"] = self._signer
        base = endpoint or self.options.endpoint
        if base:
            kwargs["service_endpoint"] = base.replace(REGION_PLACEHOLDER, region)
        return kwargs


def to_json(client: Any, model: Any) -> Any:
    """An SDK model as the REST JSON (camelCase) the normalizers read."""
    return client.base_client.sanitize_for_serialization(model)
