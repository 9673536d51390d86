"""Turn a rule's outcome into a :class:`Finding`: the one place findings are built.

Why here and not in each rule: NOT_APPLICABLE from the providers' guidance, severity
overrides and the stable uid must be applied the same way for every rule, including
third-party ones, and one buggy check must never lose the other findings of a cluster. The
rule's remediation and references are not copied into the finding: they are added when the
finding is written out (:func:`cloudposture.rules.guidance.with_guidance`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from cloudposture.model import (
    ClusterPosture,
    ClusterRef,
    Finding,
    Resource,
    Severity,
    Status,
    finding_uid,
)
from cloudposture.rules.base import Outcome, Rule, RuleSettings
from cloudposture.rules.guidance import GuidanceCatalog, installed_guidance

SeverityOverrides = Mapping[str, Severity]


def evaluate(
    rule: Rule,
    posture: ClusterPosture,
    settings: RuleSettings,
    *,
    scan_id: str,
    now: datetime,
    severity_overrides: SeverityOverrides | None = None,
    guidance: GuidanceCatalog | None = None,
) -> Finding:
    """Judge one cluster against one rule (``guidance``: the installed providers' by default)."""
    catalog = guidance or installed_guidance()
    not_applicable = _not_applicable(rule, posture.ref, catalog)
    outcome = not_applicable or _run_check(rule, posture, settings)
    return _finding(rule, posture.ref, outcome, scan_id, now, severity_overrides)


def evaluate_all(
    posture: ClusterPosture,
    rules: Sequence[Rule],
    settings: RuleSettings,
    *,
    scan_id: str,
    now: datetime,
    severity_overrides: SeverityOverrides | None = None,
    guidance: GuidanceCatalog | None = None,
) -> list[Finding]:
    """One finding per rule, in the order ``rules`` lists them (the catalogue's order)."""
    return [
        evaluate(
            rule,
            posture,
            settings,
            scan_id=scan_id,
            now=now,
            severity_overrides=severity_overrides,
            guidance=guidance,
        )
        for rule in rules
    ]


def error_findings(
    ref: ClusterRef,
    rules: Sequence[Rule],
    reason: str,
    *,
    scan_id: str,
    now: datetime,
    severity_overrides: SeverityOverrides | None = None,
    guidance: GuidanceCatalog | None = None,
) -> list[Finding]:
    """One ERROR per rule for a cluster that could not be read at all (NOT_APPLICABLE still
    wins: a rule with no meaning on the provider stays not applicable)."""
    catalog = guidance or installed_guidance()
    error = Outcome(Status.ERROR, f"cannot judge: {_one_line(reason)}")
    return [
        _finding(
            rule,
            ref,
            _not_applicable(rule, ref, catalog) or error,
            scan_id,
            now,
            severity_overrides,
        )
        for rule in rules
    ]


def _not_applicable(rule: Rule, ref: ClusterRef, catalog: GuidanceCatalog) -> Outcome | None:
    reason = catalog.not_applicable(rule.meta.id, ref.provider)
    return None if reason is None else Outcome(Status.NOT_APPLICABLE, reason)


def _run_check(rule: Rule, posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    try:
        return rule.check(posture, settings)
    except Exception as exc:  # noqa: BLE001 - one buggy rule must not lose the other findings
        return Outcome(Status.ERROR, f"rule crashed: {type(exc).__name__}: {_one_line(str(exc))}")


def _finding(
    rule: Rule,
    ref: ClusterRef,
    outcome: Outcome,
    scan_id: str,
    now: datetime,
    severity_overrides: SeverityOverrides | None,
) -> Finding:
    """Remediation and references stay with the provider's guidance:
    :func:`cloudposture.rules.guidance.with_guidance` adds them when the finding is written
    out. (Validated, not ``model_construct``-ed: with pydantic 2 validating a finding whose
    nested values are already models takes ~14 us, ``model_construct`` ~25 us.)"""
    meta = rule.meta
    override = (severity_overrides or {}).get(meta.id)
    return Finding(
        uid=finding_uid(ref.provider, ref.account, ref.native_id, meta.id),
        rule_id=meta.id,
        title=meta.title,
        row=meta.row,
        status=outcome.status,
        severity=override or outcome.severity or meta.severity,
        message=_one_line(outcome.message),
        resource=_resource(ref),
        evidence=list(outcome.evidence),
        scan_id=scan_id,
        created_at=now,
    )


def _resource(ref: ClusterRef) -> Resource:
    return Resource(
        provider=ref.provider,
        account=ref.account,
        region=ref.region,
        cluster=ref.name,
        id=ref.native_id,
        tags=dict(ref.tags),
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())
