"""IAM-001 on grants that let the node service account make itself owner, end to end.

Each test binds a role to the hardened cluster's node service account (``payments`` in
acme-prod, IAM-001 PASS in the issue's world) on the project, a folder or the organization,
scans through the real clients against the fake API (custom roles served as IAM v1 ``Role``
JSON), and judges the posture with the real rules.
"""

from __future__ import annotations

import pytest
from google.protobuf.json_format import ParseError

from cloudposture.model import Status
from tests.providers.gcp.fake_api import FakeGoogleApi, World, permission_denied, validate
from tests.providers.gcp.fixtures import NODES_SA, ORG, PROD, custom_role, org_policy
from tests.providers.gcp.test_inherited import FOLDER, findings, folders

NODE = f"serviceAccount:{NODES_SA}"
PROJECT_ROLE = f"projects/{PROD}/roles/nodeOps"
ORG_ROLE = f"{ORG}/roles/nodeOps"


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
    assert [r for c, r in api.calls if c == "iam:GetRole"] == [ORG_ROLE]


@pytest.mark.parametrize(
    "role",
    ["roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/artifactregistry.reader"],
)
def test_harmless_predefined_roles_pass(api: FakeGoogleApi, world: World, role: str) -> None:
    bind(world, role)
    assert iam_001(api)[0] is Status.PASS


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
    assert api.count("iam:GetRole") == 1


def test_disabled_or_deleted_escalating_custom_role_grants_nothing(
    api: FakeGoogleApi, world: World
) -> None:
    grant = ["resourcemanager.projects.setIamPolicy"]
    world.roles[PROJECT_ROLE] = custom_role(PROJECT_ROLE, grant, stage="DISABLED")
    bind(world, PROJECT_ROLE)
    assert iam_001(api)[0] is Status.PASS
    world.roles[PROJECT_ROLE] = custom_role(PROJECT_ROLE, grant, deleted=True)
    assert iam_001(api)[0] is Status.PASS


def test_a_denied_custom_role_read_is_an_error_naming_the_role(
    api: FakeGoogleApi, world: World
) -> None:
    world.roles[PROJECT_ROLE] = custom_role(PROJECT_ROLE, ["logging.logEntries.create"])
    world.errors[("iam:GetRole", PROJECT_ROLE)] = (
        403,
        permission_denied("iam.roles.get", PROJECT_ROLE),
    )
    bind(world, PROJECT_ROLE)
    finding = findings(api, PROD)["payments"]["IAM-001"]
    assert finding.status is Status.ERROR
    assert PROJECT_ROLE in finding.message
    assert "iam:GetRole" in finding.message
    # Another grant that settles it still settles it.
    bind(world, "roles/iam.securityAdmin")
    assert iam_001(api)[0] is Status.FAIL


def test_a_missing_custom_role_is_an_error_not_a_pass(api: FakeGoogleApi, world: World) -> None:
    bind(world, PROJECT_ROLE)
    assert iam_001(api)[0] is Status.ERROR


def test_role_fixtures_have_the_rest_shape() -> None:
    validate("iam:GetRole", custom_role(PROJECT_ROLE, ["a.b.c"], deleted=True))
    with pytest.raises(ParseError, match="includedPermission"):
        validate("iam:GetRole", {"name": PROJECT_ROLE, "includedPermission": ["a.b.c"]})
