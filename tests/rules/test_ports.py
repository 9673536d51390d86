"""The NODE-002 / NODE-003 port split: every opened port is reported by exactly one rule."""

from __future__ import annotations

import pytest

from cloudposture.rules.ports import (
    describe_intervals,
    node002_match,
    opens_all_ports,
    unexpected_ports,
)

from .builders import ingress


@pytest.mark.parametrize(
    ("protocol", "low", "high", "node002", "node003"),
    [
        ("tcp", 22, 22, True, ""),
        ("tcp", 2379, 2379, True, ""),
        ("tcp", 10255, 10255, True, ""),
        ("tcp", 443, 443, False, "443"),
        ("tcp", 20, 25, True, "20-21, 23-25"),
        ("tcp", 29000, 33000, False, "29000-29999, 32768-33000"),
        ("tcp", 30000, 32767, False, ""),
        ("udp", 22, 22, False, "22"),
        ("udp", 30000, 32767, False, ""),
        ("all", 3389, 3389, True, ""),
        ("sctp", 0, 65535, True, ""),
        ("icmp", None, None, False, ""),
        ("other", None, None, False, ""),
    ],
)
def test_split(
    protocol: str, low: int | None, high: int | None, node002: bool, node003: str
) -> None:
    rule = ingress(protocol, low, high)

    assert node002_match(rule) is node002
    assert describe_intervals(unexpected_ports(rule)) == node003


def test_every_port_of_a_wide_rule_is_reported_once() -> None:
    rule = ingress("tcp", 1, 40000)
    reported_by_003 = {
        port for low, high in unexpected_ports(rule) for port in range(low, high + 1)
    }
    admin = {22, 3389, 10250, 10255, 2379, 2380}
    nodeports = set(range(30000, 32768))

    assert reported_by_003 == set(range(1, 40001)) - admin - nodeports
    assert node002_match(rule)


def test_kubernetes_service_rules_are_expected() -> None:
    assert unexpected_ports(ingress("tcp", 8443, kubernetes_service=True)) == []


def test_icmp_is_not_all_ports() -> None:
    assert not opens_all_ports(ingress("icmp"))
    assert opens_all_ports(ingress("all"))
