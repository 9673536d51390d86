"""iam_analysis.py: table tests over policy documents and managed-policy names."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import pytest
from cloudposture_aws import iam_analysis as ia


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


@pytest.mark.parametrize(
    ("document", "admin", "wildcard"),
    [
        (doc(allow("*")), True, True),
        (doc(allow("iam:*")), True, True),
        (doc(allow(["s3:*", "ec2:Describe*"])), False, True),
        (doc(allow("s3:*", "arn:aws:s3:::logs/*")), False, False),  # not on every resource
        (doc(allow("*", "arn:aws:s3:::logs/*")), False, False),
        (doc({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}), True, True),
        (doc({"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::x"}), False, True),
        (doc({"Effect": "Deny", "Action": "*", "Resource": "*"}), False, False),
        (doc(allow("iam:PutRolePolicy")), True, False),  # self-escalation
        (doc(allow("iam:Attach*")), True, False),
        (doc(allow(["iam:PassRole", "ec2:RunInstances"])), True, False),
        (doc(allow("iam:PassRole")), False, False),  # PassRole alone hands nothing to run
        (doc(allow(["ec2:DescribeInstances", "ecr:GetAuthorizationToken"])), False, False),
        ({"Statement": allow("*")}, True, True),  # a single statement, not a list
        (doc(allow("IAM:*")), True, True),  # actions are case-insensitive
    ],
)
def test_judge_documents(document: dict[str, Any], admin: bool, wildcard: bool) -> None:
    verdict = ia.judge_documents([("inline policy p", document)])
    assert (verdict.admin_equivalent, verdict.wildcard) == (admin, wildcard)
    assert bool(verdict.grants) == (admin or wildcard)


def test_escalation_spans_two_policies() -> None:
    verdict = ia.judge_documents(
        [
            ("inline policy a", doc(allow("iam:PassRole"))),
            ("customer managed policy b", doc(allow("lambda:CreateFunction"))),
        ]
    )
    assert verdict.admin_equivalent is True
    assert any("iam:PassRole with lambda:CreateFunction" in g for g in verdict.grants)


@pytest.mark.parametrize(
    ("arn", "admin", "wildcard"),
    [
        ("arn:aws:iam::aws:policy/AdministratorAccess", True, True),
        ("arn:aws:iam::aws:policy/PowerUserAccess", True, True),
        ("arn:aws:iam::aws:policy/IAMFullAccess", True, True),
        ("arn:aws:iam::aws:policy/AmazonS3FullAccess", False, True),
        ("arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", False, False),
        ("arn:aws-cn:iam::aws:policy/AdministratorAccess", True, True),
        # a customer policy named like an AWS one is judged by its document, not its name
        ("arn:aws:iam::123456789012:policy/AdministratorAccess", False, False),
    ],
)
def test_managed_policies_by_name(arn: str, admin: bool, wildcard: bool) -> None:
    verdict = ia.PolicyVerdict()
    ia.judge_managed_by_name([arn], verdict)
    assert (verdict.admin_equivalent, verdict.wildcard) == (admin, wildcard)


@pytest.mark.parametrize(
    ("attached", "inline", "extra"),
    [
        (["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"], [], []),
        (
            [
                "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
                "arn:aws:iam::aws:policy/AmazonEKSVPCResourceController",
            ],
            [],
            [],
        ),
        (
            [
                "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
                "arn:aws:iam::aws:policy/AmazonEKSComputePolicy",
                "arn:aws:iam::aws:policy/AmazonEKSBlockStoragePolicy",
                "arn:aws:iam::aws:policy/AmazonEKSLoadBalancingPolicy",
                "arn:aws:iam::aws:policy/AmazonEKSNetworkingPolicy",
            ],
            [],
            [],
        ),
        (
            [
                "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
                "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
            ],
            [],
            ["AmazonS3ReadOnlyAccess"],
        ),
        (
            ["arn:aws:iam::123456789012:policy/AmazonEKSClusterPolicy"],
            [],
            ["AmazonEKSClusterPolicy"],
        ),
        (["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"], ["logs"], ["inline logs"]),
    ],
)
def test_beyond_cluster_minimum(attached: list[str], inline: list[str], extra: list[str]) -> None:
    assert ia.beyond_cluster_minimum(attached, inline) == extra


def test_summarize_control_plane_role() -> None:
    facts = ia.RoleFacts(
        arn="arn:aws:iam::123456789012:role/cluster",
        attached=(
            "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
            "arn:aws:iam::aws:policy/AmazonS3FullAccess",
        ),
        inline_names=(),
        documents=(),
    )
    identity = ia.summarize_role(facts, "control-plane")
    assert identity.role == "control-plane"
    assert (identity.admin_equivalent, identity.wildcard_grants) == (False, True)
    assert identity.exceeds_minimum is True
    assert "beyond the EKS cluster role minimum: AmazonS3FullAccess" in identity.grants


def test_summarize_node_role_with_boundary() -> None:
    facts = ia.RoleFacts(
        arn="arn:aws:iam::123456789012:role/node",
        attached=("arn:aws:iam::aws:policy/AdministratorAccess",),
        inline_names=(),
        documents=(),
        boundary="arn:aws:iam::123456789012:policy/eks-boundary",
    )
    identity = ia.summarize_role(facts, "node")
    assert identity.admin_equivalent is True
    assert identity.exceeds_minimum is None
    assert identity.grants[-1] == "limited by permissions boundary eks-boundary"


def test_parse_document_accepts_url_encoded_json() -> None:
    raw = urllib.parse.quote(json.dumps(doc(allow("*"))))
    assert ia.parse_document(raw)["Statement"][0]["Action"] == "*"
    assert ia.parse_document({"Statement": []}) == {"Statement": []}
