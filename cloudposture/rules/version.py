"""Version (completes the table): the cluster runs a Kubernetes version the provider supports.

Past standard support, security fixes stop (or cost extra under extended support, which ends
too), and the provider may upgrade the cluster on its own schedule.
"""

from __future__ import annotations

from cloudposture.model import ClusterPosture, Severity
from cloudposture.rules.base import Outcome, Rule, RuleMeta, RuleSettings
from cloudposture.rules.judge import fact, judge_flag


def check_standard_support(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when the cluster's Kubernetes version is past the provider's standard support
    (names the version and the provider's detail, e.g. the end date)."""
    v = posture.version
    version = v.version or "unknown version"
    detail = f": {v.detail}" if v.detail else ""
    return judge_flag(
        posture,
        fact(v, "version", "standard_support"),
        bad=False,
        fail=f"Kubernetes {version} is past the provider's standard support{detail}",
        ok=f"Kubernetes {version} is in the provider's standard support{detail}",
        extra=(fact(v, "version", "version"), fact(v, "version", "detail")),
    )


VER_001 = Rule(
    meta=RuleMeta(
        id="VER-001",
        title="Kubernetes version past the provider's standard support",
        row="+",
        severity=Severity.MEDIUM,
        rationale=(
            "Outside standard support a version gets no new security patches unless paid "
            "extended support applies, and every provider eventually forces an upgrade on "
            "its own schedule. Known vulnerabilities stay open and the forced upgrade "
            "arrives untested."
        ),
    ),
    check=check_standard_support,
)

RULES = (VER_001,)
