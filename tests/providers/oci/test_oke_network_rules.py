"""NSG and security-list rules -> internet ingress and the sources reaching 6443 (pure)."""

from __future__ import annotations

from typing import Any

import pytest
from cloudposture_oci.security_rules import (
    internet_ingress,
    nsg_rules,
    security_list_rules,
    sources_reaching,
)


def rule(
    protocol: str, source: str, ports: tuple[int, int] | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "protocol": protocol,
        "source": source,
        "sourceType": "CIDR_BLOCK",
        **extra,
    }
    if ports is not None:
        key = "udpOptions" if protocol == "17" else "tcpOptions"
        body[key] = {"destinationPortRange": {"min": ports[0], "max": ports[1]}}
    return body


@pytest.mark.parametrize(
    ("ingress", "described"),
    [
        (rule("6", "0.0.0.0/0", (22, 22)), ["tcp/22 from 0.0.0.0/0"]),
        (rule("6", "0.0.0.0/0"), ["tcp/all from 0.0.0.0/0"]),  # no tcpOptions: every port
        (rule("6", "0.0.0.0/0", (1, 65535)), ["tcp/all from 0.0.0.0/0"]),
        (rule("all", "::/0"), ["all/all from ::/0"]),
        (rule("17", "0.0.0.0/0", (53, 53)), ["udp/53 from 0.0.0.0/0"]),
        (rule("1", "0.0.0.0/0"), ["icmp/all from 0.0.0.0/0"]),
        (rule("47", "0.0.0.0/0"), ["other/all from 0.0.0.0/0"]),
        (rule("6", "10.0.0.0/8", (22, 22)), []),
        (
            rule(
                "6", "all-iad-services-in-oracle-services-network", sourceType="SERVICE_CIDR_BLOCK"
            ),
            [],
        ),
        (rule("6", "0.0.0.0/0", (22, 22), isStateless=True), ["tcp/22 from 0.0.0.0/0"]),
    ],
)
def test_security_list_rules(ingress: dict[str, Any], described: list[str]) -> None:
    found = internet_ingress(
        security_list_rules({"displayName": "sl", "ingressSecurityRules": [ingress]})
    )
    assert [r.describe().split(" (")[0] for r in found] == described


def test_nsg_egress_and_nsg_sources_are_not_internet_ingress() -> None:
    rules = [
        {**rule("6", "0.0.0.0/0", (22, 22)), "direction": "EGRESS"},
        {
            **rule("6", "ocid1.networksecuritygroup.oc1..x", (22, 22)),
            "sourceType": "NETWORK_SECURITY_GROUP",
            "direction": "INGRESS",
        },
        {**rule("6", "0.0.0.0/0", (443, 443)), "direction": "INGRESS", "description": "https"},
    ]
    found = internet_ingress(nsg_rules("nsg-1", rules))
    assert [r.describe() for r in found] == ["tcp/443 from 0.0.0.0/0 (nsg nsg-1 / https)"]


def test_sources_reaching_the_api_port() -> None:
    rules = security_list_rules(
        {
            "displayName": "api",
            "ingressSecurityRules": [
                rule("6", "203.0.113.0/24", (6443, 6443)),
                rule("6", "198.51.100.0/24", (443, 443)),
                rule("all", "192.0.2.0/24"),
                rule("17", "0.0.0.0/0", (6443, 6443)),
                rule("6", "203.0.113.0/24", (6000, 7000)),
            ],
        }
    )
    assert sources_reaching(rules, 6443) == ["203.0.113.0/24", "192.0.2.0/24"]
