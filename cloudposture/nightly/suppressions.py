"""Suppressions: mute a known, accepted FAIL without hiding it.

Why MUTED rather than dropping the finding: an auditor must still see it, with who accepted
it, why and until when, so it is stored and sent like any other finding. Two things are
never muted: an ERROR (an unreadable fact is not an accepted risk) and anything after the
suppression's expiry (the run warns instead, so a forgotten exception cannot live forever).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase

from cloudposture.config.models import SuppressionRule
from cloudposture.model import Finding, Status, Suppression


@dataclass(frozen=True)
class Suppressed:
    findings: list[Finding]
    warnings: list[str]
    muted: int


def matches(rule: SuppressionRule, finding: Finding) -> bool:
    """True when ``rule`` covers ``finding`` (rule id exact, resource keys as globs)."""
    if rule.rule.upper() != finding.rule_id.upper():
        return False
    resource = finding.resource
    wanted = rule.match
    pairs = (
        (wanted.provider, resource.provider),
        (wanted.account, resource.account),
        (wanted.region, resource.region),
        (wanted.cluster, resource.cluster),
    )
    if any(pattern is not None and not fnmatchcase(value, pattern) for pattern, value in pairs):
        return False
    return all(
        key in resource.tags and fnmatchcase(resource.tags[key], pattern)
        for key, pattern in wanted.tags.items()
    )


def apply_suppressions(
    findings: Sequence[Finding], rules: Sequence[SuppressionRule], today: date
) -> Suppressed:
    """FAIL -> MUTED for the first live suppression that matches; warn about expired ones.

    A suppression is live through its ``expires`` day and expired the day after.
    """
    out: list[Finding] = []
    expired_hits: dict[int, int] = {}
    muted = 0
    for finding in findings:
        if finding.status is not Status.FAIL:
            out.append(finding)
            continue
        live = None
        for index, rule in enumerate(rules):
            if not matches(rule, finding):
                continue
            if rule.expires < today:
                expired_hits[index] = expired_hits.get(index, 0) + 1
                continue
            live = rule
            break
        if live is None:
            out.append(finding)
            continue
        muted += 1
        note = Suppression(reason=live.reason, owner=live.owner, expires=live.expires)
        out.append(finding.model_copy(update={"status": Status.MUTED, "suppression": note}))
    warnings = [_expired_warning(rules[i], i, n) for i, n in sorted(expired_hits.items())]
    warnings += [
        f"suppression #{i + 1} ({rule.rule}, owner {rule.owner}) expired on {rule.expires} "
        "and matched nothing"
        for i, rule in enumerate(rules)
        if rule.expires < today and i not in expired_hits
    ]
    return Suppressed(findings=out, warnings=warnings, muted=muted)


def _expired_warning(rule: SuppressionRule, index: int, hits: int) -> str:
    return (
        f"suppression #{index + 1} ({rule.rule}, owner {rule.owner}) expired on "
        f"{rule.expires}: {hits} finding(s) it used to mute are reported as FAIL again"
    )
