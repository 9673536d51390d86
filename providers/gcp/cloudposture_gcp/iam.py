"""What a project IAM policy says about a node service account and about audit logging.

Pure: the JSON of ``projects.getIamPolicy`` (policy version 3) in, facts out.

- Admin-equivalent: ``roles/owner`` or ``roles/editor`` bound to ``serviceAccount:EMAIL`` in
  the project. A binding with an IAM condition still counts (the condition may well hold;
  judging CEL is out of scope), and the grant text says it was conditional.
- Google Cloud IAM has no wildcard permissions, so ``wildcard_grants`` is False once the
  policy was read.
- Data Access audit logs for GKE: an ``auditConfigs`` entry for ``container.googleapis.com``
  or ``allServices`` with both DATA_READ and DATA_WRITE (ADMIN_READ alone, and the always-on
  Admin Activity logs, do not record reads and writes of Kubernetes objects).

Only the project's own policy is read: grants and audit configs inherited from folders or
the organization are not seen (docs/providers/gcp.md, "Limits").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cloudposture_gcp.enums import AUDIT_LOG_TYPE, enum_name

ADMIN_ROLES: Mapping[str, str] = {
    "roles/owner": "full control of every resource in the project, IAM included",
    "roles/editor": "create, change and delete almost every resource in the project",
}
GKE_SERVICE = "container.googleapis.com"
_AUDITED_SERVICES = (GKE_SERVICE, "allServices")
_DATA_ACCESS = frozenset({"DATA_READ", "DATA_WRITE"})


@dataclass(frozen=True)
class MemberGrants:
    roles: tuple[str, ...]
    admin_grants: tuple[str, ...]
    """Human-readable admin-equivalent grants, e.g. 'roles/editor on projects/p'."""

    @property
    def admin_equivalent(self) -> bool:
        return bool(self.admin_grants)


def grants_for(policy: Mapping[str, Any], email: str, project: str) -> MemberGrants:
    """The project roles bound to the service account ``email``."""
    member = f"serviceaccount:{email.lower()}"
    roles: list[str] = []
    admin: list[str] = []
    for binding in policy.get("bindings") or []:
        members = {str(m).lower() for m in binding.get("members") or []}
        if member not in members:
            continue
        role = str(binding.get("role", ""))
        roles.append(role)
        if role in ADMIN_ROLES:
            condition = binding.get("condition") or {}
            when = (
                f" (conditional: {condition.get('title') or 'IAM condition'})" if condition else ""
            )
            admin.append(f"{role} on projects/{project}{when}: {ADMIN_ROLES[role]}")
    return MemberGrants(tuple(roles), tuple(admin))


@dataclass(frozen=True)
class DataAccessAudit:
    enabled: bool
    log_types: tuple[str, ...]
    services: tuple[str, ...]

    def describe(self) -> str:
        if not self.services:
            return "no Data Access audit config for container.googleapis.com or allServices"
        kinds = ", ".join(self.log_types) or "no log types"
        return f"Data Access audit logs {kinds} via {', '.join(self.services)}"


def data_access_audit(policy: Mapping[str, Any]) -> DataAccessAudit:
    """Whether Data Access audit logs (DATA_READ and DATA_WRITE) cover GKE in this project."""
    types: set[str] = set()
    services: list[str] = []
    for config in _audit_configs(policy):
        services.append(str(config.get("service")))
        for log in config.get("auditLogConfigs") or []:
            types.add(enum_name(log.get("logType"), AUDIT_LOG_TYPE))
    return DataAccessAudit(
        enabled=_DATA_ACCESS.issubset(types),
        log_types=tuple(sorted(types)),
        services=tuple(services),
    )


def _audit_configs(policy: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    return [c for c in policy.get("auditConfigs") or [] if c.get("service") in _AUDITED_SERVICES]
