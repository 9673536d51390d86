"""Grants that let a node make itself admin fail IAM-001 like ``manage all-resources``: the
escalation table (OCI's verb tables for policies, dynamic groups, users, groups and domains),
through the real ``oci`` clients against the fake API; reads of the same resources pass."""

from __future__ import annotations

import pytest
from cloudposture_oci.escalation import holdings
from cloudposture_oci.grant_conditions import judge
from cloudposture_oci.policy_grammar import parse_statement
from oci.identity.models import DynamicGroup

from cloudposture.model import ClusterPosture, Identity, Status
from tests.providers.oci.conftest import Credentials, make_scanner
from tests.providers.oci.fake_oci import FakeOci, World
from tests.providers.oci.judging import outcomes, with_status
from tests.providers.oci.oke_world import APPS, ASHBURN, EXPECTED_FAILS, TENANCY
from tests.providers.oci.test_oke_scan import scan_all

NODES = "Allow dynamic-group oke-tagged to"
REGION = "request.region = 'us-ashburn-1'"


@pytest.mark.parametrize(
    ("grant", "holds"),
    [
        # verbs are cumulative, and each adds what OCI's "Details for IAM" tables list
        ("inspect policies", set()),
        ("use policies", set()),  # "updating policies is available only with manage"
        ("manage policies", {"POLICY_CREATE", "POLICY_UPDATE"}),
        ("read dynamic-groups", set()),
        ("use dynamic-groups", {"DYNAMIC_GROUP_UPDATE"}),
        ("manage dynamic-groups", {"DYNAMIC_GROUP_UPDATE"}),
        ("inspect groups", set()),
        ("use groups", {"GROUP_UPDATE"}),
        ("read users", set()),
        ("use users", {"USER_UPDATE"}),
        ("manage users", {"USER_UPDATE", "USER_APIKEY_ADD", "USER_UIPASS_RESET"}),
        ("use domains", set()),
        ("manage domains", {"manage domains"}),
        ("read all-resources", set()),
        ("use all-resources", {"DYNAMIC_GROUP_UPDATE", "GROUP_UPDATE", "USER_UPDATE"}),
        ("manage instance-family", set()),
        ("{USER_UPDATE, user_apikey_add, USER_READ}", {"USER_UPDATE", "USER_APIKEY_ADD"}),
        ("{DYNAMIC_GROUP_CREATE, DYNAMIC_GROUP_DELETE, GROUP_CREATE}", set()),
    ],
)
def test_the_table_reads_what_a_grant_holds(grant: str, holds: set[str]) -> None:
    statement = parse_statement(f"{NODES} {grant} in tenancy")
    assert holdings(statement) - {"manage all-resources"} == holds


def test_manage_all_resources_holds_everything() -> None:
    held = holdings(parse_statement(f"{NODES} manage all-resources in tenancy"))
    assert {"manage all-resources", "POLICY_CREATE", "USER_APIKEY_ADD", "manage domains"} <= held


def _grant_to_private_nodes(world: World, *statements: str) -> None:
    """Add statements for oke-tagged (the private cluster's nodes) to the root policy."""
    (root,) = [p for p in world.policies if p.id == "ocid1.policy.oc1..root"]
    root.statements = [*root.statements, *statements]


def _private(api: FakeOci, credentials: Credentials) -> ClusterPosture:
    return scan_all(make_scanner(api, credentials, region=[ASHBURN]))["private"]


def _identity(posture: ClusterPosture) -> Identity:
    (identity,) = (posture.node_pools or [])[0].identities or []
    return identity


ESCALATING = [
    (("manage policies in tenancy",), "POLICY_CREATE: can write itself a policy"),
    (("manage policies in compartment apps",), "POLICY_CREATE"),  # the nodes' compartment
    (("{POLICY_UPDATE} in tenancy",), "POLICY_UPDATE: can rewrite a policy"),
    ((f"{{POLICY_CREATE}} in compartment id {APPS}",), "POLICY_CREATE"),
    (("use dynamic-groups in tenancy",), "DYNAMIC_GROUP_UPDATE in the tenancy: can rewrite"),
    (("manage dynamic-groups in tenancy",), "any dynamic group's matching rule"),
    (("{DYNAMIC_GROUP_UPDATE} in tenancy",), "DYNAMIC_GROUP_UPDATE"),
    ((f"use dynamic-groups in compartment id {TENANCY}",), "DYNAMIC_GROUP_UPDATE"),
    (("manage users in tenancy",), "USER_UPDATE + USER_APIKEY_ADD in the tenancy: can upload"),
    (("{USER_UPDATE, USER_APIKEY_ADD} in tenancy",), "USER_APIKEY_ADD"),
    (("{USER_UPDATE, USER_UIPASS_RESET} in tenancy",), "console password"),
    (("use users in tenancy", "use groups in tenancy"), "can add any user to any group"),
    (("use users in tenancy", "manage groups in tenancy"), "USER_UPDATE + GROUP_UPDATE"),
    (("{USER_UPDATE} in tenancy", "{GROUP_UPDATE} in tenancy"), "USER_UPDATE + GROUP_UPDATE"),
    (("use all-resources in tenancy",), "DYNAMIC_GROUP_UPDATE"),
    (("manage domains in tenancy",), "manage domains in the tenancy: can administer"),
    ((f"manage users in tenancy where {REGION}",), "USER_APIKEY_ADD"),
]


@pytest.mark.parametrize(("grants", "why"), ESCALATING)
def test_a_grant_that_escalates_fails_iam_001(
    api: FakeOci, world: World, credentials: Credentials, grants: tuple[str, ...], why: str
) -> None:
    _grant_to_private_nodes(world, *(f"{NODES} {g}" for g in grants))
    private = _private(api, credentials)
    outcome = outcomes(private)["IAM-001"]
    assert outcome.status == Status.FAIL
    assert with_status(private, Status.FAIL) == EXPECTED_FAILS["private"] | {"IAM-001"}
    named = [g for g in _identity(private).grants if "(admin-equivalent: " in g]
    assert len(named) == len(grants)  # every statement of the path says how it escalates
    assert all(why in g for g in named)
    assert why in outcome.message


def test_a_conditioned_escalation_names_its_condition_and_how_it_escalates(
    api: FakeOci, world: World, credentials: Credentials
) -> None:
    _grant_to_private_nodes(world, f"{NODES} use dynamic-groups in tenancy where {REGION}")
    (named,) = [g for g in _identity(_private(api, credentials)).grants if "dynamic-groups" in g]
    assert named == (
        f"{NODES} use dynamic-groups in tenancy (where {REGION}: still admin in that region) "
        "(admin-equivalent: DYNAMIC_GROUP_UPDATE in the tenancy: can rewrite any dynamic "
        "group's matching rule to take in the nodes, and with it that group's grants (an "
        "admin group's included))"
    )


@pytest.mark.parametrize(
    "grants",
    [
        # reads of the same resources
        ("read users in tenancy", "inspect groups in tenancy", "read dynamic-groups in tenancy"),
        ("inspect policies in tenancy", "use policies in tenancy", "read domains in tenancy"),
        ("read all-resources in tenancy",),
        # half a path: AddUserToGroup needs USER_UPDATE and GROUP_UPDATE, an API key both
        ("use users in tenancy",),
        ("manage groups in tenancy",),
        ("{USER_APIKEY_ADD, USER_UIPASS_RESET} in tenancy",),
        ("use users in tenancy", "use groups in compartment apps"),
        # creating or deleting groups and dynamic groups gives no grant
        ("{DYNAMIC_GROUP_CREATE, DYNAMIC_GROUP_DELETE, GROUP_CREATE} in tenancy",),
        # users, groups and dynamic groups live in the root: a compartment holds none
        ("manage dynamic-groups in compartment apps", "manage users in compartment apps"),
        ("use domains in tenancy", "manage domains in compartment apps"),
        # policies written where the nodes are not
        ("manage policies in compartment security",),
        # conditions that narrow to reads, or exclude instance principals
        ("manage users in tenancy where request.permission in ('USER_READ', 'USER_INSPECT')",),
        ("use dynamic-groups in tenancy where request.principal.type = 'workload'",),
        ("manage policies in tenancy where request.operation = 'ListPolicies'",),
    ],
)
def test_reads_and_half_paths_pass(
    api: FakeOci, world: World, credentials: Credentials, grants: tuple[str, ...]
) -> None:
    _grant_to_private_nodes(world, *(f"{NODES} {g}" for g in grants))
    private = _private(api, credentials)
    assert outcomes(private)["IAM-001"].status == Status.PASS
    assert with_status(private, Status.FAIL) == EXPECTED_FAILS["private"]
    assert not [g for g in _identity(private).grants if "admin-equivalent" in g]


def test_half_a_path_held_by_a_group_not_decided_is_an_error(
    api: FakeOci, world: World, credentials: Credentials
) -> None:
    """``use groups`` for the nodes, ``use users`` for a group whose rule does not parse: the
    nodes may hold both, so IAM-001 cannot pass."""
    world.dynamic_groups = [
        *world.dynamic_groups,
        DynamicGroup(
            id="ocid1.dynamicgroup.oc1..odd",
            name="odd",
            compartment_id=TENANCY,
            matching_rule="instance.id ~ 'x'",
            lifecycle_state="ACTIVE",
            description="odd",
        ),
    ]
    _grant_to_private_nodes(
        world, f"{NODES} use groups in tenancy", "Allow dynamic-group odd to use users in tenancy"
    )
    private = _private(api, credentials)
    outcome = outcomes(private)["IAM-001"]
    assert outcome.status == Status.ERROR
    assert (
        "would make the nodes admin-equivalent"
        in _identity(private).unknown_reasons["admin_equivalent"]
    )


@pytest.mark.parametrize(
    "where",
    ["target.user.name = 'ci'", "target.group.name = 'ops'", "target.dynamicgroup.id = 'x'"],
)
def test_a_condition_naming_the_iam_target_says_it_is_not_checked(where: str) -> None:
    judgement = judge(where)
    assert judgement.scope == "broad"
    assert "is not checked" in judgement.reason
