"""A small AWS organization on a real moto server, behind a gateway that denies one role.

Why a gateway: moto's sts:AssumeRole succeeds for any role ARN (its IAM authorization mode
does not check a cross-account trust policy, and breaks EKS request signatures). The gateway
forwards every request to moto unchanged, except an AssumeRole into the unreachable member's
role, which gets the AccessDenied response AWS sends, over the wire, so the real boto3 error
handling runs.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from tests.nightly.gateway import DenyingGateway

MANAGEMENT = "123456789012"  # moto's default account
ROLE = "cloudposture-audit"
REGION = "eu-west-1"
ALLOW_ALL = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)


def _trust(account: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )


@dataclass(frozen=True)
class Estate:
    endpoint: str
    access_key: str
    secret_key: str
    members: list[str]
    """Member accounts whose role trusts the management account, each with clusters."""
    unreachable: str
    """A member whose role trusts someone else: AssumeRole is denied."""

    @property
    def env(self) -> dict[str, str]:
        return {
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": REGION,
        }


def _client(endpoint: str, service: str, **creds: Any) -> Any:
    creds = creds or {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.session.Session(**creds).client(  # type: ignore[call-overload]
        service, region_name=REGION, endpoint_url=endpoint
    )


def _as_account(endpoint: str, account: str) -> dict[str, str]:
    sts = _client(endpoint, "sts")
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/setup", RoleSessionName="seed")
    c = creds["Credentials"]
    return {
        "aws_access_key_id": c["AccessKeyId"],
        "aws_secret_access_key": c["SecretAccessKey"],
        "aws_session_token": c["SessionToken"],
    }


def seed_member(endpoint: str, account: str, trusted: str, clusters: dict[str, bool]) -> None:
    creds = _as_account(endpoint, account)
    iam = _client(endpoint, "iam", **creds)
    iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=_trust(trusted))
    iam.put_role_policy(RoleName=ROLE, PolicyName="all", PolicyDocument=ALLOW_ALL)
    ec2 = _client(endpoint, "ec2", **creds)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    eks = _client(endpoint, "eks", **creds)
    for name, public in clusters.items():
        eks.create_cluster(
            name=name,
            roleArn=f"arn:aws:iam::{account}:role/{ROLE}",
            resourcesVpcConfig={
                "subnetIds": [subnet],
                "endpointPublicAccess": public,
                "endpointPrivateAccess": not public,
                "publicAccessCidrs": ["0.0.0.0/0"] if public else [],
            },
        )


def set_cluster_access(estate: Estate, account: str, name: str, public: bool) -> None:
    """Change one cluster's endpoint between runs (as an operator fixing it would)."""
    eks = _client(estate.endpoint, "eks", **_as_account(estate.endpoint, account))
    eks.update_cluster_config(
        name=name,
        resourcesVpcConfig={"endpointPublicAccess": public, "endpointPrivateAccess": True},
    )


@contextmanager
def moto_organization(clusters: dict[str, bool], members: int = 2) -> Iterator[Estate]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    moto = f"http://{host}:{port}"
    # moto's backends are per process: start from an empty cloud whatever ran before here
    urllib.request.urlopen(urllib.request.Request(f"{moto}/moto-api/reset", method="POST"))
    try:
        org = _client(moto, "organizations")
        org.create_organization(FeatureSet="ALL")
        accounts = [
            org.create_account(Email=f"m{i}@example.com", AccountName=f"member-{i}")[
                "CreateAccountStatus"
            ]["AccountId"]
            for i in range(members + 1)
        ]
        good, bad = accounts[:members], accounts[members]
        for account in accounts:
            seed_member(moto, account, MANAGEMENT, clusters)
        iam = _client(moto, "iam")
        iam.create_user(UserName="scanner")
        key = iam.create_access_key(UserName="scanner")["AccessKey"]
        with DenyingGateway(moto, denied_role=f"arn:aws:iam::{bad}:role/{ROLE}") as gateway:
            yield Estate(gateway.url, key["AccessKeyId"], key["SecretAccessKey"], good, bad)
    finally:
        server.stop()
