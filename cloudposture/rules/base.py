"""What a rule is: metadata beside a pure check over the neutral model.

A rule never sees an SDK response, only :class:`ClusterPosture`. It returns an
:class:`Outcome` (PASS, FAIL or ERROR with evidence); the engine turns that into a
:class:`Finding` and handles NOT_APPLICABLE from the providers' guidance (see
:mod:`cloudposture.rules.guidance`), so no rule can forget it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cloudposture.model import (
    ClusterPosture,
    Evidence,
    Reference,
    Remediation,
    Severity,
    Status,
)

ROWS: Mapping[str, str] = {
    "1": "Network access to the API server",
    "2": "Network access to nodes",
    "3": "Kubernetes access to the cloud provider API",
    "4": "Access to etcd",
    "5": "etcd encryption",
    "+": "Logging, version and workload isolation (completes the table)",
    "1-3": "Exposure path across rows 1 to 3: internet -> node -> cloud API",
}


@dataclass(frozen=True)
class ProviderGuidance:
    """One provider's text for one rule: where the evidence comes from, how to fix it, which
    benchmark controls. Provider distributions hold it (their ``guidance`` module), not the
    rule, so a rule stays neutral and a new cloud brings its own words."""

    evidence: str
    remediation: Remediation
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class RuleMeta:
    id: str
    title: str
    row: str
    severity: Severity
    rationale: str


@dataclass(frozen=True)
class RuleSettings:
    """User-tunable thresholds, with the defaults DESIGN.md names."""

    broad_prefix: int = 24
    """CP-003: a public CIDR with a prefix shorter than this is too broad (/24 ok, /23 not)."""

    broad_prefix_v6: int = 48
    """CP-003 for IPv6 ranges: an IPv4 limit means nothing for IPv6 (an IPv6 /24 holds 2**104
    addresses), so IPv6 has its own limit; a /48 is one site's allocation."""


@dataclass(frozen=True)
class Outcome:
    status: Status
    message: str
    evidence: tuple[Evidence, ...] = ()
    severity: Severity | None = None
    """Overrides the rule's default severity for this finding (e.g. raised for public nodes)."""


Check = Callable[[ClusterPosture, RuleSettings], Outcome]


@dataclass(frozen=True)
class Rule:
    meta: RuleMeta
    check: Check


def passed(message: str, *evidence: Evidence) -> Outcome:
    return Outcome(Status.PASS, message, evidence)


def failed(message: str, *evidence: Evidence, severity: Severity | None = None) -> Outcome:
    return Outcome(Status.FAIL, message, evidence, severity)


def unknown(posture: ClusterPosture, *facts: str) -> Outcome:
    """ERROR because the facts this rule needs were not collected; says why."""
    return Outcome(Status.ERROR, f"cannot judge: {posture.reason_unknown(*facts)}")


def ev(fact: str, value: Any, source: str = "") -> Evidence:
    """Shorthand for an evidence item; values are made JSON-friendly here."""
    if isinstance(value, tuple | set | frozenset):
        value = list(value)
    return Evidence(fact=fact, value=value, source=source)
