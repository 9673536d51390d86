"""What a policy statement's ``where`` clause does to its grant, seen from a node (pure).

A condition can only narrow a grant, and the scanner cannot evaluate it against the request
a stolen node credential would make (its region, its time, its target). So a condition
counts only when its text alone shows that the grant never reaches an instance principal,
or that it allows no more than a grant which is not admin-equivalent without a condition.
One clause is judged by this table, first row that fits:

1. excluded: ``request.principal.type`` ``=`` / ``in`` values without ``'instance'``, or
   ``!= 'instance'``: the grant is for other principals (OKE workload identity, ...).
2. narrowed: ``request.permission`` ``=`` / ``in`` literal ``*_READ`` / ``*_INSPECT``
   permissions only, or ``request.operation`` literal ``Get*`` / ``List*`` / ``Head*``
   operations only: no more than ``read``, which writes no grant.
3. narrowed: ``target.resource.kind`` (or ``.type``) ``=`` / ``in`` literal kinds, none an
   IAM kind (policy, group, user, dynamic group, domain, compartment, tenancy, tag, ...):
   nothing that writes a grant or changes who holds one.
4. narrowed: any ``target.bucket.*`` / ``target.object.*`` test: OCI declines a request that
   a variable does not apply to, so only Object Storage requests pass.
5. broad, everything else: region or availability domain, time, ``target.compartment.*``,
   tags, network source, the caller (``request.principal.*``, ``request.user.*``: the node
   may be that caller), the IAM target (``target.user.*``, ``target.group.*``,
   ``target.dynamicgroup.*``, ``target.policy.*``: whether it is an admin's is not checked),
   a write permission or operation, a ``/pattern/``, a ``!=`` on permission, operation or
   kind. The grant stays admin there, then, over those.

``ALL {...}`` is excluded if one clause is, else narrowed if one clause is (every clause
must hold). ``ANY {...}`` ignores the clauses that exclude the node, and is narrowed only if
every other clause is (one broad clause lets the request through). A condition the grammar
does not parse is broad, and its judgement says it was not understood: never a guessed PASS.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cloudposture_oci.policy_grammar import Clause, Condition, parse_condition
from cloudposture_oci.tokens import SyntaxProblem

Scope = Literal["excluded", "narrowed", "broad"]
_READ_PERMISSION = ("_READ", "_INSPECT")
_READ_OPERATION = ("get", "list", "head")
_IAM_KIND_WORDS = (
    "polic",
    "group",
    "user",
    "domain",
    "compartment",
    "tenan",
    "identity",
    "credential",
    "tag",
    "networksource",
    "authentication",
)
_OBJECT_STORAGE = ("target.bucket.", "target.object.")
_WHERE = (
    (("request.region",), "still admin in that region"),
    (("request.ad",), "still admin in that availability domain"),
    (("request.utc-timestamp",), "still admin in that time window"),
    (("target.compartment.", "target.tenant"), "still admin in that compartment"),
    ((".tag.",), "still admin over the resources carrying that tag"),
    (("request.networksource",), "still admin from that network"),
    (
        ("request.principal.", "request.instance.", "request.user.", "request.groups."),
        "names a caller, which the nodes' instance principal may be",
    ),
    (
        ("target.user.", "target.group.", "target.dynamicgroup.", "target.policy."),
        "still admin through that user, group, dynamic group or policy (whether it is an "
        "admin's is not checked)",
    ),
    (
        ("request.permission", "request.operation", "target.resource."),
        "allows more than reads of non-IAM resources",
    ),
)


@dataclass(frozen=True)
class Judgement:
    scope: Scope
    reason: str


NOT_UNDERSTOOD = Judgement("broad", "condition not understood, so not taken as narrowing it")


def judge(where: str) -> Judgement:
    """The judgement of a ``where`` clause's text (see the module's table)."""
    try:
        condition = parse_condition(where)
    except SyntaxProblem:
        return NOT_UNDERSTOOD
    return _judge(condition)


def described(text: str, where: str, judgement: Judgement) -> str:
    """``Allow ... in tenancy (where <condition>: <judgement>)``, for the grants list."""
    head = text.rstrip()
    if head.endswith(where):
        head = head[: -len(where)].rstrip()
        if head.lower().endswith("where"):
            head = head[:-5].rstrip()
    return f"{head} (where {where}: {judgement.reason})"


def _judge(condition: Condition) -> Judgement:
    if isinstance(condition, Clause):
        return _clause(condition)
    parts = [_judge(part) for part in condition.parts]
    if condition.mode == "all":
        for scope in ("excluded", "narrowed"):
            decisive = [p for p in parts if p.scope == scope]
            if decisive:
                return Judgement(decisive[0].scope, decisive[0].reason)
        return Judgement("broad", _joined(parts))
    live = [p for p in parts if p.scope != "excluded"]
    if not live:
        return Judgement("excluded", _joined(parts))
    broad = [p for p in live if p.scope == "broad"]
    if broad:
        return Judgement("broad", _joined(broad))
    return Judgement("narrowed", _joined(live))


def _joined(parts: list[Judgement]) -> str:
    return "; ".join(dict.fromkeys(p.reason for p in parts))


def _clause(clause: Clause) -> Judgement:
    variable, values = clause.variable, clause.values
    listed = clause.op in ("=", "in") and not clause.pattern
    if variable == "request.principal.type" and _excludes_instances(clause):
        return Judgement("excluded", f"only for {', '.join(values)} principals")
    if variable == "request.permission" and listed and all(_read_permission(v) for v in values):
        return Judgement("narrowed", f"only the read permission(s) {', '.join(values)}")
    if variable == "request.operation" and listed and all(_read_operation(v) for v in values):
        return Judgement("narrowed", f"only the read operation(s) {', '.join(values)}")
    kinds = variable in ("target.resource.kind", "target.resource.type")
    if kinds and listed and not any(_iam_kind(v) for v in values):
        return Judgement("narrowed", f"only {', '.join(values)} resources, none of IAM")
    if variable.startswith(_OBJECT_STORAGE):
        return Judgement("narrowed", "only Object Storage requests (buckets and objects)")
    for prefixes, reason in _WHERE:
        if any(p in variable for p in prefixes):
            return Judgement("broad", reason)
    return Judgement("broad", f"{variable} does not limit what the grant allows")


def _excludes_instances(clause: Clause) -> bool:
    types = {v.lower() for v in clause.values}
    if clause.pattern:
        return False
    if clause.op == "!=":
        return "instance" in types
    return clause.op in ("=", "in") and "instance" not in types


def _read_permission(value: str) -> bool:
    return value.upper().endswith(_READ_PERMISSION)


def _read_operation(value: str) -> bool:
    return value.lower().startswith(_READ_OPERATION)


def _iam_kind(value: str) -> bool:
    flat = value.lower().replace("-", "").replace("_", "")
    return any(word in flat for word in _IAM_KIND_WORDS)
