"""What an identity's Azure role assignments amount to (pure).

Admin-equivalent means a role that can change anything in its scope or hand out access to it:
Owner, Contributor and User Access Administrator (DESIGN.md IAM-001/IAM-002), or a custom role
whose actions include ``*``. It counts as broad when granted at subscription, management-group
or root scope; a grant on one resource group is listed as evidence but does not make the
identity admin-equivalent over the cloud account.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cloudposture_azure.ids import scope_kind

# Built-in role ids are the same in every tenant and every Azure cloud.
ADMIN_ROLES: Mapping[str, str] = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
}
ADMIN_ROLE_NAMES = frozenset(ADMIN_ROLES.values())
_UAA = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"  # grants access, not actions: no wildcard
BROAD_SCOPES = frozenset({"root", "management-group", "subscription"})


@dataclass(frozen=True)
class RoleDefinition:
    """The two things a verdict needs from a role definition."""

    name: str
    wildcard: bool


@dataclass(frozen=True)
class RoleSummary:
    admin_equivalent: bool | None
    wildcard_grants: bool | None
    grants: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    """Role definition ids that could not be read (their grants are unknown)."""


def role_guid(role_definition_id: str) -> str:
    """The GUID at the end of a role definition id, lower-cased."""
    return role_definition_id.rstrip("/").rsplit("/", 1)[-1].lower()


def role_definition(body: Mapping[str, Any]) -> RoleDefinition:
    """Reduce an ARM RoleDefinition dict to its name and whether it grants ``*`` actions."""
    props = body.get("properties") or {}
    actions = [a for p in props.get("permissions") or [] for a in p.get("actions") or []]
    return RoleDefinition(name=str(props.get("roleName") or ""), wildcard="*" in actions)


def principal_assignments(
    assignments: Iterable[Mapping[str, Any]], principal_id: str
) -> list[Mapping[str, Any]]:
    """The assignments made to ``principal_id`` (ARM filters by principal, but say so here too)."""
    want = principal_id.lower()
    return [
        a
        for a in assignments
        if str((a.get("properties") or {}).get("principalId", "")).lower() == want
    ]


def summarize(
    assignments: Iterable[Mapping[str, Any]],
    definitions: Mapping[str, RoleDefinition | None],
) -> RoleSummary:
    """Summarize one principal's assignments; ``definitions`` maps role GUID -> definition
    (None when it could not be read)."""
    admin = wildcard = False
    unknown_broad = False
    grants: list[str] = []
    unresolved: list[str] = []
    for assignment in assignments:
        props = assignment.get("properties") or {}
        role_id = str(props.get("roleDefinitionId") or "")
        guid = role_guid(role_id)
        scope = str(props.get("scope") or "")
        kind = scope_kind(scope)
        definition = definitions.get(guid)
        if definition is None and guid in ADMIN_ROLES:
            definition = RoleDefinition(ADMIN_ROLES[guid], wildcard=guid != _UAA)
        if definition is None:
            unresolved.append(role_id)
            unknown_broad = unknown_broad or kind in BROAD_SCOPES
            continue
        is_admin = definition.name in ADMIN_ROLE_NAMES or guid in ADMIN_ROLES
        if not (is_admin or definition.wildcard):
            continue
        grants.append(f"{definition.name or guid} at {kind} scope {scope or '/'}")
        if kind in BROAD_SCOPES:
            admin = True
            wildcard = wildcard or definition.wildcard
    return RoleSummary(
        admin_equivalent=True if admin else (None if unknown_broad else False),
        wildcard_grants=True if wildcard else (None if unknown_broad else False),
        grants=grants,
        unresolved=unresolved,
    )
