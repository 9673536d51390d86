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
from pathlib import Path
from typing import Any

import pytest
from botocore.credentials import Credentials, RefreshableCredentials
from cloudposture_aws.adapter import EksScanner
from cloudposture_aws.assumed_role import RefreshWindow, session_with_credentials
from cloudposture_aws.clients import AwsSettings, ClientFactory, base_session
from cloudposture_aws.emulator import EksFront
from moto import mock_aws

from cloudposture.model import CollectionFailure, ConfigurationError

from .support import KEYS, InProcessClients, Recorder

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
        iam = InProcessClients()("iam", REGION)
        yield {
            name: iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
            for name in ("auditor", "member")
        }


def assuming(role: str, window: RefreshWindow | None) -> tuple[EksScanner, Recorder, list[Any]]:
    """A scanner for ``role`` built as the plugin builds it, its call recorder, and the
    parameters every sts:AssumeRole carried."""
    aws = AwsSettings.from_mapping(
        {**KEYS, "region": (REGION,), "role_arn": role, "external_id": "ext-123"}
    )
    clients = ClientFactory(base_session(aws), aws, 4, window)
    scan = EksScanner(aws, clients)
    sent: list[Any] = []
    clients.register(
        "provide-client-params.sts.AssumeRole", lambda params, **_: sent.append(dict(params))
    )
    return scan, Recorder().attach(scan), sent


def test_default_window_assumes_once_and_signs_with_the_role(roles: dict[str, str]) -> None:
    scan, recorder, sent = assuming(roles["auditor"], None)
    [target] = scan.targets()
    assert scan.discover(target) == []
    for _ in range(3):
        identity = scan.clients.client("sts").get_caller_identity()
        assert "assumed-role/auditor/cloudposture" in identity["Arn"]
    assert recorder.count("sts:AssumeRole") == 1  # an hour is far from botocore's window
    assert sent == [
        {"RoleArn": roles["auditor"], "RoleSessionName": "cloudposture", "ExternalId": "ext-123"}
    ]
    credentials = scan.clients.session.get_credentials()
    assert isinstance(credentials, RefreshableCredentials)  # not static keys
    assert credentials.method == "assume-role"
    assert credentials.refresh_needed() is False


@pytest.mark.parametrize(
    "window", [ALWAYS_NEAR_EXPIRY, ADVISORY_ONLY], ids=["mandatory", "advisory"]
)
def test_credentials_near_expiry_are_renewed_and_calls_go_on(
    roles: dict[str, str], window: RefreshWindow
) -> None:
    scan, recorder, sent = assuming(roles["auditor"], window)
    [target] = scan.targets()
    after_setup = recorder.count("sts:AssumeRole")
    assert after_setup >= 2  # the eager AssumeRole, then a renewal before GetCallerIdentity
    assert scan.discover(target) == []  # eks:ListClusters, signed with renewed credentials
    assert recorder.count("sts:AssumeRole") > after_setup
    with ThreadPoolExecutor(max_workers=4) as workers:  # renewals from worker threads
        arns = list(
            workers.map(lambda _: scan.clients.client("sts").get_caller_identity()["Arn"], range(8))
        )
    assert all("assumed-role/auditor/cloudposture" in arn for arn in arns)
    credentials = scan.clients.session.get_credentials()
    assert credentials is not None
    first = credentials.get_frozen_credentials().access_key
    assert credentials.get_frozen_credentials().access_key != first  # really new credentials
    expected = {"RoleArn": roles["auditor"], "RoleSessionName": "cloudposture"}
    assert all(p == {**expected, "ExternalId": "ext-123"} for p in sent)
    assert len(sent) == recorder.count("sts:AssumeRole")


def test_a_chained_role_renews_through_its_renewing_source(roles: dict[str, str]) -> None:
    """The organization fan-out's shape: management role first, then each member's role."""
    scan, recorder, _ = assuming(roles["auditor"], ALWAYS_NEAR_EXPIRY)
    member = scan.clients.assume_role(roles["member"], None)
    before = recorder.count("sts:AssumeRole")
    for _ in range(2):
        identity = member.client("sts").get_caller_identity()
        assert "assumed-role/member/cloudposture" in identity["Arn"]
    assert recorder.count("sts:AssumeRole") >= before + 4  # member's and auditor's, each call


def test_assumed_session_keeps_the_profile_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The public route (a credential_provider component) and the caller's profile together:
    the assumed clients sign with the given credentials and keep the profile's region."""
    config = tmp_path / "config"
    config.write_text("[profile audit]\nregion = eu-west-3\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    given = Credentials("access", "secret", "token", method="assume-role")
    session = session_with_credentials(given, "audit", None)
    assert (session.profile_name, session.region_name) == ("audit", "eu-west-3")
    assert session.get_credentials() is given
    assert session.client("sts").meta.region_name == "eu-west-3"
    assert session_with_credentials(given, "audit", "ap-south-1").region_name == "ap-south-1"


@pytest.mark.slow
def test_a_renewal_denied_mid_scan_is_a_recorded_failure(clean_front: EksFront) -> None:
    """The role's trust changes after setup: the calls that need renewed credentials fail as
    collection errors with AWS's reason, never as an internal error or a PASS."""
    aws = AwsSettings.from_mapping(
        {
            **KEYS,
            "endpoint_url": clean_front.url,
            "region": ("us-east-1",),
            "role_arn": "arn:aws:iam::123456789012:role/cloudposture-audit",
        }
    )
    scan = EksScanner(aws, ClientFactory(base_session(aws), aws, 4, ALWAYS_NEAR_EXPIRY))
    [target] = scan.targets()
    [ref, *_] = scan.discover(target)
    clean_front.extras.denied_actions.add("sts:AssumeRole")
    with pytest.raises(CollectionFailure) as caught:
        scan.collect(ref)
    error = caught.value.error
    assert (error.call, error.kind, error.code) == ("eks:DescribeCluster", "denied", "AccessDenied")
    assert "sts:AssumeRole" in error.message
    with pytest.raises(ConfigurationError, match=r"^cannot load AWS credentials .*AssumeRole"):
        scan.clients.credentials()  # what a later setup step (targets) would meet
