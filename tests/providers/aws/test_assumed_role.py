"""Assumed-role credentials renew themselves (real boto3 against moto in-process).

How a renewal is driven without a clock or a patched SDK method: moto's sts:AssumeRole
credentials last one hour, and the factory is given a refresh window of two hours, so botocore
finds them near expiry at every use and asks sts:AssumeRole again, as it would 15 minutes
before a real expiry. The ``Recorder`` hook sees each call that goes out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from cloudposture_aws.adapter import EksScanner
from cloudposture_aws.assumed_role import RefreshWindow, session_with_credentials
from cloudposture_aws.clients import AwsSettings, ClientFactory, base_session
from moto import mock_aws

from .support import KEYS, Recorder

REGION = "us-east-1"
ALWAYS_NEAR_EXPIRY = RefreshWindow(advisory_seconds=2 * 3600, mandatory_seconds=2 * 3600)
ADVISORY_ONLY = RefreshWindow(advisory_seconds=2 * 3600)  # mandatory stays botocore's 10 min
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


@pytest.fixture
def roles() -> Iterator[dict[str, str]]:
    with mock_aws():
        iam = boto3.session.Session(**KEYS).client("iam", region_name=REGION)
        yield {
            name: iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
            for name in ("auditor", "member")
        }


def assuming(role: str, window: RefreshWindow | None) -> tuple[EksScanner, Recorder, list[Any]]:
    """A scanner for ``role`` built as the plugin builds it, plus what its STS calls carried."""
    aws = AwsSettings.from_mapping(
        {**KEYS, "region": (REGION,), "role_arn": role, "external_id": "ext-123"}
    )
    clients = ClientFactory(base_session(aws), aws, 4, window)
    scan = EksScanner(aws, clients)
    recorder = Recorder().attach(scan)
    params: list[Any] = []
    clients.register(
        "provide-client-params.sts.AssumeRole", lambda params_, **_: None
    ) if False else clients.register(
        "provide-client-params.sts.AssumeRole", lambda params, **_: sent.append(dict(params))
    )
    return scan, recorder, params
