"""Which IAM grants let a node service account make itself an owner (IAM-001), and why.

Pure. ``roles/owner`` and ``roles/editor`` are admin-equivalent as they stand. Other roles are
admin-equivalent because of a few permissions that complete a path to owner without anyone
else's help. Grants are judged by those permissions: a predefined role in :data:`PREDEFINED`
by the escalating permissions Google's role reference lists for it (no read needed), every
other role, custom or predefined, by its ``includedPermissions`` read with ``iam.roles.get``
(iam.py; roles/run.admin holds ``run.services.create``, which no table names). Permissions
bound on different levels add up where both reach the project (an ``actAs`` on the folder and
``compute.instances.create`` on the project complete one path).

The paths (:data:`PATHS`), each judged where it reaches the scanned project:

- *set an IAM policy*: ``resourcemanager.projects.setIamPolicy`` on the project or above grants
  anything, owner included (Resource Manager lets a service account be made owner with
  ``setIamPolicy`` directly); ``folders.setIamPolicy`` counts on a folder or the organization,
  ``organizations.setIamPolicy`` on the organization (roles/resourcemanager.projectIamAdmin,
  folderAdmin, organizationAdmin, roles/iam.securityAdmin).
- *become another service account*: ``iam.serviceAccounts.getAccessToken`` (an OAuth token),
  ``signJwt`` or ``signBlob`` (a self-signed JWT, which Google APIs accept as a bearer token)
  and ``iam.serviceAccountKeys.create`` (a key), bound on the project or above, work on every
  service account of the project, owners included and the Compute Engine default one (Editor
  unless the organization turned automatic grants off); ``iam.serviceAccounts.setIamPolicy``
  grants itself the first of these on any of them (roles/iam.serviceAccountTokenCreator,
  serviceAccountKeyAdmin, serviceAccountAdmin).
- *edit its own role*: ``iam.roles.update`` where a custom role bound to the node is defined
  (its project, or its organization for organization roles) adds any permission to that role
  (roles/iam.roleAdmin, organizationRoleAdmin). Without such a binding it only edits roles
  others hold: not counted.
- *run code as another service account*: ``iam.serviceAccounts.actAs`` with
  ``compute.instances.create`` (a VM whose metadata server hands out that account's tokens),
  ``cloudfunctions.functions.create`` or ``run.services.create`` (the same with a function or a
  Cloud Run service) on the project or above (roles/iam.serviceAccountUser with
  roles/compute.instanceAdmin.v1 or roles/compute.admin). Each create needs a few helper
  permissions as well (disks, subnetworks, source upload); the pair is what the holder cannot
  get elsewhere, so the pair counts.

Not counted, on purpose: ``iam.serviceAccounts.getOpenIdToken`` (an ID token, which Google
Cloud APIs do not accept as an access token) and ``implicitDelegation`` (a hop in a delegation
chain: it reaches only what the service accounts of the chain may impersonate themselves).
The table is a shortcut and a floor, not a whitelist: a predefined role outside it is read
(its permissions are the same in every project, so once per scan), and one that cannot be read
leaves the answer unknown rather than counting as harmless.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SET_PROJECT_POLICY = "resourcemanager.projects.setIamPolicy"
SET_FOLDER_POLICY = "resourcemanager.folders.setIamPolicy"
SET_ORG_POLICY = "resourcemanager.organizations.setIamPolicy"
GET_TOKEN = "iam.serviceAccounts.getAccessToken"  # noqa: S105 (a permission name)
SIGN_JWT = "iam.serviceAccounts.signJwt"
SIGN_BLOB = "iam.serviceAccounts.signBlob"
CREATE_KEY = "iam.serviceAccountKeys.create"
SET_SA_POLICY = "iam.serviceAccounts.setIamPolicy"
UPDATE_ROLE = "iam.roles.update"
ACT_AS = "iam.serviceAccounts.actAs"
RUNS_AS = (
    "compute.instances.create",
    "cloudfunctions.functions.create",
    "run.services.create",
)

ALONE: Mapping[str, str] = {
    SET_PROJECT_POLICY: "can bind any role on the project, owner included",
    SET_FOLDER_POLICY: "can bind any role on the folder, owner of every project below it",
    SET_ORG_POLICY: "can bind any role on the organization, owner of every project in it",
    GET_TOKEN: "can mint access tokens for every service account of the project",
    SIGN_JWT: "can sign JWTs (bearer tokens) as every service account of the project",
    SIGN_BLOB: "can sign as every service account of the project, so forge its JWTs",
    CREATE_KEY: "can create keys for every service account of the project",
    SET_SA_POLICY: "can grant itself Token Creator on every service account of the project",
}
"""Permissions that escalate on their own, with why (see the module docstring)."""

_WHERE_IT_COUNTS: Mapping[str, tuple[str, ...]] = {
    SET_FOLDER_POLICY: ("folders/", "organizations/"),
    SET_ORG_POLICY: ("organizations/",),
}
"""A folder or organization permission means nothing bound on a project."""

PREDEFINED: Mapping[str, frozenset[str]] = {
    "roles/resourcemanager.projectIamAdmin": frozenset({SET_PROJECT_POLICY}),
    "roles/resourcemanager.folderAdmin": frozenset({SET_FOLDER_POLICY, SET_PROJECT_POLICY}),
    "roles/resourcemanager.folderIamAdmin": frozenset({SET_FOLDER_POLICY}),
    "roles/resourcemanager.organizationAdmin": frozenset(
        {SET_ORG_POLICY, SET_FOLDER_POLICY, SET_PROJECT_POLICY}
    ),
    "roles/iam.securityAdmin": frozenset(
        {SET_ORG_POLICY, SET_FOLDER_POLICY, SET_PROJECT_POLICY, SET_SA_POLICY}
    ),
    "roles/iam.serviceAccountTokenCreator": frozenset({GET_TOKEN, SIGN_JWT, SIGN_BLOB}),
    "roles/iam.serviceAccountKeyAdmin": frozenset({CREATE_KEY}),
    "roles/iam.serviceAccountAdmin": frozenset({SET_SA_POLICY}),
    "roles/iam.roleAdmin": frozenset({UPDATE_ROLE}),
    "roles/iam.organizationRoleAdmin": frozenset({UPDATE_ROLE}),
    "roles/iam.serviceAccountUser": frozenset({ACT_AS}),
    "roles/compute.instanceAdmin.v1": frozenset({"compute.instances.create"}),
    "roles/compute.admin": frozenset({"compute.instances.create"}),
}
"""The escalating permissions of predefined roles, from Google's IAM role reference: these
roles are judged without a read, and their permissions stay the floor of any read."""


def is_custom(role: str) -> bool:
    """``projects/P/roles/X`` or ``organizations/N/roles/X`` (predefined: ``roles/X``)."""
    return role.startswith(("projects/", "organizations/")) and "/roles/" in role


@dataclass(frozen=True)
class Held:
    """One role the node holds on one level: its escalating permissions and where from."""

    role: str
    level: str
    """``projects/p``, ``folders/1``, ``organizations/2``."""
    permissions: frozenset[str]
    conditional: str = ""
    """The IAM condition's title, when the binding has one (it still counts)."""


def escalations(held: Iterable[Held], bound_custom: Iterable[str]) -> list[str]:
    """Every path the held permissions complete, as readable grants (empty: none)."""
    grants = list(held)
    found: list[str] = []
    for grant in grants:
        for permission in sorted(grant.permissions & ALONE.keys()):
            prefixes = _WHERE_IT_COUNTS.get(permission)
            if prefixes is None or grant.level.startswith(prefixes):
                found.append(_say(grant, f"{permission}: {ALONE[permission]}"))
    found.extend(_role_edits(grants, tuple(bound_custom)))
    found.extend(_run_as(grants))
    return found


def _role_edits(grants: list[Held], bound: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for grant in (g for g in grants if UPDATE_ROLE in g.permissions):
        editable = [r for r in bound if _can_edit(grant.level, r)]
        if editable:
            why = f"{UPDATE_ROLE}: can add any permission to {', '.join(editable)}, bound to it"
            out.append(_say(grant, why))
    return out


def _can_edit(level: str, role: str) -> bool:
    """Project roles are edited with the permission on the project or above (every level
    here is), organization roles with it on that organization."""
    if role.startswith("projects/"):
        return True
    return role.startswith(f"{level}/roles/")


def _run_as(grants: list[Held]) -> list[str]:
    acts = [g for g in grants if ACT_AS in g.permissions]
    creates = [g for g in grants if g.permissions.intersection(RUNS_AS)]
    if not acts or not creates:
        return []
    create = creates[0]
    verb = sorted(create.permissions.intersection(RUNS_AS))[0]
    why = (
        f"{ACT_AS} with {verb} ({create.role} on {create.level}): can run code as every "
        "service account of the project"
    )
    return [_say(acts[0], why)]


def _say(grant: Held, why: str) -> str:
    inherited = "" if grant.level.startswith("projects/") else " (inherited by the project)"
    when = f" (conditional: {grant.conditional})" if grant.conditional else ""
    return f"{grant.role} on {grant.level}{inherited}{when}: {why}"
