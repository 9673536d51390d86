"""Dynamic-group matching rules, parsed and evaluated against a node instance (pure).

    rule      := condition | (ANY | ALL) '{' rule (',' rule)* '}'
    condition := variable ('=' | '!=') 'value' | tag.<namespace>.<key>.value

Variables: ``instance.id``, ``instance.compartment.id``, ``resource.id``,
``resource.compartment.id``, ``resource.type`` and ``tag.<namespace>.<key>.value`` (a
defined tag; without ``= 'value'`` any value matches). OCIDs compare case-insensitively.
Evaluation is three-valued: a fact the scan could not read (an instance whose tags are
unknown) leaves the match unknown rather than false, so IAM-001 reports ERROR instead of
passing an identity it could not see.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from cloudposture_oci.tokens import Cursor, SyntaxProblem, parse_whole


@dataclass(frozen=True)
class Condition:
    variable: str
    op: Literal["=", "!=", "exists"]
    value: str | None = None


@dataclass(frozen=True)
class Group:
    mode: Literal["any", "all"]
    rules: tuple[Rule, ...]


Rule = Condition | Group


@dataclass(frozen=True)
class InstanceFacts:
    """What a matching rule may ask about one node instance; None = not read."""

    id: str | None
    compartment_id: str | None
    defined_tags: Mapping[str, Mapping[str, object]] | None = field(default=None)


def parse_rule(text: str) -> Rule:
    return parse_whole(text, _rule, "matching rule")


def _rule(cursor: Cursor) -> Rule:
    combined = cursor.combination(lambda: _rule(cursor))
    if combined is not None:
        return Group(mode=combined[0], rules=tuple(combined[1]))
    name = cursor.variable()
    for op in ("!=", "="):
        if cursor.take_punct(op):
            value = cursor.next("a value")
            if value.kind == "punct":
                raise SyntaxProblem(f"expected a value after {op!r} in {cursor.text!r}")
            return Condition(variable=name, op=op, value=value.text)
    if name.startswith("tag.") and name.endswith(".value"):
        return Condition(variable=name, op="exists")
    raise SyntaxProblem(f"expected '=' or '!=' after {name!r} in {cursor.text!r}")


def matches(rule: Rule, instance: InstanceFacts) -> bool | None:
    """Whether the instance belongs to a dynamic group with this rule; None when unknown."""
    if isinstance(rule, Group):
        results = [matches(r, instance) for r in rule.rules]
        return _any(results) if rule.mode == "any" else _all(results)
    actual = _value(rule.variable, instance)
    if actual is _UNKNOWN:
        return None
    if rule.op == "exists":
        return actual is not None
    equal = actual is not None and _same(rule.variable, str(actual), rule.value or "")
    return equal if rule.op == "=" else not equal


_UNKNOWN = object()


def _value(variable: str, instance: InstanceFacts) -> object:
    if variable in ("instance.id", "resource.id"):
        return _UNKNOWN if instance.id is None else instance.id
    if variable in ("instance.compartment.id", "resource.compartment.id"):
        return _UNKNOWN if instance.compartment_id is None else instance.compartment_id
    if variable == "resource.type":
        return "instance"
    if variable.startswith("tag.") and variable.endswith(".value"):
        parts = variable.split(".")
        if len(parts) != 4:
            return None
        if instance.defined_tags is None:
            return _UNKNOWN
        namespace = _lookup(instance.defined_tags, parts[1])
        if not isinstance(namespace, Mapping):
            return None
        return _lookup(namespace, parts[2])
    return None  # a variable instances never carry (e.g. a function's): no match


def _lookup(mapping: Mapping[str, object], key: str) -> object:
    """Tag namespaces and keys are case-insensitive in OCI."""
    for name, value in mapping.items():
        if name.lower() == key:
            return value
    return None


def _same(variable: str, actual: str, expected: str) -> bool:
    if variable.startswith("tag."):
        return actual == expected
    return actual.lower() == expected.lower()


def _any(results: Sequence[bool | None]) -> bool | None:
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


def _all(results: Sequence[bool | None]) -> bool | None:
    if any(r is False for r in results):
        return False
    return None if any(r is None for r in results) else True
