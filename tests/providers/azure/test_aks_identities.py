"""Identities: role assignments read per subscription in the fewest calls (issue 9), and
clusters that use a service principal judged through Microsoft Graph (issue 13).

Real clients against the fake ARM + Graph; calls counted at the fake.
"""

from __future__ import annotations

import pytest
from cloudposture_azure.graph import CALL as GRAPH_CALL

from cloudposture.model import ClusterPosture, ClusterRef, Status
from tests.providers.azure.aks_clients import FakeCredential, make_clients, make_scanner
from tests.providers.azure.aks_fake import FakeArm
from tests.providers.azure.aks_service_principals import (
    APPS,
    SP_FAILS,
    SP_SUB,
    serve_service_principals,
)
from tests.providers.azure.aks_world import (
    AUTH,
    CONTRIBUTOR,
    EXPECTED_FAILS,
    SUB,
    cluster_id,
    role_grants,
    serve_assignments,
)
from tests.providers.azure.test_aks_adapter import findings, scan

ASSIGNMENTS = f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleAssignments".lower()
IDENTITY_RULES = ("IAM-001", "IAM-002")


def _assignment_reads(fake: FakeArm, path: str = ASSIGNMENTS) -> tuple[int, int]:
    """(pages of the whole listing, filtered calls) made to ``path``."""
    whole = sum(1 for p, f in fake.requests if p == path and not f)
    filtered = sum(1 for p, f in fake.requests if p == path and f)
    return whole, filtered


def _fails(postures: dict[str, ClusterPosture]) -> dict[str, set[str]]:
    return {
        name: {r for r, f in findings(p).items() if f.status is Status.FAIL}
        for name, p in postures.items()
    }


def test_a_subscriptions_identities_come_from_one_listing(world: FakeArm) -> None:
    """Four clusters, eight identities: one paged listing (2 pages), not eight calls."""
    postures = scan(world)
    assert _fails(postures) == EXPECTED_FAILS
    assert _assignment_reads(world) == (2, 0)
    assert world.problems == []


def test_a_lone_cluster_read_without_discovery_uses_filtered_calls(world: FakeArm) -> None:
    ref = ClusterRef(
        provider="azure", account=SUB, region="westeurope", name="public-wide",
        native_id=cluster_id("public-wide"),
    )  # fmt: skip
    body = next(c for c in _clusters() if c["name"] == "public-wide")
    world.add(cluster_id("public-wide"), "2026-08-01", body)
    posture = make_scanner(world, (SUB,)).collect(ref)
    assert {r for r, f in findings(posture).items() if f.status is Status.FAIL} >= {
        "IAM-001",
        "IAM-002",
    }
    assert _assignment_reads(world) == (0, 2)  # kubelet and cluster identity


def test_a_denied_listing_leaves_every_identity_unknown(world: FakeArm) -> None:
    world.fail(ASSIGNMENTS, AUTH, 403, "AuthorizationFailed")
    postures = scan(world)
    for name, posture in postures.items():
        calls = {(e.call, e.kind, e.resource) for e in posture.collection_errors}
        assert (
            "authorization:RoleAssignments.ListForSubscription",
            "denied",
            f"/subscriptions/{SUB}",
        ) in calls, name
        for rule in IDENTITY_RULES:
            finding = findings(posture)[rule]
            assert finding.status is Status.ERROR, (name, rule)
            assert "AuthorizationFailed" in finding.message
    assert _assignment_reads(world) == (1, 0)  # the failure is not repeated per identity


# -- service principals through Microsoft Graph ------------------------------------------------


def _sp_scan(fake: FakeArm, credential: FakeCredential | None = None, graph: object = "same"):  # type: ignore[no-untyped-def]
    from cloudposture_azure.adapter import AzureScanner

    scanner = AzureScanner(make_clients(fake, credential, graph), (SP_SUB,))
    (target,) = scanner.targets()
    return {ref.name: scanner.collect(ref) for ref in scanner.discover(target)}


@pytest.fixture
def sp_world(fake: FakeArm) -> FakeArm:
    serve_service_principals(fake)
    return fake


def test_service_principal_clusters_are_judged_by_their_role_assignments(
    sp_world: FakeArm,
) -> None:
    credential = FakeCredential()
    postures = _sp_scan(sp_world, credential)
    for name, posture in postures.items():
        assert posture.collection_errors == [], name
        found = findings(posture)
        fails = {r for r in IDENTITY_RULES if found[r].status is Status.FAIL}
        assert fails == SP_FAILS[name], name
        assert all(found[r].status is not Status.ERROR for r in IDENTITY_RULES)
    admin = postures["sp-admin"]
    assert admin.control_plane_identity is not None
    assert (
        admin.control_plane_identity.id == f"service principal aks-sp-admin ({APPS['sp-admin'][0]})"
    )
    assert admin.control_plane_identity.grants == [
        f"Contributor at subscription scope /subscriptions/{SP_SUB}"
    ]
    (pool,) = admin.node_pools or []
    assert [(i.id, i.admin_equivalent) for i in pool.identities or []] == [
        (admin.control_plane_identity.id, True)
    ]
    # One Graph read per service principal, with a token for the Graph audience.
    graph = [p for p, _ in sp_world.requests if p.startswith("/v1.0/")]
    assert sorted(graph) == sorted(
        f"/v1.0/serviceprincipals(appid='{app}')" for app, _ in APPS.values()
    )
    assert "https://graph.microsoft.com/.default" in credential.scopes
    assert sp_world.problems == []
    sp_path = f"/subscriptions/{SP_SUB}/providers/Microsoft.Authorization/roleAssignments"
    assert _assignment_reads(sp_world, sp_path.lower()) == (1, 0)


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (403, "Authorization_RequestDenied", "denied"),
        (404, "Request_ResourceNotFound", "not-found"),
        (429, "TooManyRequests", "throttled"),
    ],
)
def test_a_failed_graph_read_is_an_error_with_its_reason(
    sp_world: FakeArm, status: int, code: str, kind: str
) -> None:
    app = APPS["sp-admin"][0]
    sp_world.fail_graph(app, status, code, "Insufficient privileges to complete the operation.")
    admin = _sp_scan(sp_world)["sp-admin"]
    (error,) = admin.collection_errors
    assert (error.call, error.kind, error.code) == (GRAPH_CALL, kind, code)
    assert error.resource == f"servicePrincipals(appId='{app}')"
    found = findings(admin)
    for rule in IDENTITY_RULES:
        assert found[rule].status is Status.ERROR, rule
        assert code in found[rule].message


def test_without_a_graph_token_the_reason_says_which_variable_to_set(sp_world: FakeArm) -> None:
    postures = _sp_scan(sp_world, graph=None)
    for posture in postures.values():
        (error,) = posture.collection_errors
        assert (error.call, error.code) == (GRAPH_CALL, "NoGraphToken")
        assert "CLOUDPOSTURE_AZURE_GRAPH_TOKEN" in findings(posture)["IAM-001"].message
    assert not [p for p, _ in sp_world.requests if p.startswith("/v1.0/")]


def test_an_arm_token_sent_to_graph_is_refused_as_denied(sp_world: FakeArm) -> None:
    """The fake checks the audience the way Graph does: an ARM token gets a 401."""
    credential = FakeCredential(graph_token="fake-arm-token")
    admin = _sp_scan(sp_world, credential)["sp-admin"]
    (error,) = admin.collection_errors
    assert (error.kind, error.code) == ("denied", "InvalidAuthenticationToken")


def _clusters() -> list[dict[str, object]]:
    from tests.providers.azure.aks_world import clusters

    return clusters()


# -- every identity on the nodes (issue 13) ----------------------------------------------------


def test_an_enabled_add_ons_identity_is_judged_with_the_kubelets(world: FakeArm) -> None:
    hardened = scan(world)["hardened"]
    (pool,) = hardened.node_pools or []
    ids = [i.id.rsplit("/", 1)[-1] for i in pool.identities or []]
    assert ids == ["hardened-agentpool", "azurekeyvaultsecretsprovider-hardened"]
    assert [i.admin_equivalent for i in pool.identities or []] == [False, False]
    assert findings(hardened)["IAM-001"].status is Status.PASS


def test_an_admin_add_on_identity_fails_iam_001_though_the_kubelet_is_a_reader(
    world: FakeArm,
) -> None:
    grants = role_grants()
    grants["kv-hardened"] = [(f"/subscriptions/{SUB}", CONTRIBUTOR)]
    serve_assignments(world, SUB, grants)
    hardened = scan(world)["hardened"]
    finding = findings(hardened)["IAM-001"]
    assert finding.status is Status.FAIL
    assert "azurekeyvaultsecretsprovider-hardened" in finding.message
    assert "hardened-agentpool" not in finding.message  # the kubelet's Reader is not to blame
