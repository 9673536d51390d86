"""Self-managed nodes that run as different instance profiles: every identity is judged.

Instances without an ASG or Karpenter tag fall into one "self-managed" pool. A least-privilege
instance profile next to an admin one must fail IAM-001 for the cluster (the worst identity
decides), and the finding's evidence must name each identity, not only the first one sorted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest
from cloudposture_aws.demo import Seeder
from moto import mock_aws

from cloudposture.engine import ScanOptions, run_scan
from cloudposture.model import ScanResult, Status
from cloudposture.rules.catalog import ALL_RULES

from .support import InProcessClients, scanner

REGION = "us-east-2"
MANAGED_POLICIES = {"iam": {"load_aws_managed_policies": True}}


@pytest.fixture(scope="module")
def mixed() -> Iterator[dict[str, str]]:
    """Cluster ``mixed``: self-managed nodes as a least-privilege and an admin profile;
    cluster ``narrow``: self-managed nodes as the least-privilege profile only."""
    with mock_aws(config=cast(Any, MANAGED_POLICIES)):
        s = Seeder(InProcessClients())
        subnet = s.subnet(REGION, "10.0.1.0/24")
        cluster_role = s.role("cluster", ["AmazonEKSClusterPolicy"])
        s.role("node-least", ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"])
        s.role("node-admin", ["AdministratorAccess"])
        least = s.instance_profile("nodes-least", "node-least")  # sorts first
        admin = s.instance_profile("nodes-wide", "node-admin")
        for name in ("mixed", "narrow"):
            s.cluster(
                REGION,
                name,
                role=cluster_role,
                version="1.33",
                subnets=[subnet],
                public=False,
                private=True,
            )
        s.instances(REGION, subnet, [], {"eks:cluster-name": "mixed"}, least)
        s.instances(REGION, subnet, [], {"kubernetes.io/cluster/mixed": "owned"}, admin)
        s.instances(REGION, subnet, [], {"eks:cluster-name": "narrow"}, least)
        yield {"least": least, "admin": admin}


@pytest.fixture(scope="module")
def result(mixed: dict[str, str]) -> ScanResult:
    return run_scan([scanner({"region": (REGION,)})], ScanOptions(rules=ALL_RULES, max_workers=4))


def _finding(result: ScanResult, cluster: str, rule: str) -> Any:
    [found] = [f for f in result.findings if f.resource.cluster == cluster and f.rule_id == rule]
    return found


def test_admin_profile_beside_least_privilege_fails_iam_001(result: ScanResult) -> None:
    finding = _finding(result, "mixed", "IAM-001")
    assert finding.status is Status.FAIL
    assert "role/node-admin" in finding.message
    assert "role/node-least" not in finding.message  # the message names the bad one
    facts = {e.fact: e.value for e in finding.evidence}
    pool = "node_pools[self-managed]"
    least = "arn:aws:iam::123456789012:role/node-least"
    admin = "arn:aws:iam::123456789012:role/node-admin"
    assert facts[f"{pool}.identities[{least}].admin_equivalent"] is False
    assert facts[f"{pool}.identities[{admin}].admin_equivalent"] is True
    assert sorted(facts[f"{pool}.identities"]) == [admin, least]


def test_least_privilege_profile_alone_passes(result: ScanResult) -> None:
    assert _finding(result, "narrow", "IAM-001").status is Status.PASS


def test_metadata_finding_names_every_identity(result: ScanResult) -> None:
    finding = _finding(result, "mixed", "IAM-004")
    values = {e.fact: e.value for e in finding.evidence}
    assert len(values["node_pools[self-managed].identities"]) == 2
