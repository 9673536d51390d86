"""Row 2 cases: NODE-001 .. NODE-004, with the port boundaries between NODE-002 and NODE-003."""

from __future__ import annotations

from cloudposture.model import ClusterPosture, IngressRule, Severity, Status

from .builders import Case, denied, good_posture, ingress, pool, with_pools

POOLS_DENIED = denied("node_pools")
INGRESS_DENIED = denied("node_pools.internet_ingress", call="ec2:DescribeSecurityGroups")


def _open(*rules: IngressRule, public_ip: bool = False) -> ClusterPosture:
    return with_pools(pool("ng-1", internet_ingress=list(rules), public_ip=public_ip))


def _ingress_cases(rule_id: str) -> list[Case]:
    """The unknown-ingress and no-pools cases every ACL rule shares."""
    return [
        Case(
            "ingress-unknown",
            rule_id,
            with_pools(pool("ng-1"), pool("ng-2", internet_ingress=None), errors=(INGRESS_DENIED,)),
            Status.ERROR,
            (INGRESS_DENIED.one_line(), "node pools: ng-2"),
        ),
        Case(
            "pools-unknown",
            rule_id,
            good_posture(node_pools=None, collection_errors=[POOLS_DENIED]),
            Status.ERROR,
            (POOLS_DENIED.one_line(),),
        ),
        Case("no-pools", rule_id, with_pools(), Status.PASS, ("no node pools",)),
    ]


CASES = [
    # NODE-001: public IPs
    Case("private-nodes", "NODE-001", good_posture(), Status.PASS),
    Case("no-pools", "NODE-001", with_pools(), Status.PASS, ("no node pools",)),
    Case(
        "one-public-pool",
        "NODE-001",
        with_pools(pool("ng-private"), pool("ng-public", public_ip=True)),
        Status.FAIL,
        ("ng-public",),
    ),
    Case(
        "public-wins-over-unknown",
        "NODE-001",
        with_pools(pool("ng-a", public_ip=None), pool("ng-b", public_ip=True)),
        Status.FAIL,
        ("ng-b",),
    ),
    Case(
        "pool-unknown",
        "NODE-001",
        with_pools(
            pool("ng-a"),
            pool("ng-b", public_ip=None),
            errors=(denied("node_pools.public_ip", call="ec2:DescribeSubnets"),),
        ),
        Status.ERROR,
        ("ec2:DescribeSubnets on prod failed (AccessDenied)", "node pools: ng-b"),
    ),
    Case(
        "pools-unknown",
        "NODE-001",
        good_posture(node_pools=None, collection_errors=[POOLS_DENIED]),
        Status.ERROR,
        (POOLS_DENIED.one_line(),),
    ),
    # NODE-002: admin, kubelet, etcd ports and all-ports rules
    Case("https-only", "NODE-002", _open(ingress("tcp", 443)), Status.PASS),
    Case(
        "ssh",
        "NODE-002",
        _open(ingress("tcp", 22)),
        Status.FAIL,
        ("ng-1", "tcp/22 from 0.0.0.0/0 (sg-0abc) [SSH]"),
    ),
    Case(
        "ssh-on-public-nodes",
        "NODE-002",
        _open(ingress("tcp", 22), public_ip=True),
        Status.FAIL,
        ("the nodes have public IPs",),
        severity=Severity.CRITICAL,
    ),
    Case(
        "kubelet",
        "NODE-002",
        _open(ingress("tcp", 10250)),
        Status.FAIL,
        ("kubelet",),
        severity=Severity.CRITICAL,
    ),
    Case(
        "kubelet-read-only",
        "NODE-002",
        _open(ingress("tcp", 10255)),
        Status.FAIL,
        ("kubelet read-only",),
        severity=Severity.CRITICAL,
    ),
    Case("etcd", "NODE-002", _open(ingress("tcp", 2380)), Status.FAIL, ("etcd",)),
    Case("range-over-rdp", "NODE-002", _open(ingress("tcp", 3000, 4000)), Status.FAIL, ("RDP",)),
    Case(
        "all-traffic",
        "NODE-002",
        _open(ingress("all")),
        Status.FAIL,
        ("all/all from 0.0.0.0/0 (sg-0abc) [all ports]",),
        severity=Severity.CRITICAL,
    ),
    Case(
        "udp-all-ports",
        "NODE-002",
        _open(ingress("udp", 0, 65535)),
        Status.FAIL,
        ("[all ports]",),
        severity=Severity.CRITICAL,
    ),
    Case("udp-22-is-not-ssh", "NODE-002", _open(ingress("udp", 22)), Status.PASS),
    Case("icmp-opens-no-port", "NODE-002", _open(ingress("icmp")), Status.PASS),
    *_ingress_cases("NODE-002"),
    # NODE-003: other ports; NodePort range and Kubernetes-created rules are expected
    Case("nodeport-range", "NODE-003", _open(ingress("tcp", 30000, 32767)), Status.PASS),
    Case("nodeport-top-edge", "NODE-003", _open(ingress("tcp", 32767)), Status.PASS),
    Case("below-nodeport", "NODE-003", _open(ingress("tcp", 29999)), Status.FAIL, ("opens 29999",)),
    Case("above-nodeport", "NODE-003", _open(ingress("tcp", 32768)), Status.FAIL, ("opens 32768",)),
    Case(
        "https",
        "NODE-003",
        _open(ingress("tcp", 443), public_ip=True),
        Status.FAIL,
        ("tcp/443 from 0.0.0.0/0 (sg-0abc) opens 443", "public IPs"),
    ),
    Case(
        "kubernetes-service-rule",
        "NODE-003",
        _open(ingress("tcp", 443, origin="k8s-elb-a1b2", kubernetes_service=True)),
        Status.PASS,
    ),
    Case("ssh-is-node-002s", "NODE-003", _open(ingress("tcp", 22)), Status.PASS),
    Case("all-ports-is-node-002s", "NODE-003", _open(ingress("all")), Status.PASS),
    Case(
        "straddles-ssh",
        "NODE-003",
        _open(ingress("tcp", 20, 25)),
        Status.FAIL,
        ("opens 20-21, 23-25",),
    ),
    Case("udp-dns", "NODE-003", _open(ingress("udp", 53)), Status.FAIL, ("udp/53",)),
    Case("icmp", "NODE-003", _open(ingress("icmp")), Status.PASS),
    *_ingress_cases("NODE-003"),
    # NODE-004: provider SSH remote access without a source restriction
    Case("no-remote-access", "NODE-004", good_posture(), Status.PASS),
    Case(
        "restricted-remote-access",
        "NODE-004",
        with_pools(pool(ssh_access=True, ssh_source_restricted=True)),
        Status.PASS,
    ),
    Case(
        "open-remote-access",
        "NODE-004",
        with_pools(pool("ng-ssh", ssh_access=True, ssh_source_restricted=False)),
        Status.FAIL,
        ("ng-ssh",),
    ),
    Case(
        "restriction-unknown",
        "NODE-004",
        with_pools(
            pool(ssh_access=True, ssh_source_restricted=None),
            errors=(denied("node_pools.ssh_source_restricted"),),
        ),
        Status.ERROR,
        ("eks:DescribeNodegroup on prod failed", "node pools: ng-1"),
    ),
    Case(
        "remote-access-off-restriction-unknown",
        "NODE-004",
        with_pools(pool(ssh_access=False, ssh_source_restricted=None)),
        Status.PASS,
    ),
]
