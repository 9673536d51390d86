"""Roles that let an identity make itself Owner are admin-equivalent (IAM-001 / IAM-002).

Real azure-mgmt clients against the fake ARM: the kubelet identity of the ``hardened`` cluster
(a Reader in the shared world) is given one more assignment at subscription scope, whose role
definition is served exactly as ``RoleDefinitions.GetById`` returns it.
"""

from __future__ import annotations

from typing import Any

import pytest
from cloudposture_azure import roles

from cloudposture.model import Status
from tests.providers.azure.aks_fake import FakeArm
from tests.providers.azure.aks_world import (
    AUTH,
    SUB,
    assignment,
    role_definition,
    role_definition_id,
    role_grants,
    serve_assignments,
)
from tests.providers.azure.test_aks_adapter import findings, scan

SUB_SCOPE = f"/subscriptions/{SUB}"
OTHER_SUB = "/subscriptions/5a3f2c1e-0000-4000-8000-0000000000ff"
RBAC_ADMIN = "f58310d9-a9f6-439a-9e8d-f62e7b41a168"
ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
METRICS_PUBLISHER = "3913510d-42f4-4e42-8a64-420c390055eb"
CUSTOM = "c0ffee00-0000-4000-8000-000000000001"
HELD = "c0ffee00-0000-4000-8000-000000000002"

# Built-ins as Azure publishes them (actions / notActions / dataActions).
BUILT_INS: dict[str, tuple[str, list[str], list[str], list[str]]] = {
    RBAC_ADMIN: (
        "Role Based Access Control Administrator",
        [
            "Microsoft.Authorization/roleAssignments/write",
            "Microsoft.Authorization/roleAssignments/delete",
            "*/read",
            "Microsoft.Support/*",
        ],
        [],
        [],
    ),
    ACR_PULL: ("AcrPull", ["Microsoft.ContainerRegistry/registries/pull/read"], [], []),
    METRICS_PUBLISHER: (
        "Monitoring Metrics Publisher",
        [
            "Microsoft.Insights/Register/Action",
            "Microsoft.Support/*",
            "Microsoft.Resources/subscriptions/resourceGroups/read",
        ],
        [],
        ["Microsoft.Insights/Metrics/Write"],
    ),
}

# A condition of the documented "constrain roles" shape (only Backup Contributor / Reader).
CONSTRAIN_ROLES = (
    "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
    "(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] "
    "ForAnyOfAnyValues:GuidEquals {5e467623-bb1f-42f4-a55d-6e525e11384b, "
    "a795c7a0-d4a2-40c1-ae25-d81f01202912}))"
)


def _serve_builtin(fake: FakeArm, guid: str) -> None:
    name, actions, not_actions, data_actions = BUILT_INS[guid]
    body = role_definition(guid, name, actions, not_actions=not_actions, data_actions=data_actions)
    fake.add(role_definition_id(guid), AUTH, body)


def _serve_custom(
    fake: FakeArm, guid: str, actions: list[str], not_actions: list[str] | None = None,
    scopes: list[str] | None = None,
) -> None:  # fmt: skip
    body = role_definition(
        guid,
        f"custom {guid[-2:]}",
        actions,
        not_actions=not_actions,
        custom=True,
        assignable_scopes=scopes or [SUB_SCOPE],
    )
    fake.add(role_definition_id(guid), AUTH, body)


def _grant(
    fake: FakeArm,
    principal: str,
    *pairs: tuple[str, str],
    extra: list[dict[str, Any]] | None = None,
) -> None:
    grants = role_grants()
    grants[principal] = grants[principal] + list(pairs)
    serve_assignments(fake, SUB, grants, extra={principal: extra or []})


def _hardened(fake: FakeArm, rule: str = "IAM-001") -> tuple[Status, str]:
    finding = findings(scan(fake)["hardened"])[rule]
    assert fake.problems == []
    return finding.status, finding.message


def test_rbac_administrator_at_subscription_scope_fails_iam_001(world: FakeArm) -> None:
    _serve_builtin(world, RBAC_ADMIN)
    _grant(world, "k-hardened", (SUB_SCOPE, RBAC_ADMIN))
    status, message = _hardened(world)
    assert status is Status.FAIL
    assert "Role Based Access Control Administrator at subscription scope" in message
    assert "can assign itself Owner" in message


def test_rbac_administrator_is_known_when_its_definition_is_unreadable(world: FakeArm) -> None:
    world.fail(role_definition_id(RBAC_ADMIN), AUTH, 403, "AuthorizationFailed")
    _grant(world, "k-hardened", (SUB_SCOPE, RBAC_ADMIN))
    assert _hardened(world)[0] is Status.FAIL


def test_rbac_administrator_on_the_cluster_identity_fails_iam_002(world: FakeArm) -> None:
    _serve_builtin(world, RBAC_ADMIN)
    _grant(world, "cp-hardened", (SUB_SCOPE, RBAC_ADMIN))
    assert _hardened(world, "IAM-002")[0] is Status.FAIL


def test_rbac_administrator_on_one_resource_group_is_evidence_not_admin(world: FakeArm) -> None:
    _serve_builtin(world, RBAC_ADMIN)
    _grant(world, "k-hardened", (f"{SUB_SCOPE}/resourceGroups/apps", RBAC_ADMIN))
    postures = scan(world)
    (pool,) = postures["hardened"].node_pools or []
    kubelet = (pool.identities or [])[0]
    assert kubelet.admin_equivalent is False
    assert any("resource-group scope" in g for g in kubelet.grants or [])
    assert findings(postures["hardened"])["IAM-001"].status is Status.PASS


def test_a_condition_on_the_assignment_is_not_taken_as_narrowing(world: FakeArm) -> None:
    _serve_builtin(world, RBAC_ADMIN)
    conditioned = assignment(SUB_SCOPE, RBAC_ADMIN, "k-hardened", 90)
    conditioned["properties"] |= {"condition": CONSTRAIN_ROLES, "conditionVersion": "2.0"}
    _grant(world, "k-hardened", extra=[conditioned])
    status, message = _hardened(world)
    assert status is Status.FAIL
    assert "condition is not evaluated (treated as not narrowing)" in message


@pytest.mark.parametrize(
    ("actions", "not_actions"),
    [
        (["Microsoft.Authorization/roleAssignments/write"], []),
        (["microsoft.authorization/ROLEASSIGNMENTS/WRITE"], []),  # matched case-insensitively
        (["Microsoft.Authorization/*"], []),
        (["Microsoft.Authorization/roleAssignments/*"], []),
        (["*/write"], []),
        (["Microsoft.*/write"], []),
        # the notActions remove deletes only: assigning roles stays allowed
        (["Microsoft.Authorization/*"], ["Microsoft.Authorization/*/delete"]),
    ],
)
def test_a_custom_role_that_can_assign_roles_fails_iam_001(
    world: FakeArm, actions: list[str], not_actions: list[str]
) -> None:
    _serve_custom(world, CUSTOM, actions, not_actions)
    _grant(world, "k-hardened", (SUB_SCOPE, CUSTOM))
    status, message = _hardened(world)
    assert status is Status.FAIL
    assert "Microsoft.Authorization/roleAssignments/write" in message


@pytest.mark.parametrize(
    ("actions", "not_actions"),
    [
        (["Microsoft.Authorization/*"], ["Microsoft.Authorization/*/write"]),
        (["Microsoft.Authorization/*"], ["*/write"]),
        (["*/write"], ["Microsoft.Authorization/*"]),
        (["Microsoft.Authorization/roleAssignments/read", "Microsoft.Compute/*/write"], []),
        (["Microsoft.Authorization/roleAssignments/write/extra"], []),  # no prefix matching
    ],
)
def test_a_custom_role_whose_role_writes_are_removed_passes(
    world: FakeArm, actions: list[str], not_actions: list[str]
) -> None:
    _serve_custom(world, CUSTOM, actions, not_actions)
    _grant(world, "k-hardened", (SUB_SCOPE, CUSTOM))
    assert _hardened(world)[0] is Status.PASS


@pytest.mark.parametrize("guid", [ACR_PULL, METRICS_PUBLISHER])
def test_harmless_builtins_at_subscription_scope_pass(world: FakeArm, guid: str) -> None:
    _serve_builtin(world, guid)
    _grant(world, "k-hardened", (SUB_SCOPE, guid))
    assert _hardened(world)[0] is Status.PASS


def test_editing_a_custom_role_it_holds_fails_iam_001(world: FakeArm) -> None:
    """roleDefinitions/write over the assignable scopes of a custom role the identity holds
    at subscription scope: it can add ``*`` to that role."""
    _serve_custom(
        world,
        CUSTOM,
        ["Microsoft.Authorization/roleDefinitions/write"],
        scopes=[SUB_SCOPE, OTHER_SUB],
    )  # fmt: skip  (it cannot edit itself)
    _serve_custom(world, HELD, ["Microsoft.Storage/*/read"])
    _grant(world, "k-hardened", (SUB_SCOPE, CUSTOM), (SUB_SCOPE, HELD))
    status, message = _hardened(world)
    assert status is Status.FAIL
    assert f"can add '*' to custom role custom {HELD[-2:]}" in message


def test_a_role_that_edits_itself_fails_iam_001(world: FakeArm) -> None:
    _serve_custom(world, CUSTOM, ["Microsoft.Authorization/roleDefinitions/*"])
    _grant(world, "k-hardened", (SUB_SCOPE, CUSTOM))
    assert _hardened(world)[0] is Status.FAIL


@pytest.mark.parametrize("holds_another", [False, True])
def test_editing_roles_without_an_editable_held_role_passes(
    world: FakeArm, holds_another: bool
) -> None:
    """Updating a custom role takes roleDefinitions/write over all its assignable scopes;
    here every custom role the identity holds is also assignable in another subscription."""
    both = [SUB_SCOPE, OTHER_SUB]
    edit = ["Microsoft.Authorization/roleDefinitions/write", "*/read"]
    _serve_custom(world, CUSTOM, edit, scopes=both)
    pairs = [(SUB_SCOPE, CUSTOM)]
    if holds_another:
        _serve_custom(world, HELD, ["Microsoft.Storage/*/read"], scopes=both)
        pairs.append((SUB_SCOPE, HELD))
    _grant(world, "k-hardened", *pairs)
    assert _hardened(world)[0] is Status.PASS


def test_editing_roles_on_one_resource_group_cannot_edit_a_subscription_role(
    world: FakeArm,
) -> None:
    _serve_builtin(world, ACR_PULL)
    _serve_custom(world, CUSTOM, ["Microsoft.Authorization/roleDefinitions/write"],
                  scopes=[f"{SUB_SCOPE}/resourceGroups/apps"])  # fmt: skip
    _serve_custom(world, HELD, ["Microsoft.Storage/*/read"])
    _grant(world, "k-hardened", (f"{SUB_SCOPE}/resourceGroups/apps", CUSTOM), (SUB_SCOPE, HELD))
    assert _hardened(world)[0] is Status.PASS


# -- the pure parts -------------------------------------------------------------------------


def test_a_management_group_covers_only_the_listed_subscription() -> None:
    group = "/providers/Microsoft.Management/managementGroups/platform"
    assert roles.covers(group, f"{SUB_SCOPE}/resourceGroups/x", SUB)
    assert not roles.covers(group, OTHER_SUB, SUB)
    assert not roles.covers(group, SUB_SCOPE)  # which subscription listed it is unknown
    assert roles.covers("/", group)
    assert not roles.covers(f"{SUB_SCOPE}/resourceGroups/a", f"{SUB_SCOPE}/resourceGroups/ab")


def test_not_actions_of_one_permission_block_do_not_remove_anothers() -> None:
    definition = roles.role_definition(
        {
            "properties": {
                "roleName": "two blocks",
                "type": "CustomRole",
                "permissions": [
                    {"actions": ["Microsoft.Authorization/*"], "notActions": []},
                    {"actions": ["*/read"], "notActions": ["Microsoft.Authorization/*"]},
                ],
            }
        }
    )
    assert definition.allows(roles.ASSIGN_ROLES)
    assert definition.custom
    assert not definition.wildcard
