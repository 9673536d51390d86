"""Firewall policies around VPC firewall rules: layers, goto_next, enforcement order, targets.

Payloads are shaped like ``networks.getEffectiveFirewalls``'s ``firewallPolicys`` (and each one
is parsed strictly as the SDK's response message first, so a typo cannot pass unnoticed).
"""

from __future__ import annotations

from typing import Any

import pytest
from cloudposture_gcp.firewall import (
    NetworkFirewalls,
    effective_ingress,
    internet_ingress,
    needs_enforcement_order,
    regional_only,
    unresolved_rules,
)
from cloudposture_gcp.firewall_rules import NodeTarget, UnknownTarget

from tests.providers.gcp.fake_api import validate
from tests.providers.gcp.fixtures import (
    firewall_policy,
    hierarchy_defaults,
    policy_rule,
    regional_policy,
)

SA = "nodes@p.iam.gserviceaccount.com"
POOL = NodeTarget(frozenset({"gke-c-1234abcd-node"}), SA)
NET = "projects/host/global/networks/vpc"
NET_URL = f"https://www.googleapis.com/compute/v1/{NET}"
SSH = [{"ipProtocol": "tcp", "ports": ["22"]}]


def vpc(name: str, priority: int = 1000, **fields: Any) -> dict[str, Any]:
    return {
        "name": name,
        "network": NET_URL,
        "priority": priority,
        "direction": "INGRESS",
        "sourceRanges": ["0.0.0.0/0"],
        **fields,
    }


VPC_SSH = vpc("allow-ssh", allowed=[{"IPProtocol": "tcp", "ports": ["22"]}])
VPC_DENY_SSH = vpc("deny-ssh", 900, denied=[{"IPProtocol": "tcp", "ports": ["22"]}])


def hierarchy(name: str, *rules: dict[str, Any]) -> dict[str, Any]:
    return firewall_policy(name, "HIERARCHY", [*rules, *hierarchy_defaults()])


def ingress(
    firewalls: list[dict[str, Any]],
    policies: list[dict[str, Any]],
    order: str = "AFTER_CLASSIC_FIREWALL",
    target: NodeTarget = POOL,
    regional: list[dict[str, Any]] | None = None,
) -> list[str]:
    validate("compute:GetEffectiveFirewalls", {"firewalls": firewalls, "firewallPolicys": policies})
    if regional is not None:
        validate("compute:GetRegionEffectiveFirewalls", {"firewallPolicys": regional})
    effective = NetworkFirewalls(NET, firewalls, policies, order, regional or [], "europe-west1")
    return [r.describe() for r in effective_ingress(effective, target)]


def test_hierarchical_deny_beats_a_vpc_allow() -> None:
    org = hierarchy("org-baseline", policy_rule(1000, "deny", ["0.0.0.0/0"], SSH))
    assert ingress([VPC_SSH], []) == [
        "tcp/22 from 0.0.0.0/0 (firewall rule allow-ssh (priority 1000))"
    ]
    assert ingress([VPC_SSH], [org]) == []


def test_hierarchical_allow_beats_a_vpc_deny_and_is_named_as_the_origin() -> None:
    org = hierarchy("org-ssh", policy_rule(500, "allow", ["0.0.0.0/0"], SSH, ruleName="ssh"))
    (only,) = ingress([VPC_DENY_SSH], [org])
    assert only.startswith("tcp/22 from 0.0.0.0/0 (hierarchical firewall policy org-ssh, rule ssh")
    assert "priority 500, allow" in only


def test_goto_next_hands_the_decision_to_the_vpc_rules() -> None:
    org = hierarchy("org", policy_rule(10, "goto_next", ["0.0.0.0/0"], SSH))
    assert ingress([VPC_SSH], [org]) == [
        "tcp/22 from 0.0.0.0/0 (firewall rule allow-ssh (priority 1000))"
    ]
    assert ingress([VPC_DENY_SSH], [org]) == []
    # Nothing matches anywhere: the implied deny.
    assert ingress([], [org]) == []


def test_organization_policy_is_evaluated_before_the_folders() -> None:
    org_allow = hierarchy("org", policy_rule(10, "allow", ["0.0.0.0/0"], SSH))
    folder_deny = hierarchy("folder", policy_rule(1, "deny", ["0.0.0.0/0"], SSH))
    assert len(ingress([], [org_allow, folder_deny])) == 1
    org_next = hierarchy("org", policy_rule(10, "goto_next", ["0.0.0.0/0"], SSH))
    assert ingress([VPC_SSH], [org_next, folder_deny]) == []


def test_priority_inside_a_policy_and_port_splitting_across_layers() -> None:
    org = hierarchy(
        "org",
        policy_rule(100, "deny", ["0.0.0.0/0"], [{"ipProtocol": "tcp", "ports": ["10250"]}]),
        policy_rule(200, "allow", ["0.0.0.0/0"], [{"ipProtocol": "tcp", "ports": ["10000-10300"]}]),
    )
    got = ingress([], [org])
    assert [g.split(" (")[0] for g in got] == [
        "tcp/10000-10249 from 0.0.0.0/0",
        "tcp/10251-10300 from 0.0.0.0/0",
    ]


def test_network_policy_place_follows_the_enforcement_order() -> None:
    net_deny = firewall_policy("net", "NETWORK", [policy_rule(100, "deny", ["0.0.0.0/0"], SSH)])
    assert needs_enforcement_order([net_deny])
    assert not needs_enforcement_order([hierarchy("org")])
    # Default (after classic): the VPC allow decides first.
    assert len(ingress([VPC_SSH], [net_deny])) == 1
    assert ingress([VPC_SSH], [net_deny], order="BEFORE_CLASSIC_FIREWALL") == []
    # With no VPC rule matching, the network policy decides in either order.
    net_allow = firewall_policy("net", "NETWORK", [policy_rule(1, "allow", ["::/0"], SSH)])
    assert ingress([], [net_allow]) == [
        "tcp/22 from ::/0 (network firewall policy net, rule (priority 1, allow))"
    ]


def test_policy_rule_targets_networks_and_service_accounts() -> None:
    elsewhere = hierarchy(
        "org",
        policy_rule(
            1,
            "allow",
            ["0.0.0.0/0"],
            SSH,
            targetResources=["https://www.googleapis.com/compute/v1/projects/x/global/networks/y"],
        ),
    )
    here = hierarchy("org", policy_rule(1, "allow", ["0.0.0.0/0"], SSH, targetResources=[NET_URL]))
    other_sa = hierarchy(
        "org", policy_rule(1, "allow", ["0.0.0.0/0"], SSH, targetServiceAccounts=["o@x"])
    )
    my_sa = hierarchy(
        "org", policy_rule(1, "allow", ["0.0.0.0/0"], SSH, targetServiceAccounts=[SA.upper()])
    )
    assert ingress([], [elsewhere]) == []
    assert len(ingress([], [here])) == 1
    assert ingress([], [other_sa]) == []
    assert len(ingress([], [my_sa])) == 1
    with pytest.raises(UnknownTarget):
        ingress([], [my_sa], target=NodeTarget(frozenset(), None))


@pytest.mark.parametrize(
    ("match", "reaches"),
    [
        ({"srcIpRanges": ["0.0.0.0/0"]}, True),
        ({"srcIpRanges": ["0.0.0.0/0"], "srcNetworkType": "INTERNET"}, True),
        ({"srcNetworkType": "INTERNET"}, True),
        ({"srcIpRanges": ["0.0.0.0/0"], "srcNetworkType": "NON_INTERNET"}, False),
        ({"srcIpRanges": ["203.0.113.0/24"]}, False),
        ({"srcRegionCodes": ["US"]}, False),
        (
            {"srcNetworkType": "INTERNET", "srcThreatIntelligences": ["iplist-tor-exit-nodes"]},
            False,
        ),
    ],
)
def test_only_whole_internet_sources_count(match: dict[str, Any], reaches: bool) -> None:
    rule = policy_rule(1, "allow", [], SSH)
    rule["match"] = {**match, "layer4Configs": SSH}
    assert bool(ingress([], [hierarchy("org", rule)])) is reaches


def test_disabled_and_egress_policy_rules_are_ignored() -> None:
    off = policy_rule(1, "allow", ["0.0.0.0/0"], SSH, disabled=True)
    out = policy_rule(2, "allow", ["0.0.0.0/0"], SSH, direction="EGRESS")
    assert ingress([], [hierarchy("org", off, out)]) == []


def test_secure_tag_allow_is_assumed_to_reach_every_node_and_says_so() -> None:
    tagged = firewall_policy(
        "net",
        "NETWORK",
        [
            policy_rule(
                5,
                "allow",
                ["0.0.0.0/0"],
                [{"ipProtocol": "tcp", "ports": ["10250"]}],
                targetSecureTags=[{"name": "tagValues/281484", "state": "EFFECTIVE"}],
            )
        ],
    )
    (only,) = ingress([], [tagged])
    assert only.startswith("tcp/10250 from 0.0.0.0/0")
    assert "secure tags tagValues/281484: not resolved to node pools" in only
    effective = NetworkFirewalls(NET, [], [tagged])
    assert unresolved_rules(effective, POOL) == 1


def test_secure_tag_deny_is_not_counted_and_ineffective_tags_are_ignored() -> None:
    deny_tagged = hierarchy(
        "org",
        policy_rule(
            1,
            "deny",
            ["0.0.0.0/0"],
            SSH,
            targetSecureTags=[{"name": "tagValues/1", "state": "EFFECTIVE"}],
        ),
    )
    assert len(ingress([VPC_SSH], [deny_tagged])) == 1
    ineffective = hierarchy(
        "org",
        policy_rule(
            1,
            "allow",
            ["0.0.0.0/0"],
            SSH,
            targetSecureTags=[{"name": "tagValues/2", "state": "INEFFECTIVE"}],
        ),
    )
    assert ingress([], [ineffective]) == []


def test_secure_tag_goto_next_follows_both_paths() -> None:
    # If the goto_next selects the node, the VPC allow opens 22; if not, the deny below does
    # not stop it either way that exposes more: the opening is reported.
    org = hierarchy(
        "org",
        policy_rule(
            1,
            "goto_next",
            ["0.0.0.0/0"],
            SSH,
            targetSecureTags=[{"name": "tagValues/3", "state": "EFFECTIVE"}],
        ),
        policy_rule(2, "deny", ["0.0.0.0/0"], SSH),
    )
    assert ingress([VPC_SSH], [org]) == [
        "tcp/22 from 0.0.0.0/0 (firewall rule allow-ssh (priority 1000))"
    ]
    assert ingress([], [org]) == []
    # The other way round: if the goto_next does not select the node, the allow below it does.
    allow_below = hierarchy(
        "org",
        org["rules"][0],
        policy_rule(2, "allow", ["0.0.0.0/0"], SSH, ruleName="ssh-below"),
    )
    (only,) = ingress([VPC_DENY_SSH], [allow_below])
    assert "rule ssh-below" in only


def test_an_all_protocol_policy_allow_is_one_opening_and_numbers_are_protocols() -> None:
    org = hierarchy("org", policy_rule(1, "allow", ["0.0.0.0/0", "::/0"]))
    assert [g.split(" (")[0] for g in ingress([], [org])] == [
        "all/all from 0.0.0.0/0",
        "all/all from ::/0",
    ]
    numeric = hierarchy("org", policy_rule(1, "allow", ["0.0.0.0/0"], [{"ipProtocol": "6"}]))
    (tcp,) = internet_ingress([], POOL, [numeric])
    assert (tcp.protocol, tcp.all_ports) == ("tcp", True)


# -- regional network firewall policies -------------------------------------------------------

REGIONAL_ALLOW = regional_policy(
    "ew1-edge", [policy_rule(100, "allow", ["0.0.0.0/0"], SSH, ruleName="ssh")]
)
REGIONAL_DENY = regional_policy("ew1-lockdown", [policy_rule(100, "deny", ["0.0.0.0/0"], SSH)])


def test_a_regional_allow_opens_ssh_and_is_named_as_the_origin() -> None:
    assert ingress([], [], regional=[REGIONAL_ALLOW]) == [
        "tcp/22 from 0.0.0.0/0 (regional network firewall policy ew1-edge, rule ssh "
        "(priority 100, allow))"
    ]
    assert needs_enforcement_order(regional_only([REGIONAL_ALLOW]))


@pytest.mark.parametrize(
    ("order", "opened"),
    [("AFTER_CLASSIC_FIREWALL", True), ("BEFORE_CLASSIC_FIREWALL", False)],
)
def test_a_regional_deny_beats_a_vpc_allow_only_before_the_classic_rules(
    order: str, opened: bool
) -> None:
    assert bool(ingress([VPC_SSH], [], order, regional=[REGIONAL_DENY])) is opened


@pytest.mark.parametrize("order", ["AFTER_CLASSIC_FIREWALL", "BEFORE_CLASSIC_FIREWALL"])
def test_the_global_network_policy_decides_before_the_regional_one(order: str) -> None:
    global_allow = firewall_policy("net", "NETWORK", [policy_rule(5, "allow", ["0.0.0.0/0"], SSH)])
    (only,) = ingress([], [global_allow], order, regional=[REGIONAL_DENY])
    assert "network firewall policy net," in only
    global_next = firewall_policy(
        "net", "NETWORK", [policy_rule(5, "goto_next", ["0.0.0.0/0"], SSH)]
    )
    assert ingress([], [global_next], order, regional=[REGIONAL_DENY]) == []
    (regional,) = ingress([], [global_next], order, regional=[REGIONAL_ALLOW])
    assert "regional network firewall policy ew1-edge" in regional


def test_a_regional_system_policy_comes_before_the_vpc_rules() -> None:
    system = regional_policy(
        "system-ew1", [policy_rule(1, "deny", ["0.0.0.0/0"], SSH)], kind="SYSTEM_REGIONAL"
    )
    assert ingress([VPC_SSH], [], regional=[system]) == []
    assert not needs_enforcement_order([system])


def test_regional_only_keeps_what_the_global_read_does_not_return() -> None:
    org = hierarchy("org")
    net = firewall_policy("net", "NETWORK", [])
    system = regional_policy("sys", [], kind="SYSTEM_REGIONAL")
    untyped = {"name": "mystery", "rules": [policy_rule(1, "allow", ["0.0.0.0/0"], SSH)]}
    kept = regional_only([org, net, REGIONAL_ALLOW, system, untyped])
    assert [p["name"] for p in kept] == ["ew1-edge", "sys", "mystery"]
    # A policy the API left untyped is taken as the regional policy it most likely is, and
    # its allow counts: dropping it could hide an opening.
    (only,) = ingress([], [], regional=[untyped])
    assert "regional network firewall policy mystery" in only


def test_secure_tag_rules_of_a_regional_policy_are_counted_in_the_evidence() -> None:
    tagged = regional_policy(
        "ew1-tags",
        [
            policy_rule(
                7,
                "allow",
                ["0.0.0.0/0"],
                SSH,
                targetSecureTags=[{"name": "tagValues/42", "state": "EFFECTIVE"}],
            )
        ],
    )
    effective = NetworkFirewalls(NET, [], [], regional=[tagged], region="europe-west1")
    assert unresolved_rules(effective, POOL) == 1
    (only,) = ingress([], [], regional=[tagged])
    assert "secure tags tagValues/42" in only
