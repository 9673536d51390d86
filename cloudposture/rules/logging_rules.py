"""Logging (completes the table): audit and control-plane logs leave the cluster.

Logs kept only inside the cluster can be erased by whoever compromises it; in the provider's
log service they survive the cluster and its attacker, which is what makes them evidence.
"""

from __future__ import annotations

from cloudposture.model import ClusterPosture, Severity
from cloudposture.rules.base import (
    Outcome,
    Rule,
    RuleMeta,
    RuleSettings,
    failed,
    passed,
    unknown,
)
from cloudposture.rules.judge import fact, judge_flag, with_evidence

CONTROL_PLANE_COMPONENTS = ("apiserver", "controller-manager", "scheduler")


def check_audit_logs(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when API server audit logs are not sent to the provider's log service."""
    logs = posture.logging
    destination = logs.destination or "the provider's log service"
    return judge_flag(
        posture,
        fact(logs, "logging", "audit_enabled"),
        bad=False,
        fail="API server audit logs are not sent to the provider's log service",
        ok=f"API server audit logs go to {destination}",
        extra=(fact(logs, "logging", "destination"),),
    )


def check_component_logs(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when any of the apiserver, controller-manager and scheduler logs is not sent to
    the provider's log service (lists the missing ones)."""
    logs = posture.logging
    evidence = (fact(logs, "logging", "components"), fact(logs, "logging", "destination"))
    if logs.components is None:
        return with_evidence(unknown(posture, "logging.components"), *evidence)
    missing = [c for c in CONTROL_PLANE_COMPONENTS if c not in logs.components]
    if missing:
        return failed(f"control-plane logs not shipped for: {', '.join(missing)}", *evidence)
    return passed("apiserver, controller-manager and scheduler logs are shipped", *evidence)


LOG_001 = Rule(
    meta=RuleMeta(
        id="LOG-001",
        title="API server audit logs not sent to the provider's log service",
        row="+",
        severity=Severity.HIGH,
        rationale=(
            "The audit log is the only record of who did what through the Kubernetes API: "
            "reading Secrets, exec into pods, changing RBAC. Without it an incident cannot be "
            "scoped. Shipped to the provider's log service, it survives the cluster and "
            "cannot be altered by whoever compromised it."
        ),
    ),
    check=check_audit_logs,
)

LOG_002 = Rule(
    meta=RuleMeta(
        id="LOG-002",
        title="Control-plane component logs incomplete",
        row="+",
        severity=Severity.MEDIUM,
        rationale=(
            "API server, controller-manager and scheduler logs explain what the control plane "
            "did with a request: admission denials, failed leader elections, pods that could "
            "not be placed. Investigations and outage reviews need them next to the audit "
            "log, outside the cluster."
        ),
    ),
    check=check_component_logs,
)

RULES = (LOG_001, LOG_002)
