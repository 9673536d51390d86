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


def test_escalation_spans_two_policies_and_names_both() -> None:
    verdict = ia.judge_documents(
        [
            ("inline policy a", doc(allow("iam:PassRole"))),
            ("customer managed policy b", doc(allow("lambda:CreateFunction"))),
            ("inline policy c", doc(allow("s3:GetObject"))),
        ]
    )
    assert verdict.admin_equivalent is True
    assert verdict.grants == [
        "privilege escalation: iam:PassRole with lambda:CreateFunction on * "
        "(inline policy a, customer managed policy b)"
    ]


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


CLUSTER_POLICY = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
S3_FULL = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
WORKER = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"
EMR_ROLE = "arn:aws:iam::aws:policy/service-role/AmazonElasticMapReduceRole"
# Trimmed from the real documents: what the verdicts turn on.
CLUSTER_DOC = doc(allow(["ec2:CreateTags", "elasticloadbalancing:Describe*"]))
WORKER_DOC = doc(allow(["ec2:DescribeInstances", "eks:DescribeCluster"]))
S3_FULL_DOC = doc(allow(["s3:*", "s3-object-lambda:*"]))
EMR_DOC = doc(allow(["ec2:RunInstances", "ec2:DescribeInstances", "iam:PassRole", "s3:Get*"]))


def role(*attached: str, documents: tuple[tuple[str, Any], ...] = ()) -> ia.RoleFacts:
    return ia.RoleFacts(
        arn="arn:aws:iam::123456789012:role/r",
        attached=attached,
        inline_names=(),
        documents=documents,
    )


def test_summarize_control_plane_role() -> None:
    facts = role(CLUSTER_POLICY, S3_FULL)
    identity = ia.summarize_role(
        facts, "control-plane", {CLUSTER_POLICY: CLUSTER_DOC, S3_FULL: S3_FULL_DOC}
    )
    assert identity.role == "control-plane"
    assert (identity.admin_equivalent, identity.wildcard_grants) == (False, True)
    assert identity.exceeds_minimum is True
    assert identity.grants == [
        "AWS managed policy AmazonS3FullAccess: Allow s3:* on *",
        "AWS managed policy AmazonS3FullAccess: Allow s3-object-lambda:* on *",
        "beyond the EKS cluster role minimum: AmazonS3FullAccess",
    ]


def test_aws_managed_policy_admin_by_its_document() -> None:
    """Not in the name list, yet iam:PassRole with ec2:RunInstances on *: admin."""
    identity = ia.summarize_role(
        role(EMR_ROLE, WORKER), "node", {EMR_ROLE: EMR_DOC, WORKER: WORKER_DOC}
    )
    assert (identity.admin_equivalent, identity.wildcard_grants) == (True, False)
    assert identity.grants == [
        "privilege escalation: iam:PassRole with ec2:RunInstances on * "
        "(AWS managed policy AmazonElasticMapReduceRole)"
    ]


def test_eks_node_policies_read_and_harmless() -> None:
    identity = ia.summarize_role(role(WORKER), "node", {WORKER: WORKER_DOC})
    assert (identity.admin_equivalent, identity.wildcard_grants) == (False, False)
    assert "iam:GetPolicyVersion" in identity.source_of("admin_equivalent")


@pytest.mark.parametrize(
    ("facts", "admin", "wildcard"),
    [
        (role(WORKER), None, None),  # unread: never assumed harmless
        (role(S3_FULL), None, True),  # the name floor still makes it a wildcard
        (role(EMR_ROLE, WORKER), True, None),  # one read document already makes it admin
        (role("arn:aws:iam::aws:policy/AdministratorAccess", WORKER), True, True),
        (role(WORKER, documents=(("inline policy p", doc(allow("*"))),)), True, True),
    ],
)
def test_unreadable_aws_managed_policy_leaves_the_verdict_unknown(
    facts: ia.RoleFacts, admin: bool | None, wildcard: bool | None
) -> None:
    identity = ia.summarize_role(facts, "node", {EMR_ROLE: EMR_DOC, WORKER: None})
    assert (identity.admin_equivalent, identity.wildcard_grants) == (admin, wildcard)


@pytest.mark.parametrize(
    ("facts", "to_read"),
    [
        (role(CLUSTER_POLICY, WORKER, CLUSTER_POLICY), (CLUSTER_POLICY, WORKER)),
        (role("arn:aws:iam::123456789012:policy/mine"), ()),  # customer: read with the role
        (role("arn:aws:iam::aws:policy/AdministratorAccess", WORKER), ()),  # settled by name
        (role(WORKER, documents=(("inline policy p", doc(allow("*"))),)), ()),
        # admin by escalation, a wildcard by name: nothing left to learn
        (role(S3_FULL, documents=(("inline p", doc(allow("iam:PutRolePolicy"))),)), ()),
        # admin by escalation but no wildcard yet: a document can still add one
        (role(WORKER, documents=(("inline p", doc(allow("iam:PutRolePolicy"))),)), (WORKER,)),
    ],
)
def test_managed_to_read(facts: ia.RoleFacts, to_read: tuple[str, ...]) -> None:
    assert ia.managed_to_read(facts) == to_read


def test_full_access_name_is_a_floor_under_its_document() -> None:
    """A *FullAccess policy whose document shows no service wildcard is still one by name."""
    vpc_full = "arn:aws:iam::aws:policy/AmazonVPCFullAccess"
    vpc_doc = doc(allow(["ec2:CreateVpc", "ec2:DeleteVpc"]))
    identity = ia.summarize_role(role(vpc_full), "node", {vpc_full: vpc_doc})
    assert (identity.admin_equivalent, identity.wildcard_grants) == (False, True)
    assert identity.grants == [
        "AWS managed policy AmazonVPCFullAccess: full access to a service (by its name)"
    ]


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
