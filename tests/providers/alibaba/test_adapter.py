"""The ACK adapter against the fake: paging, shared reads, and failures recorded as data."""

from __future__ import annotations

import pytest

from cloudposture.model import ClusterPosture, CollectionFailure, Status
from cloudposture.model.completeness import unexplained_fields
from cloudposture.plugin import Target
from tests.providers.alibaba.conftest import make_scanner
from tests.providers.alibaba.fake_api import FakeAlibaba
from tests.providers.alibaba.fixtures import (
    REGION,
    cluster,
    instance,
    node,
    nodepool,
    system_policy,
)
from tests.providers.alibaba.judge import check_message, fails, outcomes
from tests.providers.alibaba.world import ACCOUNT, World


def test_targets_name_the_account_and_every_region_describe_regions_returns(
    world: World,
) -> None:
    world.add_region("cn-beijing")
    targets = make_scanner(world.fake).targets()
    assert [(t.account, t.region) for t in targets] == [
        (ACCOUNT, "cn-beijing"),
        (ACCOUNT, REGION),
    ]
    assert world.fake.count("GetCallerIdentity") == 1
    assert world.fake.count("DescribeRegions") == 1


def test_given_regions_are_scanned_without_describe_regions(world: World) -> None:
    targets = make_scanner(world.fake, region=("cn-shenzhen",)).targets()
    assert [t.region for t in targets] == ["cn-shenzhen"]
    assert world.fake.count("DescribeRegions") == 0


def test_clusters_and_nodes_are_paged(world: World) -> None:
    big = "c0big000000000000000000000000005"
    ids = [f"i-big{n}" for n in range(5)]
    world.add_cluster(
        cluster(big, "ack-big", kms_key=""),
        nodepools=[nodepool("np-big", "big-pool")],
        nodes=[node(i, "np-big") for i in ids],
    )
    for iid in ids:
        world.add_instance(REGION, instance(iid))
    scanner = make_scanner(world.fake, page_size=2)
    refs = scanner.discover(Target(provider="alibaba", account=ACCOUNT, region=REGION))
    assert [r.name for r in refs] == [
        "ack-good", "ack-exposed", "ack-acl", "ack-dedicated", "ack-big"
    ]  # fmt: skip
    assert world.fake.count("DescribeClustersV1") == 3  # 5 clusters, 2 a page
    posture = scanner.collect(refs[-1])
    assert world.fake.count("DescribeClusterNodes") == 3  # 5 nodes, 2 a page
    (pool,) = posture.node_pools or []
    assert pool.metadata_detail == "all 5 node(s) require metadata tokens (hardened mode)"
    ref = refs[-1]
    assert ref.native_id == f"acs:cs:{REGION}:{ACCOUNT}:cluster/{big}"
    assert ref.tags == {"env": "prod"}


def test_shared_reads_are_made_once_per_scan(world: World) -> None:
    scanner = make_scanner(world.fake)
    (target,) = scanner.targets()
    for ref in scanner.discover(target):
        scanner.collect(ref)
    # sg-good serves three clusters, the narrow role three, the key two; each is read once.
    # Only ack-dedicated has masters: one DescribeInstanceRamRole, for its one master.
    groups = [c.params["SecurityGroupId"] for c in world.fake.calls
              if c.action == "DescribeSecurityGroupAttribute"]  # fmt: skip
    assert sorted(groups) == ["sg-good", "sg-open"]
    roles = [c.params["RoleName"] for c in world.fake.calls if c.action == "ListPoliciesForRole"]
    assert sorted(roles) == [
        "KubernetesMasterRole-ded", "KubernetesWorkerRole-admin", "KubernetesWorkerRole-good"
    ]  # fmt: skip
    (masters,) = [c for c in world.fake.calls if c.action == "DescribeInstanceRamRole"]
    assert masters.params["InstanceIds"] == '["i-master1"]'
    assert world.fake.count("DescribeKey") == 2
    assert world.fake.count("DescribeKubernetesVersionMetadata") == 2  # managed, dedicated
    assert world.fake.problems == []


def test_a_region_answering_forbidden_ram_is_a_collection_failure(world: World) -> None:
    world.deny("DescribeClustersV1", "cn-shanghai")
    scanner = make_scanner(world.fake)
    with pytest.raises(CollectionFailure) as caught:
        scanner.discover(Target(provider="alibaba", account=ACCOUNT, region="cn-shanghai"))
    error = caught.value.error
    assert (error.call, error.kind, error.code) == (
        "cs:DescribeClustersV1", "denied", "Forbidden.RAM"
    )  # fmt: skip
    assert error.resource == f"{ACCOUNT}/cn-shanghai"
    assert "code: 403" not in error.message  # the status is recorded apart, once
    assert scanner.discover(Target(provider="alibaba", account=ACCOUNT, region=REGION))


def test_denied_reads_leave_their_facts_unknown_with_the_reason(world: World) -> None:
    world.deny("DescribeSecurityGroupAttribute", "sg-open")
    world.deny("DescribeLoadBalancerTCPListenerAttribute")
    world.deny("ListPoliciesForRole", "KubernetesWorkerRole-admin", code="NoPermission")
    world.deny("GetClusterAuditProject")
    scanner = make_scanner(world.fake)
    (target,) = scanner.targets()
    exposed = next(r for r in scanner.discover(target) if r.name == "ack-exposed")
    posture = scanner.collect(exposed)
    calls = {e.call for e in posture.collection_errors}
    assert calls == {
        "ecs:DescribeSecurityGroupAttribute",
        "slb:DescribeLoadBalancerTCPListenerAttribute",
        "ram:ListPoliciesForRole",
        "cs:GetClusterAuditProject",
    }
    status = outcomes(posture)
    assert status["NODE-002"] == Status.ERROR
    assert status["CP-001"] == Status.ERROR
    assert status["CP-002"] == Status.FAIL  # the public endpoint itself is known
    assert status["IAM-001"] == Status.ERROR
    assert status["LOG-001"] == Status.ERROR
    assert "Forbidden.RAM" in check_message(posture, "NODE-002")
    assert "NoPermission" in check_message(posture, "IAM-001")
    assert "slb:DescribeLoadBalancerTCPListenerAttribute" in check_message(posture, "CP-001")


def test_a_cluster_whose_detail_is_denied_cannot_be_collected(world: World) -> None:
    world.deny("DescribeClusterDetail", "c0good0000000000000000000000001")
    scanner = make_scanner(world.fake)
    (target,) = scanner.targets()
    good = next(r for r in scanner.discover(target) if r.name == "ack-good")
    with pytest.raises(CollectionFailure) as caught:
        scanner.collect(good)
    assert caught.value.error.call == "cs:DescribeClusterDetail"


def test_an_unknown_access_key_is_denied_not_a_traceback(fake: FakeAlibaba) -> None:
    World(fake)
    fake.key_ids.clear()
    with pytest.raises(CollectionFailure) as caught:
        make_scanner(fake).targets()
    assert (caught.value.error.kind, caught.value.error.code) == (
        "denied", "InvalidAccessKeyId.NotFound"
    )  # fmt: skip


def test_an_endpoint_nobody_listens_on_is_unavailable() -> None:
    fake = FakeAlibaba(port=9)  # discard port: nothing listens there
    with pytest.raises(CollectionFailure) as caught:
        make_scanner(fake).targets()
    assert caught.value.error.kind == "unavailable"
    assert caught.value.error.call == "sts:GetCallerIdentity"


def test_a_custom_policy_that_is_not_json_is_an_error_not_a_harmless_policy(
    world: World,
) -> None:
    from tests.providers.alibaba.fixtures import custom_policy

    world.add_role("KubernetesWorkerRole-good", [custom_policy("broken")], {"broken": "{Statem"})
    scanner = make_scanner(world.fake)
    (target,) = scanner.targets()
    good = next(r for r in scanner.discover(target) if r.name == "ack-good")
    posture = scanner.collect(good)
    (error,) = posture.collection_errors
    assert (error.call, error.kind, error.code) == (
        "ram:GetPolicyVersion", "invalid", "MalformedPolicyDocument"
    )  # fmt: skip
    assert error.affects == ["node_pools.identities"]
    assert outcomes(posture)["IAM-001"] == Status.ERROR
    assert "broken is not JSON" in check_message(posture, "IAM-001")


def _dedicated(world: World) -> ClusterPosture:
    scanner = make_scanner(world.fake)
    (target,) = scanner.targets()
    return scanner.collect(next(r for r in scanner.discover(target) if r.name == "ack-dedicated"))


def test_dedicated_masters_running_as_an_admin_role_fail_iam_001(world: World) -> None:
    world.add_role("KubernetesMasterRole-admin", [system_policy("AdministratorAccess")], {})
    world.add_instance(REGION, instance("i-master1"), ram_role="KubernetesMasterRole-admin")
    posture = _dedicated(world)
    assert posture.collection_errors == []
    assert outcomes(posture)["IAM-001"] == Status.FAIL
    assert "KubernetesMasterRole-admin" in check_message(posture, "IAM-001")
    assert fails(posture) == {"ETCD-001", "IAM-001"}


def test_masters_with_no_instance_role_run_as_no_identity(world: World) -> None:
    """No master has a RAM role: the masters get no cloud credentials from metadata, so they
    hold nothing to abuse (IAM-001 PASS, IAM-004 PASS for them), and nothing is unknown."""
    world.instance_roles.clear()
    posture = _dedicated(world)
    masters = next(p for p in posture.node_pools or [] if p.name == "masters")
    assert masters.identities == []
    assert "identities" not in masters.unknown_reasons
    assert posture.collection_errors == []
    assert outcomes(posture)["IAM-001"] == Status.PASS
    assert unexplained_fields(posture) == []


def test_a_denied_instance_role_read_is_an_iam_001_error_naming_the_call(world: World) -> None:
    world.deny("DescribeInstanceRamRole", REGION)
    posture = _dedicated(world)
    (error,) = posture.collection_errors
    assert (error.call, error.kind, error.code) == (
        "ecs:DescribeInstanceRamRole", "denied", "Forbidden.RAM"
    )  # fmt: skip
    assert error.affects == ["node_pools.identities"]
    pools = {p.name: p for p in posture.node_pools or []}
    assert pools["masters"].identities is None
    assert pools["masters"].unknown_reasons == {}  # the error explains it
    assert pools["default-pool"].identities  # the workers' role is still judged
    assert outcomes(posture)["IAM-001"] == Status.ERROR
    assert "ecs:DescribeInstanceRamRole" in check_message(posture, "IAM-001")
    assert unexplained_fields(posture) == []
