"""The scanner with the real Google clients against the fake REST API (real sockets)."""

from __future__ import annotations

import threading

import pytest

from cloudposture.model import CollectionFailure
from cloudposture.plugin import PartialListing, Target
from tests.providers.gcp.conftest import make_scanner
from tests.providers.gcp.fake_api import (
    FakeGoogleApi,
    World,
    compute_disabled,
    permission_denied,
    throttled,
    unavailable,
)
from tests.providers.gcp.fixtures import (
    DEV,
    EMPTY,
    KEY_STATIC,
    LOCKED,
    ORG,
    PROD,
    PROD_NUMBER,
    SANDBOX,
    project,
)


def _target(p: str) -> Target:
    return Target(provider="gcp", account=p, region="-")


def test_discover_lists_all_locations_in_one_call_and_collect_reads_no_cluster_again(
    api: FakeGoogleApi,
) -> None:
    scanner = make_scanner(api, PROD)
    refs = scanner.discover(_target(PROD))
    assert {(r.name, r.region) for r in refs} == {
        ("payments", "europe-west1"),
        ("legacy-web", "europe-west1-b"),
        ("partner-api", "europe-west1"),
    }
    assert api.calls[0] == ("container:ListClusters", f"projects/{PROD}")
    postures = [scanner.collect(r) for r in refs]
    assert all(p.collection_errors == [] for p in postures)
    assert api.count("container:ListClusters") == 1
    assert api.count("container:GetCluster") == 0
    # Shared reads: one IAM policy and one project lookup for the project, one for its
    # organization, one server config per location, one key read per key.
    assert api.count("resourcemanager:GetIamPolicy") == 1
    assert api.count("resourcemanager:GetProject") == 1
    assert api.count("resourcemanager:GetOrganizationIamPolicy") == 1
    assert api.count("container:GetServerConfig") == 2
    assert api.count("cloudkms:GetCryptoKey") == 2


def test_effective_firewalls_are_read_once_per_network(api: FakeGoogleApi) -> None:
    scanner = make_scanner(api, PROD)
    for ref in scanner.discover(_target(PROD)):
        scanner.collect(ref)
    assert sorted(r for c, r in api.calls if c == "compute:GetEffectiveFirewalls") == [
        f"projects/{PROD}/global/networks/default",
        f"projects/{PROD}/global/networks/prod-vpc",
    ]
    # No network firewall policy is attached: its enforcement order is never needed.
    assert api.count("compute:GetNetwork") == 0
    (legacy,) = [
        r for r in make_scanner(api, PROD).discover(_target(PROD)) if r.name == "legacy-web"
    ]
    pool = (make_scanner(api, PROD).collect(legacy).node_pools or [])[0]
    assert [r.origin for r in pool.internet_ingress or []] == [
        "firewall rule allow-ssh-from-anywhere (priority 1000)"
    ]


def test_concurrent_collectors_share_one_read(api: FakeGoogleApi) -> None:
    scanner = make_scanner(api, PROD)
    refs = list(scanner.discover(_target(PROD))) * 4
    threads = [threading.Thread(target=scanner.collect, args=(r,)) for r in refs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert api.count("resourcemanager:GetIamPolicy") == 1
    assert api.count("cloudkms:GetCryptoKey") == 2


def test_collect_without_discover_reads_the_cluster_once(api: FakeGoogleApi) -> None:
    refs = make_scanner(api, PROD).discover(_target(PROD))
    fresh = make_scanner(api, PROD)
    before = api.count("container:GetCluster")
    fresh.collect(refs[0])
    fresh.collect(refs[0])
    assert api.count("container:GetCluster") == before + 1


def test_secrets_from_master_auth_never_reach_the_posture(api: FakeGoogleApi) -> None:
    scanner = make_scanner(api, PROD)
    (legacy,) = [r for r in scanner.discover(_target(PROD)) if r.name == "legacy-web"]
    dumped = scanner.collect(legacy).model_dump_json()
    assert "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=" not in dumped  # the client key
    assert "client-certificate" in dumped


def test_zero_clusters_is_a_clean_empty_listing(api: FakeGoogleApi) -> None:
    assert make_scanner(api, EMPTY).discover(_target(EMPTY)) == []


def test_denied_listing_is_a_collection_failure(api: FakeGoogleApi) -> None:
    with pytest.raises(CollectionFailure) as info:
        make_scanner(api, LOCKED).discover(_target(LOCKED))
    error = info.value.error
    assert (error.call, error.kind, error.resource) == (
        "container:ListClusters",
        "denied",
        f"projects/{LOCKED}",
    )
    assert "403" in error.code
    assert "container.clusters.list" in error.message


def test_disabled_container_api_is_told_apart_from_denied(api: FakeGoogleApi) -> None:
    with pytest.raises(CollectionFailure) as info:
        make_scanner(api, SANDBOX).discover(_target(SANDBOX))
    error = info.value.error
    assert error.kind == "api-disabled"
    assert "SERVICE_DISABLED" in error.code
    assert error.message.startswith("API disabled (enable container.googleapis.com")
    assert "\n" not in error.one_line()


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (503, unavailable(), "unavailable"),
        (429, throttled(), "throttled"),
        (403, compute_disabled(PROD_NUMBER), "api-disabled"),
        (403, permission_denied("compute.networks.getEffectiveFirewalls", PROD), "denied"),
    ],
)
def test_a_failed_shared_read_is_recorded_with_what_it_leaves_unknown(
    api: FakeGoogleApi, world: World, status: int, body: dict[str, object], kind: str
) -> None:
    for net in ("prod-vpc", "default"):
        world.errors[
            ("compute:GetEffectiveFirewalls", f"projects/{PROD}/global/networks/{net}")
        ] = (
            status,
            body,
        )
    scanner = make_scanner(api, PROD)
    refs = scanner.discover(_target(PROD))
    postures = [scanner.collect(r) for r in refs]
    for posture in postures:
        (error,) = posture.collection_errors
        assert (error.call, error.kind) == ("compute:GetEffectiveFirewalls", kind)
        assert error.affects == ["node_pools.internet_ingress"]
        assert posture.node_pools, "the pools must be there for the checks below to mean anything"
        assert all(p.internet_ingress is None for p in posture.node_pools or [])
        assert all(
            p.identities and p.identities[0].admin_equivalent is not None
            for p in posture.node_pools or []
        )
    # The failure is memoized per network: not retried by every cluster on it.
    assert api.count("compute:GetEffectiveFirewalls") == 2


def test_unreadable_kms_key_and_iam_policy(api: FakeGoogleApi, world: World) -> None:
    world.errors[("cloudkms:GetCryptoKey", KEY_STATIC)] = (
        403,
        permission_denied("cloudkms.cryptoKeys.get", KEY_STATIC),
    )
    del world.policies[PROD]
    scanner = make_scanner(api, PROD)
    (partner,) = [r for r in scanner.discover(_target(PROD)) if r.name == "partner-api"]
    posture = scanner.collect(partner)
    calls = sorted(e.call for e in posture.collection_errors)
    assert calls == ["cloudkms:GetCryptoKey", "resourcemanager:GetIamPolicy"]
    enc = posture.secrets_encryption
    assert enc.customer_key_enabled is True
    assert enc.key_usable is None
    assert enc.key_error
    assert "cloudkms:GetCryptoKey" in enc.key_error
    assert posture.logging.audit_enabled is None
    assert "resourcemanager:GetIamPolicy" in posture.reason_unknown("logging.audit_enabled")
    assert "cloudkms" in posture.reason_unknown("secrets_encryption.key_usable")


def test_missing_zones_make_the_listing_visibly_partial(api: FakeGoogleApi, world: World) -> None:
    world.missing_zones[DEV] = ["asia-east1-a"]
    scanner = make_scanner(api, DEV)
    listed = scanner.discover(_target(DEV))
    assert isinstance(listed, PartialListing)
    (error,) = listed.errors
    assert error.code == "missingZones"
    assert "asia-east1-a" in error.message
    # the clusters that were listed are collected as usual, not blamed for the missing zone
    assert scanner.collect(listed[0]).collection_errors == []
    world.clusters["acme-empty"] = []
    world.missing_zones["acme-empty"] = ["asia-east1-a"]
    empty = make_scanner(api, EMPTY).discover(_target(EMPTY))
    assert isinstance(empty, PartialListing)
    assert list(empty) == []
    assert empty.errors[0].code == "missingZones"


def test_projects_are_discovered_recursively_below_an_org_active_only(
    api: FakeGoogleApi, world: World
) -> None:
    world.folders = {
        "folders/1": {"name": "folders/1", "parent": ORG, "state": "ACTIVE", "displayName": "a"},
        "folders/2": {
            "name": "folders/2",
            "parent": "folders/1",
            "state": "ACTIVE",
            "displayName": "b",
        },
        "folders/3": {
            "name": "folders/3",
            "parent": ORG,
            "state": "DELETE_REQUESTED",
            "displayName": "c",
        },
    }
    world.projects.update(
        {
            "deep-1": project("deep-1", "1001", parent="folders/2"),
            "deep-2": project("deep-2", "1002", parent="folders/2"),
            "deep-3": project("deep-3", "1003", parent="folders/2"),
            "gone": project("gone", "1004", parent="folders/1", state="DELETE_REQUESTED"),
            "in-deleted-folder": project("in-deleted-folder", "1005", parent="folders/3"),
        }
    )
    scanner = make_scanner(api, organization="9001")
    accounts = [t.account for t in scanner.targets()]
    assert sorted(accounts) == sorted([PROD, DEV, EMPTY, SANDBOX, "deep-1", "deep-2", "deep-3"])
    assert {t.region for t in scanner.targets()} == {"-"}
    by_folder = make_scanner(api, "explicit", folders=("2",))
    assert [t.account for t in by_folder.targets()] == ["explicit", "deep-1", "deep-2", "deep-3"]


def test_denied_project_discovery_fails_planning_with_the_container_named(
    api: FakeGoogleApi, world: World
) -> None:
    world.errors[("resourcemanager:ListProjects", ORG)] = (
        403,
        permission_denied("resourcemanager.projects.list", ORG),
    )
    with pytest.raises(CollectionFailure) as info:
        make_scanner(api, organization="9001").targets()
    assert (info.value.error.call, info.value.error.resource) == (
        "resourcemanager:ListProjects",
        ORG,
    )
