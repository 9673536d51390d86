"""Evaluate the catalogue on ACK postures the way the core will once a plugin declares its
NOT_APPLICABLE reasons (issue 10): the plugin's reasons win over the rule's check."""

from __future__ import annotations

from datetime import UTC, datetime

from cloudposture_alibaba.guidance import NOT_APPLICABLE

from cloudposture.model import ClusterPosture, Status
from cloudposture.rules.base import RuleSettings
from cloudposture.rules.catalog import ALL_RULES


def outcomes(posture: ClusterPosture) -> dict[str, Status]:
    out: dict[str, Status] = {}
    for rule in ALL_RULES:
        if rule.meta.id in NOT_APPLICABLE:
            out[rule.meta.id] = Status.NOT_APPLICABLE
            continue
        out[rule.meta.id] = rule.check(posture, RuleSettings()).status
    return out


def fails(posture: ClusterPosture) -> set[str]:
    return {rule for rule, status in outcomes(posture).items() if status == Status.FAIL}


def check_message(posture: ClusterPosture, rule_id: str) -> str:
    rule = next(r for r in ALL_RULES if r.meta.id == rule_id)
    return rule.check(posture, RuleSettings()).message


NOW = datetime(2026, 12, 2, tzinfo=UTC)
