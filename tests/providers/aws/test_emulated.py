"""The adapter against a moto server behind the EKS front (real HTTP, real boto3).

These run the demo seeding, so each rule that applies to EKS meets a PASS and a FAIL case
through the adapter, and denied calls can be injected as an SCP would deny them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from cloudposture_aws import permissions
from cloudposture_aws.adapter import EksScanner
from cloudposture_aws.demo import REGIONS
from cloudposture_aws.emulator import EksFront
from cloudposture_aws.lookups import ACCOUNT_IAM_AFTER

from cloudposture.engine import ScanOptions, run_scan
from cloudposture.model import ClusterPosture, CollectionFailure, ScanResult, Status
from cloudposture.rules.catalog import ALL_RULES
from cloudposture.rules.guidance import installed_guidance

from .conftest import EXPECTED_FAILS
from .support import Recorder, scanner

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]


def scan(
    front: EksFront, recorder: Recorder | None = None, account_iam_after: int = ACCOUNT_IAM_AFTER
) -> ScanResult:
    aws = scanner(
        {"endpoint_url": front.url, "region": REGIONS}, account_iam_after=account_iam_after
    )
    if recorder is not None:
        recorder.attach(aws)
    return run_scan([aws], ScanOptions(rules=ALL_RULES, max_workers=8))


def collect_one(front: EksFront, name: str) -> tuple[EksScanner, ClusterPosture]:
    """A fresh scanner (fresh lookups) and one us-east-1 demo cluster's posture."""
    aws = scanner({"endpoint_url": front.url, "region": ("us-east-1",)})
    [target] = aws.targets()
    [ref] = [r for r in aws.discover(target) if r.name == name]
    return aws, aws.collect(ref)


def statuses(result: ScanResult) -> dict[str, dict[str, set[str]]]:
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for f in result.findings:
        out[f.resource.cluster][f.status.value].add(f.rule_id)
    return out


def test_demo_clusters_get_exactly_the_fails_they_deserve(clean_front: EksFront) -> None:
    result = scan(clean_front)
    got = statuses(result)
    assert {c: got[c]["FAIL"] for c in got} == EXPECTED_FAILS
    assert not any(got[c]["ERROR"] for c in got)
    assert result.scan.complete is True


def test_every_eks_rule_has_a_pass_and_a_fail_case(clean_front: EksFront, tmp_path: Path) -> None:
    got = statuses(scan(clean_front))
    for rule in ALL_RULES:
        if installed_guidance().not_applicable(rule.meta.id, "aws") is not None:
            continue
        seen = {
            status
            for cluster in got.values()
            for status, ids in cluster.items()
            if rule.meta.id in ids
        }
        if rule.meta.id == "ETCD-001":
            # EKS always runs etcd in the AWS-managed control plane: no FAIL exists on EKS.
            assert seen == {"PASS"}
            continue
        assert {"PASS", "FAIL"} <= seen, rule.meta.id


def test_account_wide_iam_reads_give_the_same_findings(clean_front: EksFront) -> None:
    """The demo's five clusters are read role by role; forced account-wide, IAM comes from
    one GetAccountAuthorizationDetails and every finding stays the same."""
    recorder = Recorder()
    by_role = scan(clean_front)
    account_wide = scan(clean_front, recorder, account_iam_after=0)
    assert recorder.count("iam:GetAccountAuthorizationDetails") == 1
    assert recorder.count("iam:GetRole") == recorder.count("iam:GetInstanceProfile") == 0
    assert statuses(account_wide) == statuses(by_role)
    assert [f.message for f in account_wide.findings] == [f.message for f in by_role.findings]


def test_declared_permissions_are_exactly_the_calls_made(clean_front: EksFront) -> None:
    """Both IAM read paths (role by role for a few clusters, account-wide for more), and
    DescribeRegions when no region is given."""
    recorder = Recorder()
    scan(clean_front, recorder)
    scan(clean_front, recorder, account_iam_after=0)
    every_region = scanner({"endpoint_url": clean_front.url})
    recorder.attach(every_region)
    assert len(every_region.targets()) > 2  # ec2:DescribeRegions
    used = set(recorder.calls)
    assert used == set(permissions.ACTIONS)
    assert all(a.split(":")[1].startswith(permissions.READ_ONLY_PREFIXES) for a in used)


def test_policy_file_is_generated_from_the_declared_list() -> None:
    shipped = (ROOT / "docs" / "permissions" / "aws-readonly-policy.json").read_text()
    assert shipped == permissions.policy_json()
    assert json.loads(shipped)["Statement"][0]["Action"] == list(permissions.ACTIONS)


def test_denied_region_fails_discovery_as_denied(clean_front: EksFront) -> None:
    clean_front.extras.denied_regions.add("ap-southeast-2")
    aws = scanner({"endpoint_url": clean_front.url, "region": ("us-east-1", "ap-southeast-2")})
    east, sydney = aws.targets()
    assert {r.name for r in aws.discover(east)} == {"payments-prod", "analytics-dev", "ml-training"}
    with pytest.raises(CollectionFailure) as caught:
        aws.discover(sydney)
    error = caught.value.error
    assert (error.call, error.kind, error.code) == (
        "eks:ListClusters",
        "denied",
        "AccessDeniedException",
    )
    assert error.resource == "123456789012/ap-southeast-2"


def test_denied_get_role_leaves_identities_unknown_and_says_why(clean_front: EksFront) -> None:
    clean_front.extras.denied_actions.add("iam:GetRole")
    aws, posture = collect_one(clean_front, "payments-prod")
    assert posture.control_plane_identity is None
    assert posture.node_pools is not None
    assert [p.identities for p in posture.node_pools] == [None]
    assert posture.node_pools[0].internet_ingress == []  # the rest is still read
    errors = {e.resource.rsplit("/", 1)[-1]: e for e in posture.collection_errors}
    assert {e.call for e in errors.values()} == {"iam:GetRole"}
    assert {e.kind for e in errors.values()} == {"denied"}
    assert errors["eks-cluster"].affects == ["control_plane_identity"]  # one error per role
    assert errors["eks-node"].affects == ["node_pools.identities"]
    result = run_scan([aws], ScanOptions(rules=ALL_RULES, max_workers=4))
    by_rule = {f.rule_id: f for f in result.findings if f.resource.cluster == "payments-prod"}
    assert by_rule["IAM-002"].status is Status.ERROR
    assert "iam:GetRole" in by_rule["IAM-002"].message
    assert by_rule["IAM-001"].status is Status.ERROR
    assert result.scan.complete is False


def test_denied_managed_policy_read_is_an_error_not_a_pass(clean_front: EksFront) -> None:
    """Account-wide, customer policies come with the listing; the AWS-managed ones attached
    need iam:GetPolicyVersion. Denied, an unknown AWS-managed policy leaves the verdict
    unknown (ERROR naming the call), a known admin name still fails, and IAM-002 (judged on
    policy names) still passes."""
    clean_front.extras.denied_actions.add("iam:GetPolicyVersion")
    result = scan(clean_front, account_iam_after=0)
    by = {(f.resource.cluster, f.rule_id): f for f in result.findings}
    for cluster in ("payments-prod", "legacy-batch", "edge-gateway"):  # the eks-node role
        found = by[(cluster, "IAM-001")]
        assert found.status is Status.ERROR, cluster
        assert "iam:GetPolicyVersion" in found.message
        assert "AmazonEKSWorkerNodePolicy" in found.message
    assert by[("analytics-dev", "IAM-001")].status is Status.FAIL  # AdministratorAccess
    assert by[("ml-training", "IAM-001")].status is Status.FAIL  # inline * on *
    assert by[("payments-prod", "IAM-002")].status is Status.PASS
    assert result.scan.complete is False


def test_denied_managed_policy_read_names_the_facts_it_leaves_unknown(
    clean_front: EksFront,
) -> None:
    clean_front.extras.denied_actions.add("iam:GetPolicyVersion")
    _, posture = collect_one(clean_front, "payments-prod")
    cp = posture.control_plane_identity
    assert cp is not None
    assert (cp.admin_equivalent, cp.wildcard_grants, cp.exceeds_minimum) == (None, None, False)
    [error] = [e for e in posture.collection_errors if e.resource.endswith("ClusterPolicy")]
    assert (error.call, error.kind) == ("iam:GetPolicyVersion", "denied")
    assert error.affects == [
        "control_plane_identity.admin_equivalent",
        "control_plane_identity.wildcard_grants",
    ]


def test_denied_security_groups_leave_ingress_unknown(clean_front: EksFront) -> None:
    clean_front.extras.denied_actions.add("ec2:DescribeSecurityGroups")
    _, posture = collect_one(clean_front, "analytics-dev")
    assert posture.node_pools is not None
    [workers] = posture.node_pools
    assert workers.internet_ingress is None
    assert workers.public_ip is True  # subnets were still read
    [error] = posture.collection_errors
    assert (error.call, error.kind, error.code) == (
        "ec2:DescribeSecurityGroups",
        "denied",
        "UnauthorizedOperation",
    )
    assert error.affects == ["node_pools.internet_ingress"]


def test_denied_key_read_leaves_key_facts_unknown(clean_front: EksFront) -> None:
    clean_front.extras.denied_actions.add("kms:DescribeKey")
    _, posture = collect_one(clean_front, "payments-prod")
    enc = posture.secrets_encryption
    assert enc.customer_key_enabled is True  # from DescribeCluster, still known
    assert (enc.key_state, enc.key_usable, enc.rotation_enabled) == (None, None, None)
    assert enc.key_error is not None
    assert "kms:DescribeKey" in enc.key_error
    [error] = posture.collection_errors
    assert (error.call, error.kind, error.code) == (
        "kms:DescribeKey",
        "denied",
        "AccessDeniedException",
    )
    assert "secrets_encryption.key_usable" in error.affects


def test_self_managed_cni_is_an_error_with_the_reason(clean_front: EksFront) -> None:
    key = ("us-east-1", "payments-prod")
    installed = clean_front.extras.addons[key]
    clean_front.extras.addons[key] = {"eks-pod-identity-agent": {}}
    try:
        result = scan(clean_front)
    finally:
        clean_front.extras.addons[key] = installed
    [net] = [
        f
        for f in result.findings
        if f.resource.cluster == "payments-prod" and f.rule_id == "NET-001"
    ]
    assert net.status is Status.ERROR
    assert "self-managed CNI" in net.message
    assert result.scan.complete is True  # nothing failed to read: the API cannot show it
