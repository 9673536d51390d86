"""Which firewall rules reach a node pool from the internet: targets, priorities, denies."""

from __future__ import annotations

from typing import Any

import pytest
from cloudposture_gcp.firewall import NodeTarget, UnknownTarget, internet_ingress

SA = "nodes@p.iam.gserviceaccount.com"
POOL = NodeTarget(frozenset({"gke-c-1234abcd-node", "web"}), SA)


def rule(name: str, allowed: list[dict[str, Any]] | None = None, **fields: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": name,
        "priority": 1000,
        "direction": "INGRESS",
        "sourceRanges": ["0.0.0.0/0"],
        **fields,
    }
    if allowed is not None:
        out["allowed"] = allowed
    return out


def described(rules: list[dict[str, Any]], target: NodeTarget = POOL) -> list[str]:
    return [r.describe() for r in internet_ingress(rules, target)]


def test_tag_target_matches_only_pools_carrying_the_tag() -> None:
    ssh = rule("ssh", [{"IPProtocol": "tcp", "ports": ["22"]}], targetTags=["web"])
    other = rule("db", [{"IPProtocol": "tcp", "ports": ["5432"]}], targetTags=["db"])
    assert described([ssh, other]) == ["tcp/22 from 0.0.0.0/0 (firewall rule ssh (priority 1000))"]


def test_service_account_target_and_untargeted_rules() -> None:
    by_sa = rule("sa", [{"IPProtocol": "tcp", "ports": ["8443"]}], targetServiceAccounts=[SA])
    other_sa = rule("x", [{"IPProtocol": "tcp", "ports": ["9000"]}], targetServiceAccounts=["o@x"])
    everyone = rule("all", [{"IPProtocol": "udp", "ports": ["53"]}])
    got = internet_ingress([by_sa, other_sa, everyone], POOL)
    assert [(r.protocol, r.port_from, r.origin.split()[2]) for r in got] == [
        ("udp", 53, "all"),
        ("tcp", 8443, "sa"),
    ]


def test_unknown_service_account_makes_sa_targeted_rules_undecidable() -> None:
    by_sa = rule("sa", [{"IPProtocol": "tcp", "ports": ["22"]}], targetServiceAccounts=[SA])
    with pytest.raises(UnknownTarget):
        internet_ingress([by_sa], NodeTarget(frozenset({"web"}), None))
    # A tag-targeted rule does not need the account.
    tagged = rule("t", [{"IPProtocol": "tcp", "ports": ["22"]}], targetTags=["web"])
    assert len(internet_ingress([tagged], NodeTarget(frozenset({"web"}), None))) == 1


def test_only_whole_internet_sources_count() -> None:
    narrow = rule(
        "admin", [{"IPProtocol": "tcp", "ports": ["22"]}], sourceRanges=["198.51.100.7/32"]
    )
    tags_only = rule("mesh", [{"IPProtocol": "tcp"}], sourceRanges=[], sourceTags=["web"])
    v6 = rule("v6", [{"IPProtocol": "tcp", "ports": ["443"]}], sourceRanges=["::/0"])
    host_v6 = rule("h6", [{"IPProtocol": "tcp", "ports": ["80"]}], sourceRanges=["::"])
    assert described([narrow, tags_only, v6, host_v6]) == [
        "tcp/443 from ::/0 (firewall rule v6 (priority 1000))"
    ]


def test_rule_without_any_source_defaults_to_the_whole_internet() -> None:
    bare = {"name": "bare", "allowed": [{"IPProtocol": "tcp", "ports": ["3389"]}]}
    assert described([bare]) == ["tcp/3389 from 0.0.0.0/0 (firewall rule bare (priority 1000))"]


def test_disabled_and_egress_rules_are_ignored() -> None:
    off = rule("off", [{"IPProtocol": "all"}], disabled=True)
    egress = rule("out", [{"IPProtocol": "all"}], direction="EGRESS")
    assert described([off, egress]) == []


def test_higher_priority_deny_removes_the_port() -> None:
    allow = rule("allow-ssh", [{"IPProtocol": "tcp", "ports": ["22", "80"]}])
    deny = rule("deny-ssh", priority=900, denied=[{"IPProtocol": "tcp", "ports": ["22"]}])
    assert described([allow, deny]) == [
        "tcp/80 from 0.0.0.0/0 (firewall rule allow-ssh (priority 1000))"
    ]


def test_equal_priority_deny_wins_but_lower_priority_deny_does_not() -> None:
    allow = rule("allow", [{"IPProtocol": "tcp", "ports": ["22"]}])
    tie = rule("tie", denied=[{"IPProtocol": "tcp", "ports": ["22"]}])
    late = rule("late", priority=2000, denied=[{"IPProtocol": "tcp"}])
    assert described([allow, tie]) == []
    assert len(described([allow, late])) == 1


def test_deny_splits_a_port_range_and_only_whole_internet_denies_count() -> None:
    allow = rule("range", [{"IPProtocol": "tcp", "ports": ["10000-10300"]}])
    kubelet = rule("exkubelet", denied=[{"IPProtocol": "tcp", "ports": ["10255"]}])
    partial = rule(
        "partial", priority=1, sourceRanges=["1.2.3.0/24"], denied=[{"IPProtocol": "tcp"}]
    )
    got = internet_ingress([allow, kubelet, partial], POOL)
    assert [(r.port_from, r.port_to) for r in got] == [(10000, 10254), (10256, 10300)]


def test_deny_of_one_family_leaves_the_other_open() -> None:
    allow = rule(
        "dual", [{"IPProtocol": "tcp", "ports": ["22"]}], sourceRanges=["0.0.0.0/0", "::/0"]
    )
    deny_v4 = rule("deny4", priority=10, denied=[{"IPProtocol": "tcp", "ports": ["22"]}])
    assert [r.source for r in internet_ingress([allow, deny_v4], POOL)] == ["::/0"]


def test_all_protocols_allow_is_split_by_a_partial_deny() -> None:
    allow = rule("any", [{"IPProtocol": "all"}])
    assert described([allow]) == ["all/all from 0.0.0.0/0 (firewall rule any (priority 1000))"]
    deny = rule("no-ssh", priority=500, denied=[{"IPProtocol": "tcp", "ports": ["22"]}])
    got = {(r.protocol, r.port_from, r.port_to) for r in internet_ingress([allow, deny], POOL)}
    assert ("tcp", 0, 21) in got
    assert ("tcp", 23, 65535) in got
    assert ("udp", None, None) in got
    assert ("icmp", None, None) in got
    assert ("other", None, None) in got
    deny_all = rule("none", priority=500, denied=[{"IPProtocol": "all"}])
    assert described([allow, deny_all]) == []


def test_protocol_numbers_and_names_and_kubernetes_service_rules() -> None:
    numeric = rule("num", [{"IPProtocol": "6", "ports": ["8080"]}, {"IPProtocol": "esp"}])
    lb = rule("k8s-fw-a1b2c3", [{"IPProtocol": "tcp", "ports": ["443"]}], targetTags=["web"])
    got = internet_ingress([numeric, lb], POOL)
    assert [(r.protocol, r.port_from, r.kubernetes_service) for r in got] == [
        ("tcp", 443, True),
        ("tcp", 8080, False),
        ("other", None, False),
    ]
    assert "protocol esp" in got[2].origin


def test_a_tcp_rule_without_ports_opens_every_port() -> None:
    (only,) = internet_ingress([rule("tcp-all", [{"IPProtocol": "tcp"}])], POOL)
    assert only.all_ports
    assert only.covers(10250)
