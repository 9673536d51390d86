"""Pure normalizers on API-shaped JSON: the corners the Done-when world does not reach."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from cloudposture_alibaba import normalize as n
from cloudposture_alibaba.meta import parse_object
from cloudposture_alibaba.node_pools import instance
from cloudposture_alibaba.ram_policies import AttachedPolicy, attached, summarize
from cloudposture_alibaba.security_groups import internet_ingress, permissions

from cloudposture.model import ClusterPosture, ClusterRef, NodePool, Status
from tests.providers.alibaba.fixtures import (
    custom_policy,
    key,
    master_url,
    meta_data,
    permission,
    security_group,
)
from tests.providers.alibaba.fixtures import instance as instance_json
from tests.providers.alibaba.judge import outcomes

REF = ClusterRef(provider="alibaba", account="1", region="cn-hangzhou", name="c", native_id="x")


def posture(**sections: Any) -> ClusterPosture:
    return ClusterPosture(ref=REF, **sections)


def status(rule: str, **sections: Any) -> Status:
    return outcomes(posture(**sections))[rule]


# -- row 5: meta_data is JSON in a string, parsed defensively ---------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (meta_data(kms_key="key-1"), Status.PASS),
        (meta_data(kms_key=""), Status.FAIL),
        (meta_data(kms_key=None), Status.ERROR),  # Capabilities without EncryptionKMSKeyId
        ('{"Capabilities": ', Status.ERROR),  # not JSON
        ("", Status.ERROR),  # absent
        ('["a list"]', Status.ERROR),
    ],
)
def test_secrets_encryption_never_passes_on_unreadable_meta_data(
    raw: str, expected: Status
) -> None:
    meta = parse_object({"meta_data": raw}, "meta_data")
    enc = n.secrets_encryption(meta, n.key_facts(key("key-1")))
    assert status("ENC-001", secrets_encryption=enc) == expected
    if expected == Status.ERROR:
        message = posture(secrets_encryption=enc).reason_unknown(
            "secrets_encryption.customer_key_enabled"
        )
        assert "meta_data" in message


@pytest.mark.parametrize(
    ("state", "rotation", "expected"),
    [
        ("Enabled", "Enabled", Status.PASS),
        ("Enabled", "Suspended", Status.FAIL),
        ("PendingDeletion", "Enabled", Status.FAIL),
    ],
)
def test_key_state_and_rotation(state: str, rotation: str, expected: Status) -> None:
    meta = parse_object({"meta_data": meta_data(kms_key="key-1")}, "meta_data")
    facts = n.key_facts(key("key-1", state=state, rotation=rotation))
    enc = n.secrets_encryption(meta, facts)
    assert status("ENC-002", secrets_encryption=enc) == expected
    assert enc.rotation_period_days == 365


# -- row 1: master_url and the listener ACL ----------------------------------------------------


@pytest.mark.parametrize(
    ("acl", "cidrs", "cp001", "cp003"),
    [
        (n.ListenerAcl("off"), ["0.0.0.0/0"], Status.FAIL, Status.FAIL),
        (n.ListenerAcl("on", "black", ("a",), ("198.51.100.0/24",)), ["0.0.0.0/0"],
         Status.FAIL, Status.FAIL),
        (n.ListenerAcl("on", "white", ("a",), ()), ["0.0.0.0/0"], Status.FAIL, Status.FAIL),
        (n.ListenerAcl("on", "white", ("a",), ("10.0.0.0/8", "203.0.113.0/24")),
         ["10.0.0.0/8", "203.0.113.0/24"], Status.PASS, Status.PASS),
        (n.ListenerAcl("on", "white", ("a",), ("203.0.0.0/16",)), ["203.0.0.0/16"],
         Status.PASS, Status.FAIL),
    ],
)  # fmt: skip
def test_the_listener_acl_decides_who_reaches_a_public_api_server(
    acl: n.ListenerAcl, cidrs: list[str], cp001: Status, cp003: Status
) -> None:
    master = parse_object({"master_url": master_url("https://47.1.1.1:6443")}, "master_url")
    endpoint = n.endpoint(master, acl, None)
    assert endpoint.authorized_cidrs == cidrs
    assert status("CP-001", endpoint=endpoint) == cp001
    assert status("CP-003", endpoint=endpoint) == cp003
    assert status("CP-002", endpoint=endpoint) == Status.FAIL


def test_an_unreadable_master_url_or_acl_is_an_error() -> None:
    bad = parse_object({"master_url": "{api_server_endpoint:"}, "master_url")
    assert status("CP-002", endpoint=n.endpoint(bad, None, None)) == Status.ERROR
    public = parse_object({"master_url": master_url("https://47.1.1.1:6443")}, "master_url")
    endpoint = n.endpoint(public, None, "slb:DescribeLoadBalancerAttribute failed (Forbidden)")
    assert status("CP-001", endpoint=endpoint) == Status.ERROR
    assert "Forbidden" in posture(endpoint=endpoint).reason_unknown("endpoint.authorized_cidrs")


def test_the_api_server_port_comes_from_the_public_endpoint() -> None:
    master = parse_object({"master_url": master_url("https://47.1.1.1:8443")}, "master_url")
    assert n.api_server_port(master) == 8443


# -- row 2: security groups with Policy and Priority -------------------------------------------


def ingress(*rules: dict[str, Any]) -> set[str]:
    perms = permissions("sg-1", security_group("sg-1", list(rules)))
    return {r.describe().split(" (")[0] for r in internet_ingress(perms)}


def test_a_drop_at_higher_priority_refuses_ports_of_a_broader_accept() -> None:
    assert ingress(
        permission("TCP", "1/65535", priority="10"),
        permission("TCP", "22/22", policy="Drop", priority="1"),
    ) == {"tcp/1-21 from 0.0.0.0/0", "tcp/23-65535 from 0.0.0.0/0"}


def test_a_drop_at_equal_priority_wins_and_at_lower_priority_does_not() -> None:
    assert (
        ingress(
            permission("TCP", "22/22", priority="5"),
            permission("TCP", "22/22", policy="Drop", priority="5"),
        )
        == set()
    )
    assert ingress(
        permission("TCP", "22/22", priority="1"),
        permission("TCP", "22/22", policy="Drop", priority="100"),
    ) == {"tcp/22 from 0.0.0.0/0"}


def test_a_drop_from_a_narrower_source_leaves_the_internet_admitted() -> None:
    assert ingress(
        permission("TCP", "22/22", priority="10"),
        permission("TCP", "22/22", "198.51.100.0/24", policy="Drop", priority="1"),
    ) == {"tcp/22 from 0.0.0.0/0"}


def test_accept_all_protocols_splits_around_a_tcp_drop_and_ipv6_counts() -> None:
    assert ingress(permission("ALL", "-1/-1", priority="50")) == {"all/all from 0.0.0.0/0"}
    assert ingress(
        permission("ALL", "-1/-1", priority="50"),
        permission("TCP", "1/21", policy="Drop", priority="1"),
        permission("TCP", "23/65535", policy="Drop", priority="1"),
    ) == {"tcp/22 from 0.0.0.0/0", "udp/all from 0.0.0.0/0"}
    assert ingress(permission("TCP", "10250/10250", "::/0", v6=True)) == {"tcp/10250 from ::/0"}


def test_private_sources_and_egress_are_not_internet_ingress() -> None:
    egress = {**permission("TCP", "22/22"), "Direction": "egress"}
    assert ingress(permission("TCP", "22/22", "10.0.0.0/8"), egress) == set()


def test_ssh_and_kubelet_from_the_internet_fail_node_002() -> None:
    perms = permissions("sg-1", security_group("sg-1", [permission("TCP", "10250/10250")]))
    pool = NodePool(name="p", internet_ingress=internet_ingress(perms), public_ip=False)
    assert status("NODE-002", node_pools=[pool]) == Status.FAIL


# -- row 3: RAM policies and instance metadata -------------------------------------------------


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "1", "Statement": list(statements)})


@pytest.mark.parametrize(
    ("document", "admin"),
    [
        (doc({"Effect": "Allow", "Action": "*", "Resource": "*"}), True),
        (doc({"Effect": "Allow", "Action": ["ram:*"], "Resource": "*"}), True),
        (doc({"Effect": "Allow", "NotAction": ["oss:*"], "Resource": "*"}), True),
        (doc({"Effect": "Deny", "Action": "*", "Resource": "*"}), False),
        (doc({"Effect": "Allow", "Action": "ecs:Describe*", "Resource": "*"}), False),
        (json.dumps({"Version": "1", "Statement": {"Effect": "Allow", "Action": "*",
                                                   "Resource": ["*"]}}), True),
    ],
)  # fmt: skip
def test_custom_policies_that_make_a_role_admin_equivalent(document: str, admin: bool) -> None:
    policies = attached({"Policies": {"Policy": [custom_policy("p1")]}})
    assert summarize(policies, {"p1": document}).admin_equivalent is admin


def test_ram_full_access_is_admin_and_an_unreadable_document_is_not_harmless() -> None:
    system = [AttachedPolicy("AliyunRAMFullAccess", "System", "v1")]
    assert summarize(system, {}).admin_equivalent is True
    assert summarize([AttachedPolicy("AliyunECSReadOnlyAccess", "System", "v1")], {}).grants == []
    with pytest.raises(ValueError, match="not JSON"):
        summarize([AttachedPolicy("p1", "Custom", "v2")], {"p1": "{Statement"})


@pytest.mark.parametrize(
    ("options", "exposed"),
    [
        ({"HttpEndpoint": "enabled", "HttpTokens": "required"}, False),
        ({"HttpEndpoint": "enabled", "HttpTokens": "optional"}, True),
        ({"HttpEndpoint": "enabled", "HttpTokens": "required", "HttpPutResponseHopLimit": 2},
         True),
        ({"HttpEndpoint": "disabled", "HttpTokens": "optional"}, False),
        ({}, True),
    ],
)  # fmt: skip
def test_metadata_hardening_per_instance(options: dict[str, Any], exposed: bool) -> None:
    raw = {**instance_json("i-1"), "MetadataOptions": options}
    assert instance(raw).metadata_exposed is exposed


def test_an_eip_makes_a_node_public() -> None:
    assert instance(instance_json("i-1", eip="47.1.1.2")).public is True
    assert instance(instance_json("i-1")).public is False


# -- logging, version, network policy, workload identity ---------------------------------------


def test_control_plane_log_components_in_both_documented_shapes() -> None:
    doc_example = {"components": ['["apiserver", "ccm", "scheduler", "kcm"]']}
    plain = {"components": ["apiserver", "kcm"]}
    assert n.logging(n.LogInputs(control_plane=doc_example)).components == [
        "apiserver", "controller-manager", "scheduler"
    ]  # fmt: skip
    logs = n.logging(n.LogInputs(control_plane=plain, audit={"audit_enabled": True}))
    assert status("LOG-002", logging=logs) == Status.FAIL
    assert status("LOG-001", logging=logs) == Status.PASS
    assert status("LOG-001", logging=n.logging(n.LogInputs())) == Status.ERROR


NOW = datetime(2026, 12, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    ("current", "offered", "supported"),
    [
        ("1.34.3-aliyun.1", [{"version": "1.34.1-aliyun.1", "expiration_date": "2027-01-01"}],
         True),
        ("1.34.3-aliyun.1", [{"version": "1.34.1-aliyun.1", "expiration_date": "2026-09-30"}],
         False),
        ("1.30.1-aliyun.1", [{"version": "1.34.1-aliyun.1"}], False),
        ("1.34.3-aliyun.1", [{"version": "1.34.1-aliyun.1"}], True),
    ],
)  # fmt: skip
def test_version_support_from_the_listed_versions(
    current: str, offered: list[dict[str, Any]], supported: bool
) -> None:
    version = n.version({"current_version": current}, offered, now=NOW)
    assert version.standard_support is supported


def test_an_unparseable_version_is_an_error() -> None:
    version = n.version({"current_version": "latest"}, [], now=NOW)
    assert status("VER-001", version=version) == Status.ERROR


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (meta_data(network="terway-eniip", network_policy=True), Status.PASS),
        (meta_data(network="terway-eniip", network_policy=False), Status.FAIL),
        (meta_data(network="flannel"), Status.FAIL),
        (json.dumps({"Addons": [{"name": "calico", "version": "v3"}]}), Status.PASS),
        (json.dumps({"Addons": [], "Capabilities": {"Network": "Cilium"}}), Status.ERROR),
    ],
)
def test_network_policy_from_the_network_plugin(raw: str, expected: Status) -> None:
    meta = parse_object({"meta_data": raw}, "meta_data")
    assert status("NET-001", network_policy=n.network_policy(meta)) == expected


def test_rrsa_from_meta_data_when_rrsa_config_is_absent() -> None:
    meta = parse_object({"meta_data": json.dumps({"RRSAConfig": {"enabled": True}})}, "meta_data")
    assert n.workload_identity({}, meta).enabled is True
    unknown = n.workload_identity({}, parse_object({}, "meta_data"))
    assert status("IAM-005", workload_identity=unknown) == Status.ERROR
