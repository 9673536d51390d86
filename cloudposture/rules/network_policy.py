"""Network policy (completes the table): workloads can be isolated from each other.

Kubernetes NetworkPolicy objects are silently ignored unless the network plugin enforces
them, so a cluster can hold policies that protect nothing.
"""

from __future__ import annotations

from cloudposture.model import ClusterPosture, Severity
from cloudposture.rules.base import Outcome, Rule, RuleMeta, RuleSettings
from cloudposture.rules.judge import fact, judge_flag


def check_enforced(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when no network-policy engine enforces Kubernetes NetworkPolicy for workloads."""
    np = posture.network_policy
    return judge_flag(
        posture,
        fact(np, "network_policy", "enforced"),
        bad=False,
        fail="NetworkPolicy is not enforced: any pod can reach any other pod and the nodes",
        ok=f"NetworkPolicy is enforced ({np.engine or 'engine not named'})",
        extra=(fact(np, "network_policy", "engine"),),
    )


NET_001 = Rule(
    meta=RuleMeta(
        id="NET-001",
        title="No network-policy enforcement available to workloads",
        row="+",
        severity=Severity.LOW,
        rationale=(
            "Without enforcement every pod can reach every other pod, so one compromised "
            "workload can probe databases, internal APIs and node ports across namespaces. "
            "Enforcement is the prerequisite for default-deny policies; the rule is low "
            "because turning it on protects nothing until policies are written."
        ),
    ),
    check=check_enforced,
)

RULES = (NET_001,)
