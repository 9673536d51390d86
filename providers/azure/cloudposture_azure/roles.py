"""What an identity's Azure role assignments amount to (pure).

Admin-equivalent means a role that can change anything in its scope or hand out access to it:
Owner, Contributor and User Access Administrator (DESIGN.md IAM-001/IAM-002), a custom role
whose actions include ``*``, or any role that lets its holder make itself Owner:

- its effective actions (``actions`` minus that permission block's ``notActions``) allow
  ``Microsoft.Authorization/roleAssignments/write`` (Role Based Access Control Administrator,
  ``Microsoft.Authorization/*``, ``*/write`` ...): it can assign itself Owner at that scope;
- they allow ``Microsoft.Authorization/roleDefinitions/write`` over every assignable scope of a
  custom role the same principal holds at broad scope: it can add ``*`` to that role.

Azure matches action patterns case-insensitively and a ``*`` stands for any run of characters
(several may appear, e.g. ``Microsoft.CostManagement/*/query/*``), so a pattern is judged by
matching it against the one action that matters, never by spelling. A role assignment's ABAC
``condition`` (the "constrain roles" delegation) is not evaluated: it is treated as not
narrowing, and the grant says so.

It counts as broad when granted at subscription, management-group or root scope; a grant on
one resource group is listed as evidence but does not make the identity admin-equivalent over
the cloud account.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cloudposture_azure.ids import scope_kind

ASSIGN_ROLES = "Microsoft.Authorization/roleAssignments/write"
EDIT_ROLES = "Microsoft.Authorization/roleDefinitions/write"
RBAC_ADMIN = "f58310d9-a9f6-439a-9e8d-f62e7b41a168"

# Built-in role ids are the same in every tenant and every Azure cloud.
ADMIN_ROLES: Mapping[str, str] = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
}
ADMIN_ROLE_NAMES = frozenset(ADMIN_ROLES.values())
BROAD_SCOPES = frozenset({"root", "management-group", "subscription"})


@dataclass(frozen=True)
class Permission:
    """One entry of a definition's ``permissions``: its notActions subtract from its actions
    only (a role with two entries grants the union of the two differences)."""

    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()

    def allows(self, action: str) -> bool:
        return any(_matches(p, action) for p in self.actions) and not any(
            _matches(p, action) for p in self.not_actions
        )


@dataclass(frozen=True)
class RoleDefinition:
    """What a verdict needs from a role definition: its name, whether it grants ``*``
    actions, and enough of the rest to tell whether its holder can make itself Owner."""

    name: str
    wildcard: bool
    permissions: tuple[Permission, ...] = ()
    custom: bool = False
    assignable_scopes: tuple[str, ...] = ()

    def allows(self, action: str) -> bool:
        """Whether the role's effective control-plane actions include ``action``."""
        return any(p.allows(action) for p in self.permissions)


def _builtin(name: str, actions: Sequence[str], not_actions: Sequence[str] = ()) -> RoleDefinition:
    return RoleDefinition(
        name, wildcard="*" in actions, permissions=(Permission(tuple(actions), tuple(not_actions)),)
    )


# What the verdict reads of the built-ins it names, for when their definition is unreadable
# (Contributor keeps only its Microsoft.Authorization notActions: the rest change nothing here).
KNOWN_ROLES: Mapping[str, RoleDefinition] = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": _builtin("Owner", ["*"]),
    "b24988ac-6180-42a0-ab88-20f7382dd24c": _builtin(
        "Contributor",
        ["*"],
        [
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/*/Write",
            "Microsoft.Authorization/elevateAccess/Action",
        ],
    ),
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": _builtin(
        "User Access Administrator", ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"]
    ),
    RBAC_ADMIN: _builtin(
        "Role Based Access Control Administrator",
        [
            ASSIGN_ROLES,
            "Microsoft.Authorization/roleAssignments/delete",
            "*/read",
            "Microsoft.Support/*",
        ],
    ),
}


@dataclass(frozen=True)
class RoleSummary:
    admin_equivalent: bool | None
    wildcard_grants: bool | None
    grants: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    """Role definition ids that could not be read (their grants are unknown)."""


@lru_cache(maxsize=256)
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(map(re.escape, pattern.split("*"))), re.IGNORECASE)


def _matches(pattern: str, action: str) -> bool:
    return _pattern(pattern).fullmatch(action) is not None


def role_guid(role_definition_id: str) -> str:
    """The GUID at the end of a role definition id, lower-cased."""
    return role_definition_id.rstrip("/").rsplit("/", 1)[-1].lower()


def role_definition(body: Mapping[str, Any]) -> RoleDefinition:
    """Reduce an ARM RoleDefinition dict to what :func:`summarize` reads."""
    props = body.get("properties") or {}
    permissions = tuple(
        Permission(tuple(p.get("actions") or ()), tuple(p.get("notActions") or ()))
        for p in props.get("permissions") or []
    )
    return RoleDefinition(
        name=str(props.get("roleName") or ""),
        wildcard=any("*" in p.actions for p in permissions),
        permissions=permissions,
        custom=str(props.get("type") or "").lower() == "customrole",
        assignable_scopes=tuple(str(s) for s in props.get("assignableScopes") or ()),
    )


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


@dataclass(frozen=True)
class _Held:
    guid: str
    scope: str
    kind: str
    definition: RoleDefinition
    conditional: bool


def covers(outer: str, inner: str, subscription: str | None = None) -> bool:
    """Whether a grant at scope ``outer`` applies at scope ``inner``. A management group's
    place in the hierarchy is not in its id; it covers ``inner`` only when ``inner`` lies in
    ``subscription``, the one whose assignment listing returned it (ARM lists the
    assignments at and above a subscription, so that group is one of its ancestors)."""
    out, inn = outer.rstrip("/").lower(), inner.rstrip("/").lower()
    if not out or inn == out or inn.startswith(out + "/"):
        return True
    if scope_kind(outer) == "management-group" and subscription:
        mine = f"/subscriptions/{subscription.lower()}"
        return inn == mine or inn.startswith(mine + "/")
    return False


def _escalation(held: _Held, everything: list[_Held], subscription: str | None) -> str | None:
    """Why ``held`` lets its holder make itself Owner, or None."""
    definition = held.definition
    unchecked = (
        "; its assignment condition is not evaluated (treated as not narrowing)"
        if held.conditional
        else ""
    )
    if definition.allows(ASSIGN_ROLES):
        return f"can assign itself Owner ({ASSIGN_ROLES}{unchecked})"
    if not definition.allows(EDIT_ROLES):
        return None
    for other in everything:
        role = other.definition
        if not (role.custom and role.assignable_scopes and other.kind in BROAD_SCOPES):
            continue
        if all(covers(held.scope, s, subscription) for s in role.assignable_scopes):
            name = role.name or other.guid
            return (
                f"can add '*' to custom role {name} it holds at {other.kind} scope "
                f"{other.scope or '/'} ({EDIT_ROLES}{unchecked})"
            )
    return None


def summarize(
    assignments: Iterable[Mapping[str, Any]],
    definitions: Mapping[str, RoleDefinition | None],
    subscription: str | None = None,
) -> RoleSummary:
    """Summarize one principal's assignments; ``definitions`` maps role GUID -> definition
    (None when it could not be read); ``subscription`` is the one they were listed for."""
    admin = wildcard = False
    unknown_broad = False
    grants: list[str] = []
    unresolved: list[str] = []
    held: list[_Held] = []
    for assignment in assignments:
        props = assignment.get("properties") or {}
        role_id = str(props.get("roleDefinitionId") or "")
        guid = role_guid(role_id)
        scope = str(props.get("scope") or "")
        definition = definitions.get(guid) or KNOWN_ROLES.get(guid)
        if definition is None:
            unresolved.append(role_id)
            unknown_broad = unknown_broad or scope_kind(scope) in BROAD_SCOPES
            continue
        conditional = bool(props.get("condition"))
        held.append(_Held(guid, scope, scope_kind(scope), definition, conditional))
    for one in held:
        definition = one.definition
        is_admin = definition.name in ADMIN_ROLE_NAMES or one.guid in ADMIN_ROLES
        why = None if is_admin or definition.wildcard else _escalation(one, held, subscription)
        if not (is_admin or definition.wildcard or why):
            continue
        grant = f"{definition.name or one.guid} at {one.kind} scope {one.scope or '/'}"
        grants.append(f"{grant}: {why}" if why else grant)
        if one.kind in BROAD_SCOPES:
            admin = True
            wildcard = wildcard or definition.wildcard
    return RoleSummary(
        admin_equivalent=True if admin else (None if unknown_broad else False),
        wildcard_grants=True if wildcard else (None if unknown_broad else False),
        grants=grants,
        unresolved=unresolved,
    )
