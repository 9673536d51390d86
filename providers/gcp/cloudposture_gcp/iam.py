"""What the IAM policies above a cluster say about a node service account and audit logging.

Pure: the JSON of ``getIamPolicy`` (policy version 3) of the project and of each ancestor
(its folders up to the organization) in, facts out. Grants and audit configs are inherited
downwards in Google Cloud, so the effective policy of a project is the union of them all.

- Admin-equivalent: ``roles/owner`` or ``roles/editor`` bound to ``serviceAccount:EMAIL`` on
  the project or on any ancestor, or grants there that let it make itself owner (a role
  whose permissions do: escalation.py). Every role is judged by its permissions: a custom
  role, and a predefined role the table of known escalators (``escalation.PREDEFINED``) does
  not name, by its ``includedPermissions`` read with ``iam.roles.get`` (roles/run.admin with
  roles/iam.serviceAccountUser escalates though neither is admin alone); a role that could
  not be read leaves the answer unknown unless another grant settles it. A table role needs
  no read: its escalating permissions are known (and stay the floor of any definition given).
  A binding with an IAM condition still counts (the condition may well hold; judging CEL is
  out of scope), and the grant text says it was conditional. The grant names the level it
  came from (``projects/p``, ``folders/1``, ``organizations/2``).
- Google Cloud IAM has no wildcard permissions, so ``wildcard_grants`` is False once any
  policy was read.
- Data Access audit logs for GKE: ``auditConfigs`` entries for ``container.googleapis.com``
  or ``allServices``, on any level, that together enable both DATA_READ and DATA_WRITE
  (ADMIN_READ alone, and the always-on Admin Activity logs, do not record reads and writes
  of Kubernetes objects). ``exemptedMembers`` are kept for the evidence.

Three-valued, because an unreadable level must not pass silently: a fact the readable levels
already settle stays settled (an Editor grant found anywhere is admin-equivalent; audit logs
enabled anywhere are enabled, since a lower level cannot switch them off), and one they do
not settle is unknown (None) when any level could not be read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cloudposture_gcp.enums import AUDIT_LOG_TYPE, enum_name
from cloudposture_gcp.escalation import PREDEFINED, Held, escalations, is_custom

ADMIN_ROLES: Mapping[str, str] = {
    "roles/owner": "full control of every resource in the project, IAM included",
    "roles/editor": "create, change and delete almost every resource in the project",
}
GKE_SERVICE = "container.googleapis.com"
_AUDITED_SERVICES = (GKE_SERVICE, "allServices")
_DATA_ACCESS = frozenset({"DATA_READ", "DATA_WRITE"})


@dataclass(frozen=True)
class PolicyLevel:
    """One level of the resource hierarchy and its IAM policy (None: could not be read)."""

    resource: str
    """``projects/<id>``, ``folders/<n>``, ``organizations/<n>``, or a description such as
    ``ancestors of folders/<n>`` when the walk up the hierarchy itself failed."""
    policy: Mapping[str, Any] | None

    @property
    def inherited(self) -> bool:
        return not self.resource.startswith("projects/")


def project_level(project: str, policy: Mapping[str, Any] | None) -> tuple[PolicyLevel, ...]:
    """A hierarchy of one: the project's own policy (when ancestors are not in play)."""
    return (PolicyLevel(f"projects/{project}", policy),)


def unread(levels: Sequence[PolicyLevel]) -> list[str]:
    """The levels whose policy could not be read (none read at all counts as unread)."""
    missing = [level.resource for level in levels if level.policy is None]
    return missing if levels else ["the IAM policy hierarchy"]


def describe_levels(levels: Sequence[PolicyLevel]) -> str:
    return ", ".join(
        level.resource + ("" if level.policy is not None else " (unreadable)") for level in levels
    )


@dataclass(frozen=True)
class MemberGrants:
    roles: tuple[str, ...]
    admin_grants: tuple[str, ...]
    """Human-readable admin-equivalent grants, e.g. 'roles/editor on organizations/1 ...'."""
    unread: tuple[str, ...] = ()
    """Levels and custom roles that could not be read: without a grant found, unknown."""

    @property
    def admin_equivalent(self) -> bool | None:
        if self.admin_grants:
            return True
        return None if self.unread else False


def grants_for(
    levels: Sequence[PolicyLevel],
    email: str,
    read: Mapping[str, Mapping[str, Any] | None] | None = None,
) -> MemberGrants:
    """The roles bound to the service account ``email`` on the project and its ancestors.

    ``read`` holds the roles read (``iam.roles.get`` JSON; None: could not be read), custom and
    predefined: every role :func:`needs_read` names must be in it to be judged.
    """
    member = f"serviceaccount:{email.lower()}"
    roles: list[str] = []
    admin: list[str] = []
    held: list[Held] = []
    missing = unread(levels)
    for level in levels:
        for binding in (level.policy or {}).get("bindings") or []:
            members = {str(m).lower() for m in binding.get("members") or []}
            if member not in members:
                continue
            role = str(binding.get("role", ""))
            condition = binding.get("condition") or {}
            roles.append(role)
            if role in ADMIN_ROLES:
                admin.append(_admin_grant(role, level, condition))
                continue
            definition = (read or {}).get(role)
            if needs_read(role) and definition is None:
                missing.append(f"{'custom' if is_custom(role) else 'predefined'} role {role}")
                continue
            when = str(condition.get("title") or "IAM condition") if condition else ""
            held.append(Held(role, level.resource, _permissions(role, definition), when))
    bound = [r for r in dict.fromkeys(roles) if is_custom(r) and _live((read or {}).get(r))]
    admin.extend(escalations(held, bound))
    return MemberGrants(tuple(roles), tuple(admin), tuple(missing))


def needs_read(role: str) -> bool:
    """Whether ``role`` is judged by its read definition: every custom role, and every
    predefined one that neither is admin as it stands nor is in the table of escalators."""
    if not role:
        return False  # a malformed binding names no role to read
    return is_custom(role) or (role not in ADMIN_ROLES and role not in PREDEFINED)


def roles_to_read(levels: Sequence[PolicyLevel], emails: Sequence[str]) -> list[str]:
    """The roles bound to any of ``emails`` on these levels that :func:`needs_read`."""
    members = {f"serviceaccount:{e.lower()}" for e in emails}
    found: dict[str, None] = {}
    for level in levels:
        for binding in (level.policy or {}).get("bindings") or []:
            role = str(binding.get("role", ""))
            if needs_read(role) and members & {
                str(m).lower() for m in binding.get("members") or []
            }:
                found[role] = None
    return list(found)


def _permissions(role: str, definition: Mapping[str, Any] | None) -> frozenset[str]:
    """The role's permissions as read, over the table's escalating ones as a floor.

    A role in the DISABLED stage grants nothing (its bindings are inactive), nor does a
    deleted one; a disabled custom role can still be edited back to life (escalation:
    roles.update). The floor stays: a known escalator is judged one whatever its read says.
    """
    floor = PREDEFINED.get(role, frozenset())
    if definition is None:
        return floor
    if not _live(definition) or str(definition.get("stage") or "") == "DISABLED":
        return floor
    return floor | frozenset(str(p) for p in definition.get("includedPermissions") or [])


def _live(definition: Mapping[str, Any] | None) -> bool:
    return definition is not None and not definition.get("deleted")


def _admin_grant(role: str, level: PolicyLevel, condition: Mapping[str, Any]) -> str:
    inherited = " (inherited by the project)" if level.inherited else ""
    when = f" (conditional: {condition.get('title') or 'IAM condition'})" if condition else ""
    return f"{role} on {level.resource}{inherited}{when}: {ADMIN_ROLES[role]}"


@dataclass(frozen=True)
class DataAccessAudit:
    enabled: bool | None
    log_types: tuple[str, ...]
    services: tuple[str, ...]
    """Where the configs are: 'container.googleapis.com on projects/p', ..."""
    exempted: tuple[str, ...] = ()
    """'user:x (DATA_WRITE on folders/1)': principals whose access is not logged."""
    unread: tuple[str, ...] = ()

    def describe(self) -> str:
        if not self.services:
            found = "no Data Access audit config for container.googleapis.com or allServices"
        else:
            kinds = ", ".join(self.log_types) or "no log types"
            found = f"Data Access audit logs {kinds} via {'; '.join(self.services)}"
        if self.exempted:
            found += f"; exempted from logging: {', '.join(self.exempted)}"
        if self.unread and not self.enabled:
            found += f"; not readable: {', '.join(self.unread)}"
        return found


def data_access_audit(levels: Sequence[PolicyLevel]) -> DataAccessAudit:
    """Whether Data Access audit logs (DATA_READ and DATA_WRITE) cover GKE, on any level."""
    types: set[str] = set()
    services: list[str] = []
    exempted: list[str] = []
    for level in levels:
        for config in _audit_configs(level.policy or {}):
            services.append(f"{config.get('service')} on {level.resource}")
            for log in config.get("auditLogConfigs") or []:
                kind = enum_name(log.get("logType"), AUDIT_LOG_TYPE)
                types.add(kind)
                exempted.extend(
                    f"{m} ({kind} on {level.resource})" for m in log.get("exemptedMembers") or []
                )
    missing = tuple(unread(levels))
    enabled: bool | None = _DATA_ACCESS.issubset(types)
    if not enabled and missing:
        enabled = None
    return DataAccessAudit(
        enabled=enabled,
        log_types=tuple(sorted(types)),
        services=tuple(services),
        exempted=tuple(exempted),
        unread=missing,
    )


def _audit_configs(policy: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    return [c for c in policy.get("auditConfigs") or [] if c.get("service") in _AUDITED_SERVICES]
