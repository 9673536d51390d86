"""The exact IAM actions a scan calls: all read-only, kept true by a test that records every
operation the adapter makes against moto. ``docs/permissions/aws-readonly-policy.json`` is
generated from this list (``python -m cloudposture_aws.permissions``)."""

from __future__ import annotations

import json

ACTIONS: tuple[str, ...] = (
    "ec2:DescribeInstances",
    "ec2:DescribeLaunchTemplateVersions",
    "ec2:DescribeRegions",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "eks:DescribeAddon",
    "eks:DescribeCluster",
    "eks:DescribeClusterVersions",
    "eks:DescribeFargateProfile",
    "eks:DescribeNodegroup",
    "eks:ListAddons",
    "eks:ListClusters",
    "eks:ListFargateProfiles",
    "eks:ListNodegroups",
    "iam:GetAccountAuthorizationDetails",
    "iam:GetInstanceProfile",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:ListOpenIDConnectProviders",
    "iam:ListRolePolicies",
    "kms:DescribeKey",
    "kms:GetKeyRotationStatus",
    "sts:GetCallerIdentity",
)
"""sts:AssumeRole is not listed: with --role-arn it is the caller's permission, not the
scanned role's."""

READ_ONLY_PREFIXES = ("Describe", "List", "Get")


def policy_document() -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CloudpostureEksReadOnly",
                "Effect": "Allow",
                "Action": list(ACTIONS),
                "Resource": "*",
            }
        ],
    }


def policy_json() -> str:
    return json.dumps(policy_document(), indent=2) + "\n"


if __name__ == "__main__":
    print(policy_json(), end="")  # noqa: T201 - the module's CLI writes the policy to stdout
