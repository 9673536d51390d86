"""AWS-managed policies are judged by the documents AWS serves, read once per scan.

``AmazonElasticMapReduceRole`` (an EMR service-role policy, not in the admin name list) allows
``iam:PassRole`` and ``ec2:RunInstances`` on ``*`` without a condition: a node running as it can
start an instance with any role that trusts EC2 and read that role's credentials from the
instance, so IAM-001 must FAIL. The EKS node and cluster policies must still PASS, and each
AWS-managed policy costs two calls per scan however many clusters share it, on both IAM read
paths (role by role, and the account-wide listing, which leaves AWS-managed policies out).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest
from cloudposture_aws.demo import NODE_POLICIES, Seeder
from moto import mock_aws

from cloudposture.engine import ScanOptions, run_scan
from cloudposture.model import Finding, ScanResult, Status
from cloudposture.rules.catalog import ALL_RULES

from .support import InProcessClients, Recorder, scanner

REGION = "us-east-2"
MANAGED_POLICIES = {"iam": {"load_aws_managed_policies": True}}
EMR_ROLE = "service-role/AmazonElasticMapReduceRole"
EMR_ARN = f"arn:aws:iam::aws:policy/{EMR_ROLE}"
CLUSTERS = {"emr-nodes": "nodes-emr", "least-a": "nodes-least", "least-b": "nodes-least"}
DISTINCT_MANAGED = 4  # AmazonEKSClusterPolicy, the EMR policy and the two NODE_POLICIES


@pytest.fixture(scope="module")
def iam() -> Iterator[Any]:
    """Three clusters sharing one cluster role; self-managed nodes of ``emr-nodes`` run as the
    EMR policy, the other two as the EKS node policies."""
    with mock_aws(config=cast(Any, MANAGED_POLICIES)):
        clients = InProcessClients()
        s = Seeder(clients)
        subnet = s.subnet(REGION, "10.0.1.0/24")
        cluster_role = s.role("cluster", ["AmazonEKSClusterPolicy"])
        s.role("node-emr", [EMR_ROLE])
        s.role("node-least", NODE_POLICIES)
        profiles = {
            "nodes-emr": s.instance_profile("nodes-emr", "node-emr"),
            "nodes-least": s.instance_profile("nodes-least", "node-least"),
        }
        private: dict[str, Any] = {"version": "1.33", "public": False, "private": True}
        for name, profile in CLUSTERS.items():
            s.cluster(REGION, name, role=cluster_role, subnets=[subnet], **private)
            s.instances(REGION, subnet, [], {"eks:cluster-name": name}, profiles[profile])
        yield clients("iam", REGION)


def scan(account_iam_after: int) -> tuple[ScanResult, Recorder]:
    aws = scanner({"region": (REGION,)}, account_iam_after=account_iam_after)
    recorder = Recorder().attach(aws)
    return run_scan([aws], ScanOptions(rules=ALL_RULES, max_workers=4)), recorder


@pytest.fixture(scope="module")
def by_role(iam: Any) -> tuple[ScanResult, Recorder]:
    return scan(account_iam_after=len(CLUSTERS))


def finding(result: ScanResult, cluster: str, rule: str) -> Finding:
    [found] = [f for f in result.findings if f.resource.cluster == cluster and f.rule_id == rule]
    return found


def test_the_served_emr_policy_really_escalates(iam: Any) -> None:
    """The document moto ships (AWS's own) grants both actions on * with no condition."""
    version = iam.get_policy(PolicyArn=EMR_ARN)["Policy"]["DefaultVersionId"]
    document = iam.get_policy_version(PolicyArn=EMR_ARN, VersionId=version)["PolicyVersion"]
    [broad] = [
        st
        for st in document["Document"]["Statement"]
        if {"iam:PassRole", "ec2:RunInstances"} <= set(st["Action"])
    ]
    assert (broad["Effect"], broad["Resource"], "Condition" in broad) == ("Allow", "*", False)


def test_admin_equivalent_by_document_fails_iam_001(by_role: tuple[ScanResult, Recorder]) -> None:
    result, _ = by_role
    found = finding(result, "emr-nodes", "IAM-001")
    assert found.status is Status.FAIL
    assert "role/node-emr" in found.message
    assert (
        "privilege escalation: iam:PassRole with ec2:RunInstances on * "
        "(AWS managed policy AmazonElasticMapReduceRole)"
    ) in found.message


def test_eks_policies_read_and_pass(by_role: tuple[ScanResult, Recorder]) -> None:
    result, _ = by_role
    for cluster in ("least-a", "least-b"):
        assert finding(result, cluster, "IAM-001").status is Status.PASS
    for cluster in CLUSTERS:
        assert finding(result, cluster, "IAM-002").status is Status.PASS
    # every policy document was read (moto has no EKS add-on API: eks:ListAddons fails)
    calls = {e.call for entry in result.scan.coverage for e in entry.errors}
    assert calls == {"eks:ListAddons"}


@pytest.mark.parametrize("account_wide", [False, True])
def test_each_managed_policy_is_read_once_per_scan(
    iam: Any, by_role: tuple[ScanResult, Recorder], account_wide: bool
) -> None:
    result, recorder = scan(account_iam_after=0) if account_wide else by_role
    assert recorder.count("iam:GetAccountAuthorizationDetails") == int(account_wide)
    assert recorder.count("iam:GetPolicy") == DISTINCT_MANAGED
    assert recorder.count("iam:GetPolicyVersion") == DISTINCT_MANAGED
    if account_wide:
        reference, _ = by_role
        assert verdicts(result) == verdicts(reference)


def verdicts(result: ScanResult) -> list[tuple[str, str, Status, str]]:
    return sorted((f.resource.cluster, f.rule_id, f.status, f.message) for f in result.findings)
