"""The EKS adapter with real boto3 against moto in-process (``mock_aws``).

moto quirks these tests live with (the emulator tests cover the EKS-faithful view): every
node group gets ``remoteAccess`` and a remote-access group id that does not exist, clusters
have no accessConfig (so CONFIG_MAP) and no add-ons (ListAddons answers 404), and every
cluster of a region shares one OIDC issuer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import pytest
from cloudposture_aws.clients import AwsSettings, ClientFactory, base_session, retries
from cloudposture_aws.demo import STAR_POLICY, Seeder, vpc_only, world
from cloudposture_aws.plugin import plugin
from moto import mock_aws

from cloudposture.model import ClusterPosture, ConfigurationError, NodePool

from .support import TODAY, InProcessClients, Recorder, scanner

REGION = "us-east-1"
MANAGED_POLICIES = {"iam": {"load_aws_managed_policies": True}}


SHARED = "us-west-2"  # the region whose clusters share one role, group, template and key
LISTED = "eu-west-1"
SHARED_CLUSTERS = [f"c{i}" for i in range(6)]


@pytest.fixture(scope="module")
def aws() -> Iterator[dict[str, str]]:
    """One moto world for the module (seeding is the slow part); tests only read it."""
    with mock_aws(config=cast(Any, MANAGED_POLICIES)):
        s = Seeder(InProcessClients())
        seeded = seed_world(s)
        seed_shared(s)
        seed_listed(s)
        seeded["auditor"] = s.role("auditor")
        yield seeded


def pool(posture: ClusterPosture, name: str) -> NodePool:
    assert posture.node_pools is not None
    [found] = [p for p in posture.node_pools if p.name == name]
    return found


def seed_world(s: Seeder) -> dict[str, str]:
    """One rich cluster: managed group with template, self-managed nodes, Fargate."""
    private = s.subnet(REGION, "10.0.1.0/24")
    public = s.subnet(REGION, "10.0.2.0/24", public=True)
    cluster_role = s.role("cluster", ["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"])
    admin = s.role("node-admin", ["AdministratorAccess"])
    s.role("node-star", inline=STAR_POLICY)
    s.instance_profile("node-star", "node-star")
    open_sg = s.group(REGION, "open", [world("tcp", 22), world("-1"), vpc_only(443)])
    lt = s.template(REGION, "nodes", "required", 2, [open_sg])
    key = s.key(REGION, rotation=False)
    s.cluster(
        REGION,
        "alpha",
        role=cluster_role,
        version="1.27",
        subnets=[private, public],
        public=True,
        private=False,
        cidrs=["203.0.113.0/24"],
        logs=["audit", "api"],
        key=key,
        extra_groups=[open_sg],
    )
    s.nodegroup(REGION, "alpha", "managed", role=admin, subnets=[private, public], template=lt)
    s.fargate(REGION, "alpha", "jobs", admin, [private])
    profile = "arn:aws:iam::123456789012:instance-profile/node-star"
    s.instances(
        REGION,
        public,
        [open_sg],
        {"kubernetes.io/cluster/alpha": "owned", "aws:autoscaling:groupName": "asg-a"},
        profile,
        tokens="optional",
    )
    s.instances(REGION, private, [], {"eks:cluster-name": "alpha"}, profile)
    s.instances(REGION, private, [], {"eks:cluster-name": "other-cluster"}, profile)
    return {"key": key, "open_sg": open_sg}


def test_targets_from_settings_and_from_describe_regions(aws: dict[str, str]) -> None:
    two = scanner({"region": ("us-east-1", "eu-west-1")}).targets()
    assert [(t.account, t.region) for t in two] == [
        ("123456789012", "us-east-1"),
        ("123456789012", "eu-west-1"),
    ]
    every = scanner({}).targets()
    regions = {t.region for t in every}
    assert {"us-east-1", "eu-west-1", "ap-southeast-2"} <= regions
    assert all(t.provider == "aws" for t in every)


def seed_listed(s: Seeder) -> None:
    subnet = s.subnet(LISTED, "10.0.1.0/24")
    role = s.role("listed-cluster", ["AmazonEKSClusterPolicy"])
    for name in ("a", "b", "c"):
        s.cluster(
            LISTED, name, role=role, version="1.33", subnets=[subnet], public=False, private=True
        )


def test_discover_lists_every_cluster(aws: dict[str, str]) -> None:
    scan = scanner({"region": (LISTED,)})
    [target] = scan.targets()
    refs = scan.discover(target)
    assert sorted(r.name for r in refs) == ["a", "b", "c"]
    assert refs[0].native_id == f"arn:aws:eks:{LISTED}:123456789012:cluster/{refs[0].name}"


def test_collect_reads_every_posture_fact(aws: dict[str, str]) -> None:
    seeded = aws
    scan = scanner({"region": (REGION,)})
    [target] = scan.targets()
    [ref] = scan.discover(target)
    posture = scan.collect(ref)

    assert posture.ref.tags == {"team": "alpha", "demo": "cloudposture"}
    assert posture.endpoint.authorized_cidrs == ["203.0.113.0/24"]
    assert posture.authentication.local_credentials_enabled is True  # moto: no accessConfig
    assert posture.logging.components == ["apiserver", "audit"]
    enc = posture.secrets_encryption
    assert (enc.customer_key_enabled, enc.key_id) == (True, seeded["key"])
    assert (enc.key_usable, enc.rotation_enabled, enc.provider_default_encryption) == (
        True,
        False,
        False,
    )
    assert posture.version.standard_support is False  # 1.27: the calendar, moto has no API
    assert "calendar" in posture.version.source_of("standard_support")
    assert posture.control_plane_identity is not None
    assert posture.control_plane_identity.exceeds_minimum is False

    managed = pool(posture, "managed")
    assert managed.public_ip is True  # one of its subnets maps public IPs
    assert managed.metadata_credentials_exposed is True  # hop limit 2
    assert managed.identities is not None
    assert [i.admin_equivalent for i in managed.identities] == [True]
    ingress = {r.describe() for r in managed.internet_ingress or []}
    assert f"tcp/22 from 0.0.0.0/0 ({seeded['open_sg']})" in ingress
    assert f"all/all from ::/0 ({seeded['open_sg']})" in ingress

    asg = pool(posture, "asg-a")
    assert (asg.kind, asg.public_ip, asg.metadata_credentials_exposed) == (
        "self-managed",
        True,
        True,
    )
    assert asg.identities is not None
    [star] = asg.identities
    assert star.id.endswith("role/node-star")
    assert star.admin_equivalent is True
    assert pool(posture, "self-managed").metadata_credentials_exposed is False
    fargate = pool(posture, "jobs")
    assert (fargate.kind, fargate.public_ip, fargate.internet_ingress) == ("serverless", False, [])
    assert len(posture.node_pools or []) == 4  # the other cluster's node is not ours

    # moto has no add-ons: the failure is recorded against what it leaves unknown.
    [addons] = [e for e in posture.collection_errors if e.call == "eks:ListAddons"]
    assert addons.kind == "unavailable"
    assert addons.affects == ["workload_identity", "network_policy"]
    assert posture.network_policy.enforced is None
    assert "eks:ListAddons" in posture.reason_unknown("network_policy.enforced")
    assert len(posture.collection_errors) == 1


def seed_shared(s: Seeder) -> None:
    subnet = s.subnet(SHARED, "10.0.1.0/24")
    cluster_role = s.role("shared-cluster", ["AmazonEKSClusterPolicy"])
    node_role = s.role("shared-node", ["AmazonEKSWorkerNodePolicy"], customer=STAR_POLICY)
    sg = s.group(SHARED, "nodes", [world("tcp", 443)])
    lt = s.template(SHARED, "nodes", "required", 1, [sg])
    key = s.key(SHARED)
    for name in SHARED_CLUSTERS:
        s.cluster(
            SHARED,
            name,
            role=cluster_role,
            version="1.33",
            subnets=[subnet],
            public=False,
            private=True,
            key=key,
        )
        for group in ("a", "b"):
            s.nodegroup(SHARED, name, group, role=node_role, subnets=[subnet], template=lt)


@pytest.mark.parametrize("account_wide", [True, False], ids=["account-wide-iam", "per-role-iam"])
def test_shared_role_group_and_template_are_read_once(
    aws: dict[str, str], account_wide: bool
) -> None:
    names = SHARED_CLUSTERS
    after = 0 if account_wide else len(names)
    scan = scanner({"region": (SHARED,)}, workers=8, account_iam_after=after)
    recorder = Recorder().attach(scan)
    [target] = scan.targets()
    refs = scan.discover(target)
    with ThreadPoolExecutor(max_workers=8) as workers:
        postures = list(workers.map(scan.collect, refs))

    assert all(p.node_pools and p.node_pools[0].identities for p in postures)
    assert postures[0].node_pools
    identities = postures[0].node_pools[0].identities
    assert identities
    assert [i.admin_equivalent for i in identities] == [True]  # customer policy *
    assert postures[0].control_plane_identity is not None
    assert postures[0].control_plane_identity.exceeds_minimum is False
    # The one AWS-managed policy read: AmazonEKSClusterPolicy, once for the six cluster roles.
    # AmazonEKSWorkerNodePolicy is not: the node role's customer policy already grants *.
    managed_reads = ["iam:GetPolicy", "iam:GetPolicyVersion"]
    if account_wide:
        assert recorder.count("iam:GetAccountAuthorizationDetails") == 1
        other = [c for c in recorder.calls if c.startswith("iam:Get") and "Account" not in c]
        assert sorted(other) == managed_reads
        assert "GetAccountAuthorizationDetails" in identities[0].source_of("admin_equivalent")
    else:
        assert recorder.count("iam:GetAccountAuthorizationDetails") == 0
        assert recorder.count("iam:GetRole") == 2  # one cluster role, one node role
        assert recorder.count("iam:GetPolicyVersion") == 2  # the customer policy, and managed
    assert recorder.count("ec2:DescribeLaunchTemplateVersions") == 1
    assert recorder.count("ec2:DescribeSubnets") == 1
    assert recorder.count("kms:DescribeKey") == 1
    assert recorder.count("kms:GetKeyRotationStatus") == 1
    assert recorder.count("iam:ListOpenIDConnectProviders") == 1
    assert recorder.count("eks:DescribeClusterVersions") == 1
    assert recorder.count("ec2:DescribeInstances") == 1  # one listing for the region
    assert recorder.count("eks:DescribeCluster") == len(names)
    assert recorder.count("eks:DescribeNodegroup") == 2 * len(names)
    # Each node group names a remote-access group moto invents and does not have: batches
    # are shared across clusters, and a failing batch is settled in at most two more calls.
    assert recorder.count("ec2:DescribeSecurityGroups") <= 3 * len(names)
    assert not [e for p in postures for e in p.collection_errors if e.call.startswith("ec2:")]


def test_role_assumption_uses_cloudposture_session_name(aws: dict[str, str]) -> None:
    role = aws["auditor"]
    scan = scanner({"region": (REGION,), "role_arn": role, "external_id": "ext-123"})
    seen: list[dict[str, Any]] = []
    scan.base_clients.register(
        "provide-client-params.sts.AssumeRole", lambda params, **_: seen.append(dict(params))
    )
    [target] = scan.targets()
    assert target.account == "123456789012"
    assert seen == [{"RoleArn": role, "RoleSessionName": "cloudposture", "ExternalId": "ext-123"}]
    identity = scan.clients.client("sts").get_caller_identity()
    assert "assumed-role/auditor/cloudposture" in identity["Arn"]


def test_unknown_profile_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.write_text("[profile other]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    with pytest.raises(ConfigurationError, match="profile not found"):
        plugin.scanners({"profile": "prod"}, 4)


def test_missing_credentials_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", raising=False)
    [scan] = plugin.scanners({"region": (REGION,)}, 4)
    with pytest.raises(ConfigurationError, match="no AWS credentials") as caught:
        scan.targets()
    assert "\n" not in str(caught.value)


def test_retry_settings_leave_the_environment_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_RETRY_MODE", raising=False)
    monkeypatch.delenv("AWS_MAX_ATTEMPTS", raising=False)
    session = base_session(AwsSettings(aws_access_key_id="a", aws_secret_access_key="b"))
    assert retries(session, AwsSettings()) == {"mode": "standard", "total_max_attempts": 25}
    explicit = AwsSettings(retry_mode="standard", max_attempts=3)
    assert retries(session, explicit) == {"mode": "standard", "max_attempts": 3}
    monkeypatch.setenv("AWS_RETRY_MODE", "legacy")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    assert retries(session, AwsSettings()) == {}  # botocore reads the variables itself
    factory = ClientFactory(session, AwsSettings(regions=("eu-west-1",)), 4)
    assert factory.client("eks", "eu-west-1") is factory.client("eks", "eu-west-1")
    assert factory.client("eks").meta.region_name == "eu-west-1"
    assert "cloudposture/" in vars(factory.config)["user_agent_extra"]


def test_settings_from_cli_mapping() -> None:
    settings = AwsSettings.from_mapping(
        {
            "profile": "prod",
            "region": ("us-east-1", "us-east-1", "eu-west-1"),
            "role_arn": None,
            "retry_mode": "standard",
            "max_attempts": 5,
        }
    )
    assert settings.regions == ("us-east-1", "eu-west-1")
    assert (settings.profile, settings.retry_mode, settings.max_attempts) == ("prod", "standard", 5)
    with pytest.raises(ConfigurationError, match="retry-mode"):
        AwsSettings.from_mapping({"retry_mode": "legacy"})


def test_plugin_is_cheap_to_import() -> None:
    import subprocess
    import sys

    code = "import sys, cloudposture_aws.plugin as p; print(json.dumps(['boto3' in sys.modules]))"
    out = subprocess.run(
        [sys.executable, "-c", "import json; " + code], capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [False]
    names = {opt.name for opt in plugin.cli_options()}
    assert names == {
        "profile",
        "region",
        "role_arn",
        "external_id",
        "retry_mode",
        "max_attempts",
        "call_deadline",
    }
    assert TODAY.year == 2026
