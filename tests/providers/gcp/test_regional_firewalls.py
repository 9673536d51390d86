"""Regional network firewall policies, end to end: the real compute client's
``regionNetworkFirewallPolicies.getEffectiveFirewalls`` against the fake API, judged by the
real rules.

``networks.getEffectiveFirewalls`` leaves regional policies out, so without the regional read
a regional policy allowing SSH from anywhere was a false NODE-002 PASS.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from cloudposture_gcp.adapter import region_of

from cloudposture.model import Status
from cloudposture.plugin import Target
from tests.providers.gcp.conftest import make_scanner
from tests.providers.gcp.fake_api import FakeGoogleApi, World, permission_denied
from tests.providers.gcp.fixtures import (
    COMPUTE,
    PROD,
    cluster,
    network,
    node_config,
    node_pool,
    policy_rule,
    regional_policy,
)
from tests.providers.gcp.test_inherited import findings

SSH = [{"ipProtocol": "tcp", "ports": ["22"]}]
PROD_VPC = f"projects/{PROD}/global/networks/prod-vpc"
PROD_DEFAULT_NET = f"projects/{PROD}/global/networks/default"
EW1 = "europe-west1"
REGIONAL_CALL = "compute:GetRegionEffectiveFirewalls"


def allow_ssh(name: str = "ew1-edge") -> dict[str, Any]:
    return regional_policy(name, [policy_rule(100, "allow", ["0.0.0.0/0"], SSH, ruleName="ssh")])


def deny_ssh() -> dict[str, Any]:
    return regional_policy("ew1-lockdown", [policy_rule(100, "deny", ["0.0.0.0/0"], SSH)])


def test_a_regional_allow_of_ssh_from_anywhere_fails_node_002(
    api: FakeGoogleApi, world: World
) -> None:
    assert findings(api, PROD)["partner-api"]["NODE-002"].status is Status.PASS
    world.regional_policies[(PROD_VPC, EW1)] = [allow_ssh()]
    world.networks[PROD_VPC] = network(PROD, "prod-vpc")
    by_cluster = findings(api, PROD)
    node = by_cluster["partner-api"]["NODE-002"]
    assert node.status is Status.FAIL
    text = node.model_dump_json()
    assert "regional network firewall policy ew1-edge, rule ssh (priority 100, allow)" in text
    assert f"compute:GetRegionEffectiveFirewalls {EW1}" in text
    # payments denies SSH with a VPC rule, evaluated first (AFTER_CLASSIC_FIREWALL).
    assert by_cluster["payments"]["NODE-002"].status is Status.PASS


def test_a_regional_policy_of_another_region_does_not_apply(
    api: FakeGoogleApi, world: World
) -> None:
    world.regional_policies[(PROD_VPC, "us-east1")] = [allow_ssh("use1-edge")]
    world.networks[PROD_VPC] = network(PROD, "prod-vpc")
    assert findings(api, PROD)["partner-api"]["NODE-002"].status is Status.PASS
    assert api.count("compute:GetNetwork") == 0  # no regional policy where the nodes run


@pytest.mark.parametrize(
    ("order", "status"),
    [("BEFORE_CLASSIC_FIREWALL", Status.PASS), ("AFTER_CLASSIC_FIREWALL", Status.FAIL)],
)
def test_a_regional_deny_of_ssh_over_a_vpc_allow_follows_the_enforcement_order(
    api: FakeGoogleApi, world: World, order: str, status: Status
) -> None:
    # legacy-web is zonal (europe-west1-b): its region's policy applies. Its VPC rule
    # allow-ssh-from-anywhere opens 22; the regional deny decides first only before it.
    world.regional_policies[(PROD_DEFAULT_NET, EW1)] = [deny_ssh()]
    world.networks[PROD_DEFAULT_NET] = network(PROD, "default", order)
    node = findings(api, PROD)["legacy-web"]["NODE-002"]
    assert node.status is status
    assert (status is Status.FAIL) == ("allow-ssh-from-anywhere" in node.model_dump_json())


def test_a_denied_regional_read_leaves_ingress_unknown_never_a_pass(
    api: FakeGoogleApi, world: World
) -> None:
    resource = f"{PROD_VPC} (region {EW1})"
    world.errors[(REGIONAL_CALL, resource)] = (
        403,
        permission_denied("compute.networks.getRegionEffectiveFirewalls", PROD_VPC),
    )
    scanner = make_scanner(api, PROD)
    refs = scanner.discover(Target(provider="gcp", account=PROD, region="-"))
    postures = {r.name: scanner.collect(r) for r in refs}
    for name in ("payments", "partner-api"):
        (error,) = postures[name].collection_errors
        assert (error.call, error.kind, error.resource) == (REGIONAL_CALL, "denied", resource)
        assert error.affects == ["node_pools.internet_ingress"]
        assert postures[name].node_pools, "no pools: the check below would pass vacuously"
        assert all(p.internet_ingress is None for p in postures[name].node_pools or [])
    assert postures["legacy-web"].collection_errors == []  # another network
    assert [r for c, r in api.calls if c == REGIONAL_CALL].count(resource) == 1
    node = findings(api, PROD)["payments"]["NODE-002"]
    assert node.status is Status.ERROR
    assert f"{REGIONAL_CALL} on {resource} failed" in node.message


def _edge(name: str, cluster_id: str, location: str) -> dict[str, Any]:
    region = region_of({"location": location}) or ""
    pool = node_pool(
        PROD, location, name, "edge", node_config(f"edge@{PROD}.iam.gserviceaccount.com")
    )
    return cluster(
        PROD,
        name,
        cluster_id,
        location=location,
        pools=[pool],
        networkConfig={"subnetwork": f"projects/{PROD}/regions/{region}/subnetworks/edge"},
    )


def test_one_regional_read_per_network_and_region_the_nodes_use(
    api: FakeGoogleApi, world: World
) -> None:
    world.clusters[PROD] += [
        _edge("edge-zonal", "e1" * 32, "us-east1-c"),
        _edge("edge-regional", "e2" * 32, "us-east1"),
    ]
    scanner = make_scanner(api, PROD)
    refs = list(scanner.discover(Target(provider="gcp", account=PROD, region="-"))) * 3
    threads = [threading.Thread(target=scanner.collect, args=(r,)) for r in refs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r for c, r in api.calls if c == REGIONAL_CALL) == [
        f"{PROD_DEFAULT_NET} (region {EW1})",
        f"{PROD_VPC} (region {EW1})",
        f"{PROD_VPC} (region us-east1)",
    ]
    assert api.count("compute:GetEffectiveFirewalls") == 2  # the global read stays per network
    # The network goes as a self-link, the way gcloud sends it.
    sent = {q["network"] for c, q in api.queries if c == REGIONAL_CALL}
    assert sent == {f"{COMPUTE}/{PROD_VPC}", f"{COMPUTE}/{PROD_DEFAULT_NET}"}


def test_a_cluster_without_a_region_is_unknown_not_open(api: FakeGoogleApi, world: World) -> None:
    world.clusters[PROD] = [
        cluster(
            PROD,
            "nowhere",
            "e3" * 32,
            location="",
            zone="",
            pools=world.clusters[PROD][0]["nodePools"],
        )
    ]
    scanner = make_scanner(api, PROD)
    (ref,) = scanner.discover(Target(provider="gcp", account=PROD, region="-"))
    posture = scanner.collect(ref)
    (error,) = [e for e in posture.collection_errors if e.call == REGIONAL_CALL]
    assert (error.kind, error.code) == ("invalid", "noRegion")
    assert posture.node_pools, "no pools: the check below would pass vacuously"
    assert all(p.internet_ingress is None for p in posture.node_pools or [])
    assert api.count(REGIONAL_CALL) == 0


@pytest.mark.parametrize(
    ("location", "region"),
    [
        ("europe-west1", "europe-west1"),
        ("europe-west1-b", "europe-west1"),
        ("northamerica-northeast1-a", "northamerica-northeast1"),
        ("us-central1-ai1a", "us-central1"),
        ("", None),
        ("-", None),
    ],
)
def test_region_of_a_cluster_location(location: str, region: str | None) -> None:
    assert region_of({"location": location}) == region
