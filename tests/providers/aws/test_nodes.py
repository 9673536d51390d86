"""nodes.py: security groups, launch templates, public IPs, metadata options, SSH."""

from __future__ import annotations

from typing import Any

import pytest
from cloudposture_aws import nodes


def group(*permissions: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "GroupId": "sg-0123",
        "GroupName": "nodes",
        "Description": "nodes",
        "IpPermissions": list(permissions),
        **fields,
    }


def perm(
    protocol: str,
    low: int | None = None,
    high: int | None = None,
    cidr: str = "0.0.0.0/0",
    description: str = "",
    v6: bool = False,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"IpProtocol": protocol}
    if low is not None:
        entry.update(FromPort=low, ToPort=high if high is not None else low)
    if v6:
        entry["Ipv6Ranges"] = [{"CidrIpv6": cidr, "Description": description}]
    else:
        entry["IpRanges"] = [{"CidrIp": cidr, "Description": description}]
    return entry


@pytest.mark.parametrize(
    ("permission", "expected"),
    [
        (perm("-1"), ("all", None, None, "0.0.0.0/0")),
        (perm("tcp", 22), ("tcp", 22, 22, "0.0.0.0/0")),
        (perm("6", 30000, 32767), ("tcp", 30000, 32767, "0.0.0.0/0")),
        (perm("udp", 53), ("udp", 53, 53, "0.0.0.0/0")),
        (perm("icmp", -1, -1), ("icmp", None, None, "0.0.0.0/0")),
        (perm("58", -1, -1, cidr="::/0", v6=True), ("icmpv6", None, None, "::/0")),
        (perm("tcp", 10250, cidr="::/0", v6=True), ("tcp", 10250, 10250, "::/0")),
        (perm("50"), ("other", None, None, "0.0.0.0/0")),  # ESP: not a port protocol
    ],
)
def test_internet_ingress_protocols_and_ports(
    permission: dict[str, Any], expected: tuple[str, int | None, int | None, str]
) -> None:
    [rule] = nodes.internet_ingress(group(permission))
    assert (rule.protocol, rule.port_from, rule.port_to, rule.source) == expected
    assert rule.origin == "sg-0123"
    assert rule.kubernetes_service is False


def test_internet_ingress_ignores_everything_but_the_whole_internet() -> None:
    sg = group(
        perm("tcp", 22, cidr="10.0.0.0/8"),
        perm("tcp", 443, cidr="203.0.113.0/24"),
        perm("tcp", 22, cidr="2001:db8::/32", v6=True),
        {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-other"}]},
        {
            "IpProtocol": "tcp",
            "FromPort": 443,
            "ToPort": 443,
            "PrefixListIds": [{"PrefixListId": "pl-123"}],
        },
    )
    assert nodes.internet_ingress(sg) == []


@pytest.mark.parametrize(
    ("description", "fields", "k8s"),
    [
        ("kubernetes.io/rule/nlb/client=a1b2c3", {}, True),  # in-tree NLB client traffic
        ("kubernetes.io/rule/nlb/mtu", {}, True),
        ("elbv2.k8s.aws/targetGroupBinding=shared", {}, True),  # AWS LB Controller
        ("", {"GroupName": "k8s-elb-a1b2c3d4"}, True),  # in-tree CLB group
        ("", {"Description": "Security group for Kubernetes ELB a1b2 (default/web)"}, True),
        ("", {"Tags": [{"Key": "elbv2.k8s.aws/cluster", "Value": "prod"}]}, True),
        ("opened by hand for the demo", {}, False),
        ("", {"Tags": [{"Key": "kubernetes.io/cluster/prod", "Value": "owned"}]}, False),
    ],
)
def test_rules_opened_by_kubernetes_are_marked(
    description: str, fields: dict[str, Any], k8s: bool
) -> None:
    [rule] = nodes.internet_ingress(group(perm("tcp", 31080, description=description), **fields))
    assert rule.kubernetes_service is k8s


@pytest.mark.parametrize(
    ("options", "exposed"),
    [
        ({"HttpTokens": "optional", "HttpPutResponseHopLimit": 1}, True),  # IMDSv1
        ({"HttpTokens": "required", "HttpPutResponseHopLimit": 2}, True),  # token crosses a hop
        ({"HttpTokens": "required", "HttpPutResponseHopLimit": 1}, False),
        ({"HttpTokens": "optional", "HttpEndpoint": "disabled"}, False),
        ({"HttpEndpoint": "enabled"}, True),  # EC2 defaults: tokens optional
    ],
)
def test_metadata_exposure(options: dict[str, Any], exposed: bool) -> None:
    got, detail = nodes.metadata_exposure(options, "lt-1 version 3")
    assert got is exposed
    assert detail.startswith("lt-1 version 3: HttpEndpoint=")


@pytest.mark.parametrize(
    ("ami", "exposed"),
    [
        ("AL2_x86_64", True),
        ("AL2_ARM_64", True),
        ("AL2023_x86_64_STANDARD", False),
        ("BOTTLEROCKET_x86_64", True),
        ("CUSTOM", None),
        ("WINDOWS_CORE_2022_x86_64", None),
        (None, None),
    ],
)
def test_default_metadata_by_ami_type(ami: str | None, exposed: bool | None) -> None:
    got, detail = nodes.default_metadata_exposure(ami)
    assert got is exposed
    assert (ami or "unknown") in detail


TEMPLATE_VERSION = {
    "LaunchTemplateId": "lt-0abc",
    "VersionNumber": 4,
    "LaunchTemplateData": {
        "SecurityGroupIds": ["sg-a"],
        "NetworkInterfaces": [
            {"DeviceIndex": 0, "Groups": ["sg-b", "sg-a"], "AssociatePublicIpAddress": True}
        ],
        "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 1},
    },
}


def test_launch_template_facts() -> None:
    lt = nodes.launch_template(TEMPLATE_VERSION)
    assert lt.label == "lt-0abc version 4"
    assert lt.security_groups == ("sg-a", "sg-b")
    assert lt.public_ip is True
    assert lt.metadata == {"HttpTokens": "required", "HttpPutResponseHopLimit": 1}
    bare = nodes.launch_template(
        {"LaunchTemplateId": "lt-1", "VersionNumber": 1, "LaunchTemplateData": {}}
    )
    assert (bare.security_groups, bare.public_ip, bare.metadata) == ((), None, None)


PUBLIC_SUBNET = {"SubnetId": "subnet-pub", "MapPublicIpOnLaunch": True}
PRIVATE_SUBNET = {"SubnetId": "subnet-priv", "MapPublicIpOnLaunch": False}
NO_PUBLIC_IP_TEMPLATE = nodes.LaunchTemplate("lt-1 version 1", (), False, None)


@pytest.mark.parametrize(
    ("template", "subnets", "instances", "expected"),
    [
        (None, [PRIVATE_SUBNET, PUBLIC_SUBNET], [], True),
        (None, [PRIVATE_SUBNET], [], False),
        (NO_PUBLIC_IP_TEMPLATE, [PUBLIC_SUBNET], [], False),  # the template overrides
        (None, None, [], None),  # subnets unreadable
        (None, None, [{"PublicIpAddress": "54.1.2.3"}], True),  # a running node says so
        (NO_PUBLIC_IP_TEMPLATE, [PRIVATE_SUBNET], [{"PrivateIpAddress": "10.0.0.4"}], False),
    ],
)
def test_public_ip_precedence(
    template: nodes.LaunchTemplate | None,
    subnets: list[dict[str, Any]] | None,
    instances: list[dict[str, Any]],
    expected: bool | None,
) -> None:
    got, source = nodes.public_ip(template, subnets, instances)
    assert got is expected
    assert source


def test_pool_metadata_running_nodes_win_over_template_and_default() -> None:
    template = nodes.LaunchTemplate("lt-1 version 1", (), None, {"HttpTokens": "required"})
    running = [
        {
            "InstanceId": "i-1",
            "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 1},
        },
        {
            "InstanceId": "i-2",
            "MetadataOptions": {"HttpTokens": "optional", "HttpPutResponseHopLimit": 1},
        },
    ]
    exposed, detail, source = nodes.pool_metadata(template, running, "AL2023_x86_64_STANDARD")
    assert exposed is True
    assert detail.startswith("i-2:")
    assert "1 of 2 running nodes exposed" in detail
    assert "DescribeInstances" in source
    exposed, detail, source = nodes.pool_metadata(template, [], "AL2_x86_64")
    assert (exposed, "DescribeLaunchTemplateVersions" in source) == (False, True)
    exposed, detail, source = nodes.pool_metadata(None, [], "AL2_x86_64")
    assert exposed is True
    assert "EKS default for amiType AL2_x86_64" in detail


def test_ingress_of_skips_groups_that_no_longer_exist() -> None:
    groups = {"sg-0123": group(perm("tcp", 22)), "sg-gone": None}
    rules = nodes.ingress_of(["sg-0123", "sg-gone", "sg-0123"], groups)
    assert [r.describe() for r in rules] == ["tcp/22 from 0.0.0.0/0 (sg-0123)"]


@pytest.mark.parametrize(
    ("nodegroup", "expected"),
    [
        ({}, (False, None)),
        ({"remoteAccess": {"ec2SshKey": "ops"}}, (True, False)),
        (
            {"remoteAccess": {"ec2SshKey": "ops", "sourceSecurityGroups": ["sg-bastion"]}},
            (True, True),
        ),
    ],
)
def test_ssh_access(nodegroup: dict[str, Any], expected: tuple[bool, bool | None]) -> None:
    assert nodes.ssh_access(nodegroup) == expected
