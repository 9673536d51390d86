"""Row 2: network access to nodes.

The table asks that nodes accept connections only from the control plane on the specified
ports and for NodePort / LoadBalancer services, and that nodes are not on the public internet
at all where possible. NODE-002 and NODE-003 judge the network ACL itself (security group,
firewall rule, NSG) whether or not the nodes also have public IPs, as the table does; the
port split between them lives in :mod:`cloudposture.rules.ports`.
"""

from __future__ import annotations

from cloudposture.model import ClusterPosture, Evidence, IngressRule, NodePool, Severity
from cloudposture.rules.base import Outcome, Rule, RuleMeta, RuleSettings
from cloudposture.rules.judge import (
    Link,
    PoolVerdict,
    all_hold,
    flag_link,
    ingress_fact,
    judge_pools,
    pool_fact,
)
from cloudposture.rules.ports import (
    admin_ports_opened,
    describe_intervals,
    exposes_kubelet,
    node002_match,
    opens_all_ports,
    unexpected_ports,
)


def _ingress_evidence(pool: NodePool) -> tuple[Evidence, ...]:
    return (ingress_fact(pool), pool_fact(pool, "public_ip"))


def _unknown_ingress(pool: NodePool) -> PoolVerdict:
    return PoolVerdict(
        bad=None,
        evidence=_ingress_evidence(pool),
        unknown_facts=("node_pools.internet_ingress",),
    )


def _public_note(pool: NodePool) -> str:
    return "; the nodes have public IPs" if pool.public_ip else ""


def check_public_ips(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when any node pool gives its nodes public IP addresses (names the pools); ERROR
    when a pool's setting is unknown and none is public; PASS otherwise."""
    return judge_pools(
        posture,
        lambda pool: all_hold(flag_link(pool, "public_ip")),
        fail="nodes get public IP addresses in node pool(s)",
        ok="no node pool gives its nodes public IP addresses",
    )


def _describe_admin_hit(rule: IngressRule) -> str:
    if opens_all_ports(rule):
        return f"{rule.describe()} [all ports]"
    labels = ", ".join(p.label for p in admin_ports_opened(rule))
    return f"{rule.describe()} [{labels}]"


def _admin_exposure(pool: NodePool) -> PoolVerdict:
    if pool.internet_ingress is None:
        return _unknown_ingress(pool)
    hits = [r for r in pool.internet_ingress if node002_match(r)]
    evidence = _ingress_evidence(pool)
    if not hits:
        return PoolVerdict(bad=False, evidence=evidence)
    worst = pool.public_ip is True or any(opens_all_ports(r) or exposes_kubelet(r) for r in hits)
    return PoolVerdict(
        bad=True,
        evidence=evidence,
        detail=", ".join(_describe_admin_hit(r) for r in hits) + _public_note(pool),
        severity=Severity.CRITICAL if worst else None,
    )


def check_admin_ports(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when a node pool's internet-facing ingress covers tcp 22, 3389, 10250, 10255,
    2379-2380, or all ports. Raised to critical when the rule opens all ports or a kubelet
    port, or when the nodes have public IPs."""
    return judge_pools(
        posture,
        _admin_exposure,
        fail="the internet may reach admin, kubelet or etcd ports on node pool(s)",
        ok="no internet-facing ingress reaches admin, kubelet or etcd ports on the nodes",
    )


def _other_exposure(pool: NodePool) -> PoolVerdict:
    if pool.internet_ingress is None:
        return _unknown_ingress(pool)
    extra = [(r, unexpected_ports(r)) for r in pool.internet_ingress]
    shown = [f"{r.describe()} opens {describe_intervals(ports)}" for r, ports in extra if ports]
    evidence = _ingress_evidence(pool)
    if not shown:
        return PoolVerdict(bad=False, evidence=evidence)
    return PoolVerdict(bad=True, evidence=evidence, detail=", ".join(shown) + _public_note(pool))


def check_other_ports(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when a node pool's internet-facing ingress opens a port that NODE-002 does not
    already name and that is outside the NodePort range 30000-32767. Rules Kubernetes opened
    for a LoadBalancer/NodePort Service are expected, and all-ports rules are NODE-002's."""
    return judge_pools(
        posture,
        _other_exposure,
        fail="the internet may reach node ports beyond NodePort/LoadBalancer traffic on node "
        "pool(s)",
        ok="internet-facing ingress to the nodes is limited to NodePort/LoadBalancer traffic",
    )


def _open_ssh(pool: NodePool) -> PoolVerdict:
    restricted = pool_fact(pool, "ssh_source_restricted")
    unrestricted = None if pool.ssh_source_restricted is None else not pool.ssh_source_restricted
    return all_hold(
        flag_link(pool, "ssh_access"),
        Link("node_pools.ssh_source_restricted", unrestricted, restricted),
    )


def check_unrestricted_ssh(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when a node pool has the provider's SSH remote access on without a source
    restriction (which opens port 22 to every address)."""
    return judge_pools(
        posture,
        _open_ssh,
        fail="SSH remote access is on without a source restriction in node pool(s)",
        ok="no node pool allows unrestricted SSH remote access",
    )


NODE_001 = Rule(
    meta=RuleMeta(
        id="NODE-001",
        title="Nodes get public IP addresses",
        row="2",
        severity=Severity.MEDIUM,
        rationale=(
            "A node with a public IP is one security-group or firewall mistake away from the "
            "internet, and scanners find it within minutes. The table asks that nodes are not "
            "exposed on the public internet at all where possible; private nodes reach the "
            "internet through NAT and receive traffic only through load balancers."
        ),
    ),
    check=check_public_ips,
)

NODE_002 = Rule(
    meta=RuleMeta(
        id="NODE-002",
        title="Internet may reach admin or kubelet ports on nodes",
        row="2",
        severity=Severity.HIGH,
        rationale=(
            "SSH, RDP, the kubelet API (10250, and the unauthenticated read-only 10255) and "
            "etcd are the first ports attackers try: an exposed kubelet can run commands in "
            "any pod on the node. The table asks that nodes accept connections only from the "
            "control plane on the specified ports. Raised to critical for all-ports or kubelet "
            "exposure, or when the nodes have public IPs and are therefore reachable now."
        ),
    ),
    check=check_admin_ports,
)

NODE_003 = Rule(
    meta=RuleMeta(
        id="NODE-003",
        title="Internet may reach node ports other than NodePort/LoadBalancer traffic",
        row="2",
        severity=Severity.MEDIUM,
        rationale=(
            "Besides the control plane, nodes should only receive traffic for NodePort and "
            "LoadBalancer Services. Any other port open to the internet exposes host daemons, "
            "hostPort and hostNetwork pods directly, bypassing the load balancer and any "
            "Ingress controls in front of it."
        ),
    ),
    check=check_other_ports,
)

NODE_004 = Rule(
    meta=RuleMeta(
        id="NODE-004",
        title="SSH remote access on node pools without a source restriction",
        row="2",
        severity=Severity.HIGH,
        rationale=(
            "An EKS managed node group with remote access and no source security groups opens "
            "port 22 on every node to the whole internet. SSH keys get shared and leak, and a "
            "shell on a node gives access to every pod on it and to the node's IAM role."
        ),
    ),
    check=check_unrestricted_ssh,
)

RULES = (NODE_001, NODE_002, NODE_003, NODE_004)
