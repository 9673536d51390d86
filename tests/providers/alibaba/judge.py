"""Evaluate the catalogue on ACK postures exactly as the engine does: the core's
``evaluate_all`` with the installed plugins' guidance, so the ``alibaba`` plugin's
NOT_APPLICABLE reasons win over the rules' checks."""

from __future__ import annotations

from datetime import UTC, datetime

from cloudposture.model import ClusterPosture, Status
from cloudposture.rules.base import RuleSettings
from cloudposture.rules.catalog import ALL_RULES
from cloudposture.rules.evaluate import evaluate_all

NOW = datetime(2026, 12, 2, tzinfo=UTC)


def outcomes(posture: ClusterPosture) -> dict[str, Status]:
    findings = evaluate_all(posture, ALL_RULES, RuleSettings(), scan_id="test", now=NOW)
    return {f.rule_id: f.status for f in findings}


def fails(posture: ClusterPosture) -> set[str]:
    return {rule for rule, status in outcomes(posture).items() if status == Status.FAIL}


def check_message(posture: ClusterPosture, rule_id: str) -> str:
    rule = next(r for r in ALL_RULES if r.meta.id == rule_id)
    return rule.check(posture, RuleSettings()).message
