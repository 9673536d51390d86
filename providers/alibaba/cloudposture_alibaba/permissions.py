"""The exact read-only RAM actions an ACK scan calls, per API call.

``docs/permissions/alibaba-ram-policy.json`` ships the same actions as a custom RAM policy
(``aliyun ram CreatePolicy --PolicyName cloudposture-reader --PolicyDocument "$(cat ...)"``);
a test keeps the two equal, and another checks that every call a scan makes against the fake
API is listed here.

Not in the policy, on purpose: ``sts:GetCallerIdentity`` (every identity may call it) and
``sts:AssumeRole`` (granted on the scanning identity, only with ``--role-arn``; the role's
trust policy must admit the caller). No action reads a kubeconfig, a key's material or a
secret: ``cs:DescribeClusterUserKubeconfig`` and ``kms:GetSecretValue`` are left out.
"""

from __future__ import annotations

from collections.abc import Mapping

PERMISSIONS_BY_CALL: Mapping[str, tuple[str, ...]] = {
    "ecs:DescribeRegions": ("ecs:DescribeRegions",),
    "cs:DescribeClustersV1": ("cs:DescribeClustersV1",),
    "cs:DescribeClusterDetail": ("cs:DescribeClusterDetail",),
    "cs:DescribeClusterNodePools": ("cs:DescribeClusterNodePools",),
    "cs:DescribeClusterNodes": ("cs:DescribeClusterNodes",),
    "cs:CheckControlPlaneLogEnable": ("cs:CheckControlPlaneLogEnable",),
    "cs:GetClusterAuditProject": ("cs:GetClusterAuditProject",),
    "cs:DescribeKubernetesVersionMetadata": ("cs:DescribeKubernetesVersionMetadata",),
    "ecs:DescribeInstances": ("ecs:DescribeInstances",),
    "ecs:DescribeInstanceRamRole": ("ecs:DescribeInstanceRamRole",),
    "ecs:DescribeSecurityGroupAttribute": ("ecs:DescribeSecurityGroupAttribute",),
    "slb:DescribeLoadBalancerAttribute": ("slb:DescribeLoadBalancerAttribute",),
    "slb:DescribeLoadBalancerTCPListenerAttribute": (
        "slb:DescribeLoadBalancerTCPListenerAttribute",
    ),
    "slb:DescribeLoadBalancerHTTPSListenerAttribute": (
        "slb:DescribeLoadBalancerHTTPSListenerAttribute",
    ),
    "slb:DescribeAccessControlListAttribute": ("slb:DescribeAccessControlListAttribute",),
    "ram:ListPoliciesForRole": ("ram:ListPoliciesForRole",),
    "ram:GetPolicyVersion": ("ram:GetPolicyVersion",),
    "kms:DescribeKey": ("kms:DescribeKey",),
}

NEEDS_NO_GRANT = frozenset({"sts:GetCallerIdentity", "sts:AssumeRole"})
"""Calls a scan makes that the reader policy does not grant (see the module docstring)."""

ALL_CALLS: Mapping[str, tuple[str, ...]] = {
    **PERMISSIONS_BY_CALL,
    "sts:GetCallerIdentity": (),
    "sts:AssumeRole": ("sts:AssumeRole",),
}
"""Every call a scan may make -> what it needs (the plugin's ``permissions.calls``)."""

DOCUMENT = "alibaba-ram-policy.json"
"""The shipped policy, under docs/permissions/."""


def required_actions() -> list[str]:
    """Every action of the shipped policy, sorted and unique."""
    return sorted({a for actions in PERMISSIONS_BY_CALL.values() for a in actions})


def policy_document() -> dict[str, object]:
    """The shipped policy, as RAM's policy language writes it."""
    return {
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Action": required_actions(), "Resource": "*"}],
    }
