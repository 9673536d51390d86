"""PATH-001: the exposure path internet -> node -> cloud admin, judged per node pool.

Each link alone is another rule's finding (NODE-001, NODE-002/003, IAM-004, IAM-001). A pool
where all four hold is an attack an outsider can walk end to end, so it is reported on its
own, at critical, naming the pool to fix first. One known-absent link rules the pool out.
"""

from __future__ import annotations

from cloudposture.model import ClusterPosture, NodePool, Severity
from cloudposture.rules.base import Outcome, Rule, RuleMeta, RuleSettings
from cloudposture.rules.judge import (
    Link,
    PoolVerdict,
    all_hold,
    flag_link,
    identities_with,
    identity_link,
    ingress_fact,
    judge_pools,
)


def _ingress_link(pool: NodePool) -> Link:
    rules = pool.internet_ingress
    holds = None if rules is None else bool(rules)
    return Link("node_pools.internet_ingress", holds, ingress_fact(pool))


def _path(pool: NodePool) -> PoolVerdict:
    admins = ", ".join(i.id for i in identities_with(pool, "admin_equivalent")) or "?"
    ingress = len(pool.internet_ingress or [])
    return all_hold(
        flag_link(pool, "public_ip"),
        _ingress_link(pool),
        flag_link(pool, "metadata_credentials_exposed"),
        identity_link(pool, "admin_equivalent"),
        detail=f"public IPs, {ingress} internet ingress rule(s), node credentials readable "
        f"from metadata, admin-equivalent identity: {admins}",
    )


def check_exposure_path(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when some node pool has public IPs AND internet-facing ingress AND metadata
    credentials readable by pods AND an admin-equivalent identity. PASS when every pool is
    ruled out by a link known to be absent; ERROR when a pool cannot be ruled out because a
    link was not collected."""
    return judge_pools(
        posture,
        _path,
        fail="an outsider can go from the internet to cloud admin through node pool(s)",
        ok="no node pool completes the internet -> node -> cloud admin path",
    )


PATH_001 = Rule(
    meta=RuleMeta(
        id="PATH-001",
        title="Exposure path: internet -> node -> cloud admin",
        row="1-3",
        severity=Severity.CRITICAL,
        rationale=(
            "Each weakness alone is a finding; together they are a path an attacker walks in "
            "minutes: reach an open port on a node with a public IP, compromise the service "
            "or pod behind it, read the node identity's credentials from the metadata "
            "service, and administer the cloud account. Breaking any one link breaks the "
            "path, so this finding says which pool to fix first."
        ),
    ),
    check=check_exposure_path,
)

RULES = (PATH_001,)
