"""OCI IAM policy statements, parsed by their grammar (pure).

    Allow <subject> [, <subject>...] to <verb> <resource-type> in <location> [where <conditions>]
    Allow <subject> to { <PERMISSION>, ... } in <location> [where <conditions>]

``<subject>`` is ``group <name>``, ``group id <ocid>``, ``dynamic-group <name>`` (a name may
be domain-qualified: ``'Default'/'nodes'``), ``dynamic-group id <ocid>``, ``any-user``,
``any-group`` or ``service <name>``; ``<location>`` is ``tenancy``, ``compartment <name or
A:B:C path>`` or ``compartment id <ocid>``. Keywords are case-insensitive. ``Endorse``,
``Admit`` and ``Define`` statements (cross-tenancy) grant nothing inside this tenancy and are
returned as ``kind`` only. A statement that does not parse is reported, never guessed at.

The ``where`` clause is kept as text on the statement and parsed on demand by
:func:`parse_condition`, so a condition this grammar does not know leaves the grant itself
understood (the caller decides what an unknown condition means)::

    condition := clause | (ANY | ALL) '{' condition (',' condition)* '}'
    clause    := variable ('=' | '!=') value
               | variable ('before' | 'after') value
               | variable 'between' value 'and' value
               | variable 'in' '(' value (',' value)* ')'
    value     := 'quoted string' | word | /pattern/
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cloudposture_oci.tokens import Cursor, Mode, SyntaxProblem, Token, parse_whole, tokenize

SubjectKind = Literal["group", "dynamic-group", "any-user", "any-group", "service"]
VERBS = ("inspect", "read", "use", "manage")
_SUBJECT_WORDS = ("group", "dynamic-group", "any-user", "any-group", "service")


@dataclass(frozen=True)
class Subject:
    kind: SubjectKind
    name: str | None = None
    """The group's name (case-insensitive in OCI), or None with ``ocid`` / for any-*."""
    ocid: str | None = None
    domain: str | None = None
    """The identity domain of a qualified name (``'Default'/'nodes'``)."""


@dataclass(frozen=True)
class Location:
    tenancy: bool
    compartment: str | None = None
    """A compartment name or ``A:B:C`` path, relative to the policy's own compartment."""
    compartment_id: str | None = None


@dataclass(frozen=True)
class Statement:
    text: str
    kind: Literal["allow", "endorse", "admit", "define"]
    subjects: tuple[Subject, ...] = ()
    verb: str | None = None
    resource_type: str | None = None
    permissions: tuple[str, ...] = ()
    location: Location | None = None
    where: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def conditional(self) -> bool:
        return bool(self.where)


@dataclass(frozen=True)
class Clause:
    """One ``variable op value(s)`` test of a ``where`` clause."""

    variable: str
    """Lower-cased (variable names are case-insensitive)."""
    op: Literal["=", "!=", "before", "after", "between", "in"]
    values: tuple[str, ...]
    pattern: bool = False
    """Some value is a ``/pattern/`` (``*`` wildcards), not a literal."""


@dataclass(frozen=True)
class Combination:
    mode: Mode
    parts: tuple[Condition, ...]


Condition = Clause | Combination


def parse_statement(text: str) -> Statement:
    """One statement; SyntaxProblem when it does not follow the grammar."""
    cursor = Cursor(tokenize(text), text)
    head = cursor.next("Allow, Endorse, Admit or Define")
    word = head.text.lower()
    if head.kind != "word" or word not in ("allow", "endorse", "admit", "define"):
        raise SyntaxProblem(f"a statement starts with Allow, Endorse, Admit or Define: {text!r}")
    if word != "allow":
        return Statement(text=text, kind=word)  # type: ignore[arg-type]
    subjects = _subjects(cursor)
    if cursor.take_word("to") is None:
        raise SyntaxProblem(f"expected 'to' after the subject in {text!r}")
    verb, resource, permissions = _grant(cursor)
    if cursor.take_word("in") is None:
        raise SyntaxProblem(f"expected 'in <location>' in {text!r}")
    location = _location(cursor)
    where = None
    if cursor.take_word("where") is not None:
        where = cursor.rest_text()
        if not where:
            raise SyntaxProblem(f"empty where clause in {text!r}")
    elif not cursor.done:
        raise SyntaxProblem(f"unexpected {cursor.next().text!r} after the location in {text!r}")
    return Statement(
        text=text,
        kind="allow",
        subjects=tuple(subjects),
        verb=verb,
        resource_type=resource,
        permissions=permissions,
        location=location,
        where=where,
    )


def _subjects(cursor: Cursor) -> list[Subject]:
    out: list[Subject] = []
    kind: str | None = None
    while True:
        token = cursor.peek()
        if token is not None and token.is_word(*_SUBJECT_WORDS):
            kind = cursor.next().text.lower()
        elif kind is None:
            raise SyntaxProblem(
                f"expected a subject (group, dynamic-group, any-user...) in {cursor.text!r}"
            )
        out.append(_subject(cursor, kind))
        if not cursor.take_punct(","):
            return out


def _subject(cursor: Cursor, kind: str) -> Subject:
    if kind in ("any-user", "any-group"):
        return Subject(kind=kind)  # type: ignore[arg-type]
    if cursor.take_word("id") is not None:
        return Subject(kind=kind, ocid=_name(cursor.next("an OCID")))  # type: ignore[arg-type]
    first = _name(cursor.next("a name"))
    if cursor.take_punct("/"):
        second = _name(cursor.next("a name after '/'"))
        return Subject(kind=kind, name=second, domain=first)  # type: ignore[arg-type]
    return Subject(kind=kind, name=first)  # type: ignore[arg-type]


def _name(token: Token) -> str:
    if token.kind == "punct":
        raise SyntaxProblem(f"expected a name, found {token.text!r}")
    return token.text


def _grant(cursor: Cursor) -> tuple[str | None, str | None, tuple[str, ...]]:
    if cursor.take_punct("{"):
        perms: list[str] = []
        while not cursor.take_punct("}"):
            perms.append(_name(cursor.next("a permission")))
            if not cursor.take_punct(","):
                cursor.expect_punct("}")
                break
        return None, None, tuple(p.upper() for p in perms)
    verb = cursor.next("a verb")
    if not verb.is_word(*VERBS):
        raise SyntaxProblem(f"unknown verb {verb.text!r} in {cursor.text!r}")
    resource = cursor.next("a resource type")
    if resource.kind != "word":
        raise SyntaxProblem(f"expected a resource type after {verb.text!r} in {cursor.text!r}")
    return verb.text.lower(), resource.text.lower(), ()


def _location(cursor: Cursor) -> Location:
    if cursor.take_word("tenancy") is not None:
        return Location(tenancy=True)
    if cursor.take_word("compartment") is None:
        raise SyntaxProblem(f"expected 'tenancy' or 'compartment' in {cursor.text!r}")
    if cursor.take_word("id") is not None:
        return Location(tenancy=False, compartment_id=_name(cursor.next("an OCID")))
    return Location(tenancy=False, compartment=_name(cursor.next("a compartment")))


def parse_condition(text: str) -> Condition:
    """A ``where`` clause; SyntaxProblem when it does not follow the grammar above."""
    return parse_whole(text, _condition, "condition")


def _condition(cursor: Cursor) -> Condition:
    combined = cursor.combination(lambda: _condition(cursor))
    if combined is not None:
        return Combination(mode=combined[0], parts=tuple(combined[1]))
    name = cursor.variable()
    for mark in ("!=", "="):
        if cursor.take_punct(mark):
            value, pattern = _value(cursor)
            return Clause(name, mark, (value,), pattern)
    word = cursor.take_word("before", "after", "between", "in")
    if word is None:
        raise SyntaxProblem(f"expected an operator after {name!r} in {cursor.text!r}")
    op = word.text.lower()
    values = _value_list(cursor) if op == "in" else [_value(cursor)]
    if op == "between":
        if cursor.take_word("and") is None:
            raise SyntaxProblem(f"expected 'and' in the 'between' of {cursor.text!r}")
        values.append(_value(cursor))
    pattern = any(p for _, p in values)
    return Clause(name, op, tuple(v for v, _ in values), pattern)  # type: ignore[arg-type]


def _value(cursor: Cursor) -> tuple[str, bool]:
    """(value, is a pattern): ``'text'``, a bare word, or ``/pattern/``."""
    if cursor.take_punct("/"):
        body = _name(cursor.next("a pattern"))
        cursor.expect_punct("/")
        return body, True
    return _name(cursor.next("a value")), False


def _value_list(cursor: Cursor) -> list[tuple[str, bool]]:
    """``( v, v, ... )``: the tokenizer reads the parentheses as words of their own."""
    if cursor.take_word("(") is None:
        raise SyntaxProblem(f"expected '(' after 'in' in {cursor.text!r}")
    values = [_value(cursor)]
    while cursor.take_punct(","):
        values.append(_value(cursor))
    if cursor.take_word(")") is None:
        raise SyntaxProblem(f"expected ')' closing the 'in' list of {cursor.text!r}")
    return values
