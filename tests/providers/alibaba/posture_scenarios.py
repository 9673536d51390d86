"""Every ACK scenario the fake API serves, collected through the real Alibaba Cloud SDK clients.

The posture contract (``tests/contract/test_posture_complete.py``) judges these: each ``None``
must be explained, and each field must hold a value somewhere. The Done-when world in
cn-hangzhou gives the good, exposed, ACL and dedicated clusters. Beside them:

- ``ack-unreadable`` (cn-hangzhou): every call succeeds but the answers say little: its
  ``meta_data`` is not JSON, ``master_url`` and ``current_version`` are empty, one pool has no
  node and another a node DescribeInstances does not return, and its logs name no project;
- ``ack-denied`` (cn-shanghai): listed and described, but every other read of it answers
  Forbidden.RAM (or RAM's NoPermission), so each failure's ``affects`` is checked against the
  facts it really leaves unknown;
- ``ack-no-pools`` (cn-shanghai): its node pools are denied, and its KMS key's answer omits
  AutomaticRotation.
"""

from __future__ import annotations

from cloudposture.model import ClusterPosture
from tests.providers.alibaba.conftest import make_scanner
from tests.providers.alibaba.fake_api import FakeAlibaba, Running
from tests.providers.alibaba.fixtures import (
    JSON,
    audit,
    cluster,
    control_plane_log,
    key,
    listener,
    load_balancer,
    node,
    nodepool,
    security_group,
    serve_world,
)
from tests.providers.alibaba.world import World

DENIED_REGION = "cn-shanghai"
DENIED_SG = "sg-denied"
DENIED_ROLE = "KubernetesWorkerRole-denied"
DENIED_KEY = "key-denied"
QUIET_KEY = "key-no-rotation-info"
UNREADABLE = "c0unread000000000000000000000005"
DENIED = "c0denied000000000000000000000006"
NO_POOLS = "c0nopools00000000000000000000007"


def _unreadable(world: World) -> None:
    """Answers that succeed but leave facts unknown (no call fails)."""
    detail = cluster(UNREADABLE, "ack-unreadable") | {
        "meta_data": '{"Capabilities": ',
        "master_url": "",
        "current_version": "",
    }
    world.add_cluster(
        detail,
        nodepools=[nodepool("np-empty", "empty-pool"), nodepool("np-lost", "lost-pool")],
        nodes=[node("i-lost1", "np-lost")],  # DescribeInstances does not know it
        control_plane_log=control_plane_log(UNREADABLE, ["apiserver"]) | {"log_project": ""},
        audit={"sls_project_name": "", "audit_enabled": True},
    )


def _denied(world: World) -> None:
    """Two clusters in a region where the reader's RAM policy stops after the cluster
    detail: per-cluster, per-resource and region-wide denials."""
    world.add_region(DENIED_REGION)
    world.add_security_group(DENIED_REGION, security_group(DENIED_SG, []))
    world.add_load_balancer(DENIED_REGION, load_balancer("lb-denied"), [listener("lb-denied")])
    quiet: JSON = key(QUIET_KEY)
    del quiet["KeyMetadata"]["AutomaticRotation"], quiet["KeyMetadata"]["RotationInterval"]
    world.add_key(DENIED_REGION, quiet)
    world.add_cluster(
        cluster(
            DENIED,
            "ack-denied",
            region=DENIED_REGION,
            public="https://47.100.10.40:6443",
            lb="lb-denied",
            kms_key=DENIED_KEY,
            sg=DENIED_SG,
            worker_role=DENIED_ROLE,
        ),
        nodepools=[nodepool("np-denied", "default-pool", groups=(DENIED_SG,))],
        nodes=[node("i-denied1", "np-denied")],
    )
    world.add_cluster(
        cluster(NO_POOLS, "ack-no-pools", region=DENIED_REGION, kms_key=QUIET_KEY),
        control_plane_log=control_plane_log(NO_POOLS, ["apiserver"]),
        audit=audit(NO_POOLS, True),
    )
    for action in (
        "DescribeInstances",
        "DescribeLoadBalancerTCPListenerAttribute",
        "DescribeKubernetesVersionMetadata",
    ):
        world.deny(action, DENIED_REGION)
    world.deny("DescribeSecurityGroupAttribute", DENIED_SG)
    world.deny("ListPoliciesForRole", DENIED_ROLE, code="NoPermission")
    world.deny("DescribeKey", DENIED_KEY)
    world.deny("CheckControlPlaneLogEnable", DENIED)
    world.deny("GetClusterAuditProject", DENIED)
    world.deny("DescribeClusterNodePools", NO_POOLS)


def scenario_world(world: World) -> None:
    """The Done-when world plus the three clusters of the module docstring."""
    serve_world(world)
    _unreadable(world)
    _denied(world)


def scenario_postures() -> list[ClusterPosture]:
    """Every cluster of every region, in discovery order, one scanner for all."""
    fake = FakeAlibaba()
    with Running(fake):
        scenario_world(World(fake))
        scanner = make_scanner(fake)
        return [scanner.collect(ref) for t in scanner.targets() for ref in scanner.discover(t)]
