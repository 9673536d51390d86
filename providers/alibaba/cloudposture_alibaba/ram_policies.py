"""RAM policies attached to a role -> is the role admin-equivalent? (pure)

Admin-equivalent means the role can do anything, or can grant itself anything:
- the system policy ``AdministratorAccess`` (``"Action": "*"`` on ``"*"``) or
  ``AliyunRAMFullAccess`` (``ram:*``: attach AdministratorAccess to itself);
- a custom policy with an ``Allow`` statement whose ``Action`` is ``*`` (or ``NotAction``, which
  allows everything else) on ``Resource`` ``*``, or whose ``Action`` includes ``ram:*``.
``Deny`` statements are not subtracted: a broad Allow narrowed by Denies is still reported,
with the grant named, for a human to judge.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ADMIN_SYSTEM_POLICIES: Mapping[str, str] = {
    "AdministratorAccess": "system policy AdministratorAccess (every action on every resource)",
    "AliyunRAMFullAccess": "system policy AliyunRAMFullAccess (ram:*: can grant itself anything)",
}


@dataclass(frozen=True)
class AttachedPolicy:
    name: str
    type: str
    """System or Custom."""
    default_version: str


@dataclass(frozen=True)
class RoleSummary:
    admin_equivalent: bool
    wildcard: bool
    grants: list[str] = field(default_factory=list)


def attached(body: Mapping[str, Any]) -> list[AttachedPolicy]:
    """ListPoliciesForRole's ``Policies.Policy`` entries."""
    return [
        AttachedPolicy(
            name=str(p.get("PolicyName") or ""),
            type=str(p.get("PolicyType") or ""),
            default_version=str(p.get("DefaultVersion") or ""),
        )
        for p in (body.get("Policies") or {}).get("Policy") or []
    ]


def summarize(policies: Sequence[AttachedPolicy], documents: Mapping[str, str]) -> RoleSummary:
    """``documents``: custom policy name -> its default version's PolicyDocument (a JSON
    string, as GetPolicyVersion returns it). Raises ValueError for a document that is not
    JSON: an unreadable policy must not pass as a harmless one."""
    grants: list[str] = []
    wildcard = False
    for policy in policies:
        if policy.type == "System":
            if policy.name in ADMIN_SYSTEM_POLICIES:
                grants.append(ADMIN_SYSTEM_POLICIES[policy.name])
                wildcard = wildcard or policy.name == "AdministratorAccess"
            continue
        document = documents.get(policy.name)
        if document is None:
            raise ValueError(f"the document of custom policy {policy.name} was not read")
        found, star = _broad_statements(policy.name, document)
        grants.extend(found)
        wildcard = wildcard or star
    return RoleSummary(admin_equivalent=bool(grants), wildcard=wildcard, grants=grants)


def _broad_statements(name: str, document: str) -> tuple[list[str], bool]:
    try:
        parsed = json.loads(document)
    except json.JSONDecodeError as exc:
        raise ValueError(f"custom policy {name} is not JSON: {exc.msg}") from None
    statements = parsed.get("Statement") if isinstance(parsed, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    grants: list[str] = []
    wildcard = False
    for st in statements or []:
        if not isinstance(st, dict) or str(st.get("Effect", "")).lower() != "allow":
            continue
        actions = _list(st.get("Action"))
        every_resource = "*" in _list(st.get("Resource")) or "NotResource" in st
        if every_resource and ("*" in actions or "NotAction" in st):
            grants.append(f"custom policy {name}: Allow Action * on Resource *")
            wildcard = True
        elif any(a.lower() in ("ram:*", "ram:attach*", "ram:attachpolicytorole") for a in actions):
            grants.append(
                f"custom policy {name}: Allow {', '.join(actions)} (can grant itself "
                "any permission)"
            )
    return grants, wildcard


def _list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]
