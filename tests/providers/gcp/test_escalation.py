"""IAM-001 on grants that let the node service account make itself owner, end to end.

Each test binds a role to the hardened cluster's node service account (``payments`` in
acme-prod, IAM-001 PASS in the issue's world) on the project, a folder or the organization,
scans through the real clients against the fake API (custom roles served as IAM v1 ``Role``
JSON), and judges the posture with the real rules. Predefined roles outside the escalation table are
served on ``/v1/roles/<name>`` with their real permissions (predefined_roles.py).
"""

from __future__ import annotations

import pytest
from cloudposture_gcp.iam import grants_for, project_level
from google.protobuf.json_format import ParseError

from cloudposture.model import Status
from tests.providers.gcp.fake_api import FakeGoogleApi, World, permission_denied, validate
from tests.providers.gcp.fixtures import DEV, NODES_SA, ORG, PROD, custom_role, org_policy
from tests.providers.gcp.predefined_roles import CATALOGUE
from tests.providers.gcp.test_inherited import FOLDER, findings, folders

NODE = f"serviceAccount:{NODES_SA}"
PROJECT_ROLE = f"projects/{PROD}/roles/nodeOps"
ORG_ROLE = f"{ORG}/roles/nodeOps"
DEFAULT_NODE_ROLE = "roles/container.defaultNodeServiceAccount"
"""Bound to the node service account in the issue's world: a predefined role that is read."""


def bind(world: World, role: str, where: str = PROD, **extra: object) -> None:
    world.policies[where]["bindings"].append({"role": role, "members": [NODE], **extra})


def iam_001(api: FakeGoogleApi) -> tuple[Status, str]:
    finding = findings(api, PROD)["payments"]["IAM-001"]
    return finding.status, finding.message


@pytest.mark.parametrize(
    ("role", "why"),
    [
        ("roles/resourcemanager.projectIamAdmin", "projects.setIamPolicy"),
        ("roles/iam.securityAdmin", "projects.setIamPolicy"),
        ("roles/iam.serviceAccountTokenCreator", "getAccessToken"),
        ("roles/iam.serviceAccountKeyAdmin", "serviceAccountKeys.create"),
        ("roles/iam.serviceAccountAdmin", "serviceAccounts.setIamPolicy"),
    ],
)
def test_escalating_predefined_role_on_the_project_fails(
    api: FakeGoogleApi, world: World, role: str, why: str
) -> None:
    bind(world, role)
    status, message = iam_001(api)
    assert status is Status.FAIL
    assert f"{role} on projects/{PROD}" in message
    assert why in message


def test_folder_and_organization_admin_escalate_where_they_are_bound(
    api: FakeGoogleApi, world: World
) -> None:
    folders(world)
    bind(world, "roles/resourcemanager.folderAdmin", FOLDER)
    status, message = iam_001(api)
    assert status is Status.FAIL
    assert "folders.setIamPolicy" in message
    assert "(inherited by the project)" in message
    world.policies[FOLDER] = org_policy()
    bind(world, "roles/resourcemanager.organizationAdmin", ORG)
    status, message = iam_001(api)
    assert status is Status.FAIL
    assert "organizations.setIamPolicy" in message


def test_service_account_user_escalates_only_with_a_way_to_run_code(
    api: FakeGoogleApi, world: World
) -> None:
    bind(world, "roles/iam.serviceAccountUser")
    assert iam_001(api)[0] is Status.PASS  # actAs alone starts nothing
    bind(world, "roles/compute.instanceAdmin.v1", ORG)
    status, message = iam_001(api)
    assert status is Status.FAIL
    assert "actAs with compute.instances.create" in message


def test_role_admin_escalates_only_when_bound_to_a_custom_role_it_can_edit(
    api: FakeGoogleApi, world: World
) -> None:
    bind(world, "roles/iam.roleAdmin")
    assert iam_001(api)[0] is Status.PASS  # edits roles others hold: not its own power
    world.roles[PROJECT_ROLE] = custom_role(PROJECT_ROLE, ["logging.logEntries.create"])
    bind(world, PROJECT_ROLE)
    status, message = iam_001(api)
    assert status is Status.FAIL
    assert f"can add any permission to {PROJECT_ROLE}" in message


def test_role_admin_on_the_project_cannot_edit_an_organization_role(
    api: FakeGoogleApi, world: World
) -> None:
    bind(world, "roles/iam.roleAdmin")
    world.roles[ORG_ROLE] = custom_role(ORG_ROLE, ["monitoring.metricDescriptors.list"])
    bind(world, ORG_ROLE, ORG)
    assert iam_001(api)[0] is Status.PASS


@pytest.mark.parametrize(
    "permissions",
    [
        ["resourcemanager.projects.setIamPolicy"],
        ["iam.serviceAccounts.signJwt"],
        ["iam.serviceAccountKeys.create", "iam.serviceAccounts.list"],
        ["iam.serviceAccounts.actAs", "run.services.create"],
        ["iam.roles.update", "logging.logEntries.create"],  # edits itself: bound to this role
    ],
)
def test_escalating_custom_role_fails(
    api: FakeGoogleApi, world: World, permissions: list[str]
) -> None:
    world.roles[PROJECT_ROLE] = custom_role(PROJECT_ROLE, permissions)
    bind(world, PROJECT_ROLE)
    status, message = iam_001(api)
    assert status is Status.FAIL
    assert f"{PROJECT_ROLE} on projects/{PROD}" in message


def test_escalating_organization_custom_role_bound_on_the_org_fails_once_read(
    api: FakeGoogleApi, world: World
) -> None:
    world.roles[ORG_ROLE] = custom_role(ORG_ROLE, ["resourcemanager.organizations.setIamPolicy"])
    bind(world, ORG_ROLE, ORG, condition={"title": "weekdays", "expression": "true"})
    status, message = iam_001(api)
    assert status is Status.FAIL
    assert "(conditional: weekdays)" in message
    # The node's own predefined role (roles/container.defaultNodeServiceAccount) is read too.
    assert sorted(r for c, r in api.calls if c == "iam:GetRole") == [ORG_ROLE, DEFAULT_NODE_ROLE]


@pytest.mark.parametrize(
    "role",
    ["roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/artifactregistry.reader"],
)
def test_harmless_predefined_roles_pass(api: FakeGoogleApi, world: World, role: str) -> None:
    bind(world, role)
    assert iam_001(api)[0] is Status.PASS


@pytest.mark.parametrize(
    ("role", "verb"),
    [
        ("roles/run.admin", "run.services.create"),
        ("roles/cloudfunctions.developer", "cloudfunctions.functions.create"),
    ],
)
def test_predefined_role_outside_the_table_is_read_and_escalates_with_act_as(
    api: FakeGoogleApi, world: World, role: str, verb: str
) -> None:
    bind(world, role)
    assert iam_001(api)[0] is Status.PASS  # a way to run code, but as itself only
    bind(world, "roles/iam.serviceAccountUser")
    status, message = iam_001(api)
    assert status is Status.FAIL
    assert f"actAs with {verb} ({role} on projects/{PROD})" in message
    read = [r for c, r in api.calls if c == "iam:GetRole"]
    assert role in read
    assert "roles/iam.serviceAccountUser" not in read  # the table settles it: no read


def test_harmless_predefined_roles_are_read_once_per_scan_across_projects(
    api: FakeGoogleApi, world: World
) -> None:
    harmless = [
        "roles/logging.logWriter",
        "roles/monitoring.metricWriter",
        "roles/artifactregistry.reader",
    ]
    dev_nodes = f"serviceAccount:gke-nodes@{DEV}.iam.gserviceaccount.com"
    for role in harmless:
        bind(world, role)
        world.policies[DEV]["bindings"].append({"role": role, "members": [dev_nodes]})
    found = findings(api, PROD, DEV)
    assert found["payments"]["IAM-001"].status is Status.PASS
    assert found["ops"]["IAM-001"].status is Status.PASS
    read = [r for c, r in api.calls if c == "iam:GetRole"]
    assert sorted(read) == sorted({*harmless, DEFAULT_NODE_ROLE})
    evidence = " ".join(e.source for e in found["payments"]["IAM-001"].evidence)
    assert "roles/artifactregistry.reader" in evidence


def test_a_predefined_role_the_api_does_not_know_is_an_error(
    api: FakeGoogleApi, world: World
) -> None:
    bind(world, "roles/made.up")
    assert iam_001(api)[0] is Status.ERROR


def test_the_table_is_a_floor_under_a_read_definition() -> None:
    """A known escalator judged from a definition that lacks its permission still escalates
    (a stale or truncated answer cannot make it harmless)."""
    policy = {"bindings": [{"role": "roles/iam.serviceAccountKeyAdmin", "members": [NODE]}]}
    truncated = {"name": "roles/iam.serviceAccountKeyAdmin", "includedPermissions": ["a.b.c"]}
    grants = grants_for(
        project_level(PROD, policy), NODES_SA, {"roles/iam.serviceAccountKeyAdmin": truncated}
    )
    assert grants.admin_equivalent is True
    unread = grants_for(
        project_level(PROD, {"bindings": [{"role": "roles/x.y", "members": [NODE]}]}), NODES_SA
    )
    assert unread.admin_equivalent is None
    assert unread.unread == ("predefined role roles/x.y",)


def test_harmless_custom_role_passes_and_is_read_once_per_scan(
    api: FakeGoogleApi, world: World
) -> None:
    harmless = ["logging.logEntries.create", "monitoring.metricDescriptors.list"]
    world.roles[PROJECT_ROLE] = custom_role(PROJECT_ROLE, harmless)
    bind(world, PROJECT_ROLE)
    bind(world, PROJECT_ROLE, condition={"title": "again", "expression": "true"})
    finding = findings(api, PROD)["payments"]["IAM-001"]
    assert finding.status is Status.PASS
    assert any(PROJECT_ROLE in e.source for e in finding.evidence)
    assert sorted(r for c, r in api.calls if c == "iam:GetRole") == [
        PROJECT_ROLE,
        DEFAULT_NODE_ROLE,
    ]


def test_disabled_or_deleted_escalating_custom_role_grants_nothing(
    api: FakeGoogleApi, world: World
) -> None:
    grant = ["resourcemanager.projects.setIamPolicy"]
    world.roles[PROJECT_ROLE] = custom_role(PROJECT_ROLE, grant, stage="DISABLED")
    bind(world, PROJECT_ROLE)
    assert iam_001(api)[0] is Status.PASS
    world.roles[PROJECT_ROLE] = custom_role(PROJECT_ROLE, grant, deleted=True)
    assert iam_001(api)[0] is Status.PASS


@pytest.mark.parametrize(
    ("role", "settler"),
    [
        (PROJECT_ROLE, "roles/iam.securityAdmin"),
        # Predefined, outside the table; a known escalator settles it without any read.
        ("roles/run.developer", "roles/iam.serviceAccountTokenCreator"),
    ],
)
def test_a_denied_role_read_is_an_error_naming_the_role_never_a_pass(
    api: FakeGoogleApi, world: World, role: str, settler: str
) -> None:
    world.roles[role] = custom_role(role, ["logging.logEntries.create"])
    world.errors[("iam:GetRole", role)] = (403, permission_denied("iam.roles.get", role))
    bind(world, role)
    finding = findings(api, PROD)["payments"]["IAM-001"]
    assert finding.status is Status.ERROR
    assert role in finding.message
    assert "iam:GetRole" in finding.message
    # Another grant that settles it still settles it.
    bind(world, settler)
    assert iam_001(api)[0] is Status.FAIL


def test_a_missing_custom_role_is_an_error_not_a_pass(api: FakeGoogleApi, world: World) -> None:
    bind(world, PROJECT_ROLE)
    assert iam_001(api)[0] is Status.ERROR


def test_role_fixtures_have_the_rest_shape() -> None:
    validate("iam:GetRole", custom_role(PROJECT_ROLE, ["a.b.c"], deleted=True))
    for role in CATALOGUE.values():
        validate("iam:GetRole", role)
    with pytest.raises(ParseError, match="includedPermission"):
        validate("iam:GetRole", {"name": PROJECT_ROLE, "includedPermission": ["a.b.c"]})
