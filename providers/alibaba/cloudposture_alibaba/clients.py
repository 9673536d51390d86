"""Alibaba Cloud SDK clients built from explicit arguments: the seam tests use.

One :class:`AlibabaClients` per scanner: every client shares one credential, one optional
endpoint (every service at one base URL, e.g. a local fake over plain http) and one retry and
timeout policy. A client is built on first use per (service, region), under a lock, and never
at import time. Tests pass ``retry=None`` on error paths so a denied call fails at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from alibabacloud_credentials.client import Client as CredentialClient
from alibabacloud_cs20151215.client import Client as CsClient
from alibabacloud_ecs20140526.client import Client as EcsClient
from alibabacloud_kms20160120.client import Client as KmsClient
from alibabacloud_ram20150501.client import Client as RamClient
from alibabacloud_slb20140515.client import Client as SlbClient
from alibabacloud_sts20150401 import models as sts_models
from alibabacloud_sts20150401.client import Client as StsClient
from alibabacloud_tea_openapi.utils_models import Config
from darabonba.policy.retry import RetryOptions

from cloudposture_alibaba.credentials import SESSION_NAME, SESSION_SECONDS
from cloudposture_alibaba.logs import quiet_sdk_loggers

C = TypeVar("C")

THROTTLING_CODES = [
    "Throttling",
    "Throttling.User",
    "Throttling.Api",
    "Throttling.Resource",
    "ServiceUnavailable",
    "Rejected.Throttling",
]


def default_retry() -> RetryOptions:
    """Throttling is retried with jittered exponential backoff (Alibaba's limits are per API
    per second); a denial or a not-found is never retried."""
    return RetryOptions(
        {
            "retryable": True,
            "retryCondition": [
                {
                    "maxAttempts": 5,
                    "errorCode": THROTTLING_CODES,
                    "exception": ["ThrottlingException"],
                    "backoff": {"policy": "EqualJitter", "period": 200, "cap": 10000},
                    "maxDelay": 10000,
                }
            ],
        }
    )


@dataclass(frozen=True)
class ClientOptions:
    credential: CredentialClient
    endpoint: str | None = None
    """``host[:port]``: every service goes there; None: each service's regional endpoint."""
    protocol: str = "https"
    retry: RetryOptions | None = field(default_factory=default_retry)
    read_timeout_ms: int = 30_000
    connect_timeout_ms: int = 10_000


class AlibabaClients:
    """Lazily built, shared SDK clients (thread-safe: collectors run on worker threads)."""

    def __init__(self, options: ClientOptions) -> None:
        quiet_sdk_loggers()  # the SDK is imported by now: its request logging stays off
        self.options = options
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], Any] = {}

    def cs(self, region: str) -> CsClient:
        return self._get("cs", region, CsClient)

    def ecs(self, region: str) -> EcsClient:
        return self._get("ecs", region, EcsClient)

    def slb(self, region: str) -> SlbClient:
        return self._get("slb", region, SlbClient)

    def kms(self, region: str) -> KmsClient:
        return self._get("kms", region, KmsClient)

    def ram(self) -> RamClient:
        return self._get("ram", "cn-hangzhou", RamClient)  # RAM is global

    def sts(self) -> StsClient:
        return self._get("sts", "cn-hangzhou", StsClient)

    def _get(self, service: str, region: str, factory: Callable[[Config], C]) -> C:
        with self._lock:
            client = self._clients.get((service, region))
            if client is None:
                client = factory(self.config(region))
                self._clients[(service, region)] = client
            built: C = client
            return built

    def config(self, region: str, credential: CredentialClient | None = None) -> Config:
        o = self.options
        return Config(
            credential=credential or o.credential,
            region_id=region,
            endpoint=o.endpoint,
            protocol=o.protocol,
            read_timeout=o.read_timeout_ms,
            connect_timeout=o.connect_timeout_ms,
            retry_options=o.retry,
        )


def assume_role_call(
    base: CredentialClient,
    endpoint: str | None,
    protocol: str,
    retry: RetryOptions | None = None,
) -> Callable[[str], Any]:
    """``sts:AssumeRole`` with the base credentials, at ``endpoint`` when one is given."""
    quiet_sdk_loggers()

    def assume(role_arn: str) -> Any:
        config = Config(
            credential=base,
            region_id="cn-hangzhou",
            endpoint=endpoint,
            protocol=protocol,
            retry_options=retry,
        )
        request = sts_models.AssumeRoleRequest(
            role_arn=role_arn, role_session_name=SESSION_NAME, duration_seconds=SESSION_SECONDS
        )
        return StsClient(config).assume_role(request).body

    return assume
