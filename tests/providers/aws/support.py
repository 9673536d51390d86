"""Shared helpers for the AWS provider tests: real boto3 clients, a call recorder."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import date
from typing import Any

import boto3
from cloudposture_aws.adapter import EksScanner
from cloudposture_aws.clients import AwsSettings, ClientFactory, base_session
from cloudposture_aws.lookups import ACCOUNT_IAM_AFTER

KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
TODAY = date(2026, 11, 23)


def scanner(
    settings: Mapping[str, Any],
    today: date = TODAY,
    workers: int = 4,
    account_iam_after: int = ACCOUNT_IAM_AFTER,
) -> EksScanner:
    """A scanner built exactly as the plugin builds it, with a fixed 'today' (and, for tests
    of both IAM read paths, the cluster count above which IAM is read account-wide)."""
    aws = AwsSettings.from_mapping({**KEYS, **settings})
    factory = ClientFactory(base_session(aws), aws, workers)
    return EksScanner(aws, factory, today=lambda: today, account_iam_after=account_iam_after)


class InProcessClients:
    """boto3 clients for seeding under ``mock_aws`` (no endpoint: moto intercepts), one per
    (service, region) from one session, so service models load once per test."""

    def __init__(self) -> None:
        self._session = boto3.session.Session(
            aws_access_key_id=KEYS["aws_access_key_id"],
            aws_secret_access_key=KEYS["aws_secret_access_key"],
        )
        self._clients: dict[tuple[str, str], Any] = {}

    def __call__(self, service: str, region: str) -> Any:
        if (service, region) not in self._clients:
            self._clients[(service, region)] = self._session.client(  # type: ignore[call-overload]
                service, region_name=region
            )
        return self._clients[(service, region)]


class Recorder:
    """A botocore ``before-call`` handler recording ``service:Operation`` of every call."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, model: Any, **_: Any) -> None:
        with self._lock:
            self.calls.append(f"{model.service_model.endpoint_prefix}:{model.name}")

    def count(self, call: str) -> int:
        return self.calls.count(call)

    def attach(self, scan: EksScanner) -> Recorder:
        scan.base_clients.register("before-call", self)
        return self
