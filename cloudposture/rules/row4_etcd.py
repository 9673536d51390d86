"""Row 4: access to etcd, limited to the control plane only, over TLS.

On managed Kubernetes the provider runs etcd inside the control plane it operates; customers
can neither reach nor configure it. The rule still reports, with the shared-responsibility
statement as evidence, so the table's row is visibly covered rather than silently skipped.
"""

from __future__ import annotations

from cloudposture.model import ClusterPosture, Severity
from cloudposture.rules.base import Outcome, Rule, RuleMeta, RuleSettings
from cloudposture.rules.judge import fact, judge_flag


def check_etcd_managed(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """PASS when the provider runs etcd (reachable only by its control plane, over TLS), with
    the shared-responsibility detail as evidence; FAIL when it does not."""
    etcd = posture.etcd
    detail = etcd.detail or "no detail recorded"
    return judge_flag(
        posture,
        fact(etcd, "etcd", "provider_managed"),
        bad=False,
        fail=f"etcd is not run by the provider, so its access and TLS are yours to prove: {detail}",
        ok=f"etcd is run by the provider, reachable only by the control plane over TLS: {detail}",
        extra=(fact(etcd, "etcd", "detail"),),
    )


ETCD_001 = Rule(
    meta=RuleMeta(
        id="ETCD-001",
        title="etcd reachable only by the control plane, over TLS",
        row="4",
        severity=Severity.LOW,
        rationale=(
            "etcd holds the whole cluster state, secrets included; write access to it is "
            "cluster-admin. The table limits it to the control plane over TLS. Managed "
            "services meet this by running etcd themselves, which this rule records so an "
            "audit can see the row covered and by whom."
        ),
    ),
    check=check_etcd_managed,
)

RULES = (ETCD_001,)
