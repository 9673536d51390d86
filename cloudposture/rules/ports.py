"""Which node ports an internet-facing ingress rule opens, split between NODE-002 and NODE-003.

NODE-002 owns the ports an attacker wants first (remote admin, kubelet, etcd) and any rule
that opens every port; NODE-003 owns every other port outside the NodePort range. Keeping the
split here, in one place, is what guarantees a rule is never reported twice for the same port.
ICMP and port-less protocols open no port, so neither rule judges them.
"""

from __future__ import annotations

from typing import NamedTuple

from cloudposture.model import IngressRule
from cloudposture.model.ports import Interval, subtract

PORT_PROTOCOLS = frozenset({"tcp", "udp", "sctp", "all"})
NODEPORT_RANGE = (30000, 32767)
KUBELET_PORTS = frozenset({10250, 10255})


class AdminPort(NamedTuple):
    label: str
    low: int
    high: int


ADMIN_PORTS = (
    AdminPort("SSH", 22, 22),
    AdminPort("RDP", 3389, 3389),
    AdminPort("kubelet", 10250, 10250),
    AdminPort("kubelet read-only", 10255, 10255),
    AdminPort("etcd", 2379, 2380),
)


def port_range(rule: IngressRule) -> Interval:
    if rule.all_ports:
        return (0, 65535)
    low = rule.port_from if rule.port_from is not None else 0
    high = rule.port_to if rule.port_to is not None else low
    return (low, high)


def opens_all_ports(rule: IngressRule) -> bool:
    return rule.protocol in PORT_PROTOCOLS and rule.all_ports


def admin_ports_opened(rule: IngressRule) -> list[AdminPort]:
    """The TCP admin ports (SSH, RDP, kubelet, etcd) this rule lets in."""
    if rule.protocol not in ("tcp", "all"):
        return []
    low, high = port_range(rule)
    return [p for p in ADMIN_PORTS if p.low <= high and low <= p.high]


def exposes_kubelet(rule: IngressRule) -> bool:
    return any(p.low in KUBELET_PORTS for p in admin_ports_opened(rule))


def node002_match(rule: IngressRule) -> bool:
    """True when NODE-002 reports this rule: all ports, or an admin/kubelet/etcd port."""
    return opens_all_ports(rule) or bool(admin_ports_opened(rule))


def unexpected_ports(rule: IngressRule) -> list[Interval]:
    """Ports this rule opens that NODE-003 reports: not NODE-002's, not NodePorts.

    Rules Kubernetes itself opened for a LoadBalancer/NodePort Service are expected traffic,
    and an all-ports rule is NODE-002's whole, so both yield nothing here.
    """
    if rule.kubernetes_service or rule.protocol not in PORT_PROTOCOLS or opens_all_ports(rule):
        return []
    taken: list[Interval] = [NODEPORT_RANGE]
    if rule.protocol in ("tcp", "all"):
        taken += [(p.low, p.high) for p in ADMIN_PORTS]
    return subtract(port_range(rule), taken)


def describe_intervals(intervals: list[Interval]) -> str:
    return ", ".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in intervals)
