"""The shipped RAM policy is exactly the read-only actions a scan calls."""

from __future__ import annotations

import json
from pathlib import Path

from cloudposture_alibaba.permissions import (
    NEEDS_NO_GRANT,
    PERMISSIONS_BY_CALL,
    policy_document,
    required_actions,
)

from tests.providers.alibaba.conftest import make_scanner
from tests.providers.alibaba.fixtures import (
    REGION,
    cluster,
    instance,
    listener,
    load_balancer,
    node,
    nodepool,
)
from tests.providers.alibaba.world import World

SHIPPED = Path(__file__).resolve().parents[3] / "docs" / "permissions" / "alibaba-ram-policy.json"


def test_the_shipped_policy_is_the_permissions_module() -> None:
    assert json.loads(SHIPPED.read_text()) == policy_document()
    actions = required_actions()
    assert all(a.split(":")[1].startswith(("Describe", "List", "Get", "Check")) for a in actions)


def test_a_scan_calls_exactly_the_actions_the_policy_grants(world: World) -> None:
    https = "c0https000000000000000000000006"
    world.add_load_balancer(
        REGION, load_balancer("lb-https", protocol="https"), [listener("lb-https")], https=True
    )
    world.add_cluster(
        cluster(https, "ack-https", public="https://47.98.10.40:6443", lb="lb-https"),
        nodepools=[nodepool("np-https", "pool")],
        nodes=[node("i-https1", "np-https")],
    )
    world.add_instance(REGION, instance("i-https1"))
    scanner = make_scanner(world.fake)  # no --region: DescribeRegions too
    for target in scanner.targets():
        for ref in scanner.discover(target):
            scanner.collect(ref)
    made = world.fake.actions()
    assert made - NEEDS_NO_GRANT == set(PERMISSIONS_BY_CALL)
    assert world.fake.problems == []


def test_the_plugin_declares_every_call_and_the_shipped_document() -> None:
    from cloudposture_alibaba.plugin import plugin

    assert plugin.permissions is not None
    assert set(plugin.permissions.calls) == set(PERMISSIONS_BY_CALL) | NEEDS_NO_GRANT
    assert (SHIPPED.parent / plugin.permissions.document) == SHIPPED
