"""OCI IAM policy statements, parsed by their grammar (pure).

    Allow <subject> [, <subject>...] to <verb> <resource-type> in <location> [where <conditions>]
    Allow <subject> to { <PERMISSION>, ... } in <location> [where <conditions>]

``<subject>`` is ``group <name>``, ``group id <ocid>``, ``dynamic-group <name>`` (a name may
be domain-qualified: ``'Default'/'nodes'``), ``dynamic-group id <ocid>``, ``any-user``,
``any-group`` or ``service <name>``; ``<location>`` is ``tenancy``, ``compartment <name or
A:B:C path>`` or ``compartment id <ocid>``. Keywords are case-insensitive. ``Endorse``,
``Admit`` and ``Define`` statements (cross-tenancy) grant nothing inside this tenancy and are
returned as ``kind`` only. A statement that does not parse is reported, never guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cloudposture_oci.tokens import Cursor, SyntaxProblem, Token, tokenize

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
