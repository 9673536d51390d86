"""Effective internet-facing inbound evaluation of one NSG: priorities, Deny, sources, ports."""

from __future__ import annotations

from typing import Any

import pytest
from cloudposture_azure.nsg import internet_ingress, parse_ports

from tests.providers.azure.aks_world import nsg


def described(rules: list[tuple[Any, ...]]) -> list[str]:
    return [r.describe() for r in internet_ingress(nsg("s", "g", "n", rules))]


def test_platform_default_rules_alone_let_nothing_in() -> None:
    assert described([]) == []


@pytest.mark.parametrize("source", ["*", "Internet", "internet", "0.0.0.0/0", "::/0"])
def test_every_whole_internet_source_counts(source: str) -> None:
    assert described([("r", 100, "Allow", "Tcp", source, "22")]) == [f"tcp/22 from {source} (n/r)"]


@pytest.mark.parametrize("source", ["VirtualNetwork", "AzureLoadBalancer", "203.0.113.0/24"])
def test_narrower_sources_are_not_internet_facing(source: str) -> None:
    assert described([("r", 100, "Allow", "Tcp", source, "22")]) == []


def test_deny_at_higher_priority_beats_a_later_allow() -> None:
    rules = [
        ("deny", 100, "Deny", "Tcp", "Internet", "22"),
        ("allow", 200, "Allow", "Tcp", "*", "22"),
    ]
    assert described(rules) == []


def test_allow_at_higher_priority_beats_a_later_deny_whatever_the_list_order() -> None:
    rules = [("deny", 200, "Deny", "*", "Internet", "*"), ("allow", 100, "Allow", "Tcp", "*", "22")]
    assert described(rules) == ["tcp/22 from * (n/allow)"]


def test_partial_deny_leaves_the_rest_of_a_range_open() -> None:
    rules = [
        ("deny-ssh", 100, "Deny", "Tcp", "Internet", "22"),
        ("wide", 200, "Allow", "Tcp", "Internet", "20-25"),
    ]
    assert described(rules) == [
        "tcp/20-21 from Internet (n/wide)",
        "tcp/23-25 from Internet (n/wide)",
    ]


def test_deny_from_a_narrow_source_does_not_close_a_port_to_the_internet() -> None:
    rules = [
        ("deny-one", 100, "Deny", "Tcp", "198.51.100.7/32", "22"),
        ("allow", 200, "Allow", "Tcp", "Internet", "22"),
    ]
    assert described(rules) == ["tcp/22 from Internet (n/allow)"]


def test_source_prefix_lists_and_port_lists() -> None:
    body = nsg("s", "g", "n", [("r", 100, "Allow", "Udp", "10.0.0.0/8", ["53", "1000-1001"])])
    props = body["properties"]["securityRules"][0]["properties"]
    props["sourceAddressPrefixes"] = ["10.0.0.0/8", "0.0.0.0/0"]
    assert [r.describe() for r in internet_ingress(body)] == [
        "udp/53 from 0.0.0.0/0 (n/r)",
        "udp/1000-1001 from 0.0.0.0/0 (n/r)",
    ]


def test_any_protocol_all_ports_is_one_all_rule() -> None:
    (rule,) = internet_ingress(nsg("s", "g", "n", [("open", 100, "Allow", "*", "*", "*")]))
    assert (rule.protocol, rule.all_ports, rule.covers(10250)) == ("all", True, True)


def test_outbound_rules_are_ignored() -> None:
    body = nsg("s", "g", "n", [("out", 100, "Allow", "*", "*", "*")])
    body["properties"]["securityRules"][0]["properties"]["direction"] = "Outbound"
    assert internet_ingress(body) == []


@pytest.mark.parametrize(
    ("name", "service"),
    [
        ("k8s-azure-lb_allow_IPv4_0123abcd", True),
        ("a0123456789abcdef0123456789abcdef-TCP-80-Internet", True),
        ("allow-http", False),
    ],
)
def test_load_balancer_service_rules_are_marked(name: str, service: bool) -> None:
    (rule,) = internet_ingress(nsg("s", "g", "n", [(name, 500, "Allow", "Tcp", "Internet", "80")]))
    assert rule.kubernetes_service is service


def test_port_parsing() -> None:
    assert parse_ports("*", None) == ((0, 65535),)
    assert parse_ports(None, ["22", "8000-8080"]) == ((22, 22), (8000, 8080))
    assert parse_ports("", []) == ((0, 65535),)
