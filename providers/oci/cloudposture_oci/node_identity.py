"""The nodes' instance principal: which dynamic groups hold them and what policies grant (pure).

An OKE node calls OCI as its instance principal. It has no permissions of its own: it gets
those granted, by policy statements, to the dynamic groups whose matching rule includes the
instance (or to ``any-user``). This module evaluates every dynamic group's rule against the
pool's node instances, collects the ``Allow`` statements naming a matching group, and
summarizes them as the neutral :class:`Identity`:

- admin-equivalent: grants that let the node make itself admin, by the table of
  :mod:`cloudposture_oci.escalation` (``manage all-resources`` or ``manage policies`` in the
  tenancy or a compartment that contains the nodes; ``use dynamic-groups``, ``manage users``,
  ``use users`` with ``use groups``, ``manage domains`` or their permissions in the tenancy),
  counting only the grants whose ``where`` clause does not narrow them;
- wildcard: ``manage all-resources`` anywhere, conditions or not.

A ``where`` clause is judged by :mod:`cloudposture_oci.grant_conditions`: a condition can
only narrow a grant, and the scan cannot know the requests a stolen node credential would
make, so ``manage all-resources in tenancy where request.region = 'iad'`` is still admin
(in that region). Only a condition that limits the grant to reads, or to non-IAM resources,
takes the admin away (the grant then adds nothing to an escalation path); one that excludes
instance principals (``request.principal.type = 'workload'``) means the statement does not
reach the nodes at all. A grant with a condition that would take part in an escalation
without it is listed with the judgement (``... in tenancy (where request.region = 'iad':
still admin in that region)``); a condition not understood counts as not narrowing, and
says so. An escalating grant other than ``manage all-resources`` says how it escalates
(``... to use dynamic-groups in tenancy (admin-equivalent: DYNAMIC_GROUP_UPDATE in the
tenancy: can rewrite any dynamic group's matching rule ...)``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cloudposture.model import Identity
from cloudposture_oci.compartments import CompartmentTree
from cloudposture_oci.escalation import ALL_RESOURCES, Path, Reach, completed, holdings
from cloudposture_oci.grant_conditions import Judgement, described, judge
from cloudposture_oci.matching_rules import InstanceFacts, matches, parse_rule
from cloudposture_oci.policy_grammar import Statement, Subject, parse_statement
from cloudposture_oci.tokens import SyntaxProblem

JSON = Mapping[str, Any]
SOURCE = (
    "identity:ListDynamicGroups matchingRule (evaluated on compute:GetInstance id, "
    "compartmentId, definedTags) + identity:ListPolicies statements"
)


@dataclass(frozen=True)
class IamView:
    """The tenancy's IAM as read once per scan; None fields were not readable."""

    tree: CompartmentTree
    dynamic_groups: Sequence[JSON] | None
    policies: Sequence[JSON] | None


def node_identity(pool_name: str, instances: Sequence[InstanceFacts], iam: IamView) -> Identity:
    """The identity of a pool's nodes (``instances`` is never empty: an empty pool is judged
    by what its future nodes will carry)."""
    ident = f"instance-principal:{pool_name}"
    sources = {name: SOURCE for name in ("admin_equivalent", "wildcard_grants", "grants")}
    if iam.dynamic_groups is None or iam.policies is None:
        return Identity(id=ident, role="node", is_default=False, sources=sources)
    groups, unknown_groups, problems = _matching_groups(iam.dynamic_groups, instances)
    statements, bad_statements = _statements(iam.policies)
    granted = [
        (policy, s) for policy, s in statements if any(_names(subj, groups) for subj in s.subjects)
    ]
    maybe = [
        (policy, s)
        for policy, s in statements
        if (policy, s) not in granted and any(_names(subj, unknown_groups) for subj in s.subjects)
    ]
    compartments = {i.compartment_id for i in instances}
    reaches = [_reach(s, p, compartments, iam.tree) for p, s in granted]
    broad = _broad(reaches)
    admin = completed(broad)
    wildcard = [s for _, s in granted if s.verb == "manage" and s.resource_type == "all-resources"]
    grants = [_grant_text(r, admin, completed(reaches)) for r in reaches]
    names = sorted(str(g.get("name")) for g in groups)
    if names:
        ident = f"{ident} (dynamic groups: {', '.join(names)})"
    admin_value: bool | None = bool(admin)
    unknown: dict[str, str] = {}
    undecided = [_reach(s, p, compartments, iam.tree) for p, s in maybe]
    if not admin and completed(broad + _broad(undecided)):
        admin_value = None  # a group we could not evaluate would make it admin
        unknown["admin_equivalent"] = _undecided(unknown_groups)
    if not admin and (problems or bad_statements):
        grants += [f"[not understood] {text}" for text in (*problems, *bad_statements)]
    return Identity(
        id=ident,
        role="node",
        is_default=False,
        admin_equivalent=admin_value,
        wildcard_grants=bool(wildcard),
        grants=grants,
        sources=sources,
        unknown_reasons=unknown,
    )


def _undecided(groups: Sequence[JSON]) -> str:
    """Why admin-equivalence is unknown although every read succeeded."""
    names = ", ".join(sorted(str(g.get("name")) for g in groups))
    return (
        f"dynamic group(s) {names} hold grants that would make the nodes admin-equivalent, "
        "and whether the nodes belong to them could not be decided (a matching rule not "
        "understood, or a node fact not read)"
    )


def _matching_groups(
    groups: Sequence[JSON], instances: Sequence[InstanceFacts]
) -> tuple[list[JSON], list[JSON], list[str]]:
    """(groups holding some node, groups whose answer is unknown, rules not understood)."""
    found: list[JSON] = []
    unknown: list[JSON] = []
    problems: list[str] = []
    for group in groups:
        if str(group.get("lifecycleState") or "ACTIVE") != "ACTIVE":
            continue
        text = str(group.get("matchingRule") or "")
        try:
            rule = parse_rule(text)
        except SyntaxProblem:
            problems.append(f"dynamic group {group.get('name')}: {text}")
            unknown.append(group)
            continue
        results = [matches(rule, instance) for instance in instances]
        if any(r is True for r in results):
            found.append(group)
        elif any(r is None for r in results):
            unknown.append(group)
    return found, unknown, problems


def _statements(policies: Sequence[JSON]) -> tuple[list[tuple[str, Statement]], list[str]]:
    """(attached compartment id, statement) for every Allow, and the unparsable texts."""
    out: list[tuple[str, Statement]] = []
    bad: list[str] = []
    for policy in policies:
        if str(policy.get("lifecycleState") or "ACTIVE") != "ACTIVE":
            continue
        for text in policy.get("statements") or []:
            try:
                statement = parse_statement(str(text))
            except SyntaxProblem:
                bad.append(str(text))
                continue
            if statement.kind == "allow" and _condition(statement).scope != "excluded":
                out.append((str(policy.get("compartmentId") or ""), statement))
    return out, bad


_UNCONDITIONAL = Judgement("broad", "")


def _condition(statement: Statement) -> Judgement:
    """What the ``where`` clause leaves of the grant; a condition such as
    ``request.principal.type = 'workload'`` (OKE workload identity) is ``excluded``: the
    grant never reaches an instance principal, even for ``any-user``."""
    return judge(statement.where) if statement.where else _UNCONDITIONAL


def _names(subject: Subject, groups: Sequence[JSON]) -> bool:
    """Does the statement's subject include one of ``groups`` (or every principal)?"""
    if subject.kind == "any-user":
        return True  # every principal, instance principals included
    if subject.kind != "dynamic-group":
        return False
    for group in groups:
        if subject.ocid and subject.ocid.lower() == str(group.get("id", "")).lower():
            return True
        if subject.name and subject.name.lower() == str(group.get("name", "")).lower():
            return subject.domain is None or subject.domain.lower() == "default"
    return False


def _broad(reaches: list[Reach]) -> list[Reach]:
    """The grants whose condition (if any) leaves them whole."""
    return [r for r in reaches if _condition(r.statement).scope == "broad"]


def _reach(
    statement: Statement, attached_to: str, compartments: set[str | None], tree: CompartmentTree
) -> Reach:
    """What the statement holds of the escalation table, and where its location reaches."""
    target = None if statement.location is None else tree.resolve(statement.location, attached_to)
    tenancy = target == tree.tenancy_id
    nodes = tenancy or (
        target is not None and any(c is not None and tree.contains(target, c) for c in compartments)
    )
    return Reach(statement, holdings(statement), tenancy=tenancy, nodes=nodes)


def _grant_text(
    reach: Reach,
    admin: list[tuple[Path, list[Reach]]],
    sized: list[tuple[Path, list[Reach]]],
) -> str:
    """The statement; with the judgement of its condition when, unconditioned, it would take
    part in an escalation (``sized``); with how it escalates when it does (``admin``)."""
    statement = reach.statement
    text = statement.text
    if statement.where and any(reach in members for _, members in sized):
        text = described(text, statement.where, _condition(statement))
    whys = [path.why for path, members in admin if reach in members]
    if whys and ALL_RESOURCES not in reach.holds:
        text = f"{text} (admin-equivalent: {whys[0]})"
    return text
