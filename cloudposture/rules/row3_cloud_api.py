"""Row 3: Kubernetes access to the cloud provider API.

The table asks that the control plane and the nodes each get their own cloud permissions,
following least privilege for the resources they must manage. Anything a node's identity may
do, every pod that reaches the node's metadata service may do too.
"""

from __future__ import annotations

from dataclasses import replace

from cloudposture.model import ClusterPosture, Evidence, NodePool, Severity
from cloudposture.rules.base import Outcome, Rule, RuleMeta, RuleSettings, ev, unknown
from cloudposture.rules.judge import (
    PoolVerdict,
    all_hold,
    fact,
    flag_link,
    identities_with,
    identity_facts,
    identity_link,
    judge_flag,
    judge_pools,
    pool_fact,
    with_evidence,
)


def _identity_detail(pool: NodePool, field: str) -> str:
    """The identities that make the pool fail on ``field``, each with its grants."""
    named = []
    for identity in identities_with(pool, field):
        grants = ", ".join(identity.grants)
        named.append(f"{identity.id}: {grants}" if grants else identity.id)
    return "; ".join(named)


def _identity_ids(pool: NodePool) -> Evidence:
    """Every identity the pool runs as, so a verdict shows the ones that passed too."""
    ids = None if pool.identities is None else [i.id for i in pool.identities]
    return ev(f"node_pools[{pool.name}].identities", ids, pool.source_of("identities"))


def _admin_identity(pool: NodePool) -> PoolVerdict:
    return all_hold(
        identity_link(pool, "admin_equivalent"),
        detail=_identity_detail(pool, "admin_equivalent"),
        extra=(_identity_ids(pool), *identity_facts(pool, "grants")),
    )


def check_node_admin(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when any identity of any node pool holds admin-equivalent cloud permissions (the
    worst identity decides; names the pool, the identity and the grants, with every identity
    of the pool in the evidence); ERROR when an identity or its summary is unknown and none
    fails."""
    return judge_pools(
        posture,
        _admin_identity,
        fail="node identity holds admin-equivalent cloud permissions in node pool(s)",
        ok="no node identity holds admin-equivalent cloud permissions",
    )


def check_control_plane_minimum(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when the control plane's identity is broader than the provider's documented
    minimum (names the identity and the grants that make it broad)."""
    identity = posture.control_plane_identity
    if identity is None:
        missing = ev("control_plane_identity", None)
        return with_evidence(unknown(posture, "control_plane_identity"), missing)
    grants = ", ".join(identity.grants) or "grants not itemized"
    return judge_flag(
        posture,
        fact(identity, "control_plane_identity", "exceeds_minimum"),
        bad=True,
        fail=f"the control-plane identity {identity.id} is broader than the documented "
        f"minimum: {grants}",
        ok=f"the control-plane identity {identity.id} stays within the documented minimum",
        extra=(
            fact(identity, "control_plane_identity", "id"),
            fact(identity, "control_plane_identity", "grants"),
        ),
    )


def check_default_identity(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when any node pool runs as the provider's default identity (GCE default SA)."""
    return judge_pools(
        posture,
        lambda pool: all_hold(
            identity_link(pool, "is_default"),
            detail=_identity_detail(pool, "is_default"),
            extra=(_identity_ids(pool),),
        ),
        fail="nodes run as the provider's default identity in node pool(s)",
        ok="every node pool runs as a dedicated identity",
    )


def _metadata_exposure(pool: NodePool) -> PoolVerdict:
    """The pool's metadata exposure; the detail names every identity whose credentials
    pods could read there."""
    ids = ", ".join(i.id for i in pool.identities or [])
    detail = pool.metadata_detail or ""
    if ids:
        detail = f"{detail}; credentials of {ids}" if detail else f"credentials of {ids}"
    verdict = all_hold(
        flag_link(pool, "metadata_credentials_exposed"),
        detail=detail,
        extra=(pool_fact(pool, "metadata_detail"), _identity_ids(pool)),
    )
    if pool.identities == []:  # the nodes run as no cloud identity: metadata holds no credentials
        return replace(verdict, bad=False, unknown_facts=())
    return verdict


def check_metadata_credentials(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when pods can read the node identity's credentials from the instance metadata
    service in any node pool (with the provider's detail, e.g. IMDSv1 or hop limit 2)."""
    return judge_pools(
        posture,
        _metadata_exposure,
        fail="pods can read node credentials from instance metadata in node pool(s)",
        ok="no node pool exposes node credentials to pods through instance metadata",
    )


def check_workload_identity(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when the cluster offers workloads no cloud identity of their own, so they must
    borrow the node's."""
    wi = posture.workload_identity
    mechanisms = ", ".join(wi.mechanisms) or "mechanism not named"
    return judge_flag(
        posture,
        fact(wi, "workload_identity", "enabled"),
        bad=False,
        fail="workloads have no cloud identity of their own and must borrow the node's",
        ok=f"per-workload cloud identity is available ({mechanisms})",
        extra=(fact(wi, "workload_identity", "mechanisms"),),
    )


def check_default_full_scope(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when a node pool runs as the default identity with an OAuth scope covering the
    whole cloud API; ruled out by a dedicated identity or narrower scopes."""
    return judge_pools(
        posture,
        lambda pool: all_hold(
            flag_link(pool, "full_cloud_api_scope"),
            identity_link(pool, "is_default"),
            detail=_identity_detail(pool, "is_default"),
        ),
        fail="the default identity has the full cloud API scope in node pool(s)",
        ok="no node pool pairs the default identity with the full cloud API scope",
    )


IAM_001 = Rule(
    meta=RuleMeta(
        id="IAM-001",
        title="Node identity holds admin-equivalent cloud permissions",
        row="3",
        severity=Severity.CRITICAL,
        rationale=(
            "Every pod that reaches a node's metadata service, and anyone who compromises a "
            "node, acts with the node's cloud identity. If that identity can administer the "
            "account, one vulnerable container becomes a takeover of the whole cloud account. "
            "Nodes need only a few permissions: pulling images, networking, writing logs."
        ),
    ),
    check=check_node_admin,
)

IAM_002 = Rule(
    meta=RuleMeta(
        id="IAM-002",
        title="Control-plane identity broader than the documented minimum",
        row="3",
        severity=Severity.HIGH,
        rationale=(
            "The control plane's cloud identity manages load balancers, network interfaces "
            "and volumes for the cluster. The provider documents exactly what it needs; "
            "anything more is power an attacker inherits by abusing a controller, and it "
            "blurs the separation the table asks for between control plane and nodes."
        ),
    ),
    check=check_control_plane_minimum,
)

IAM_003 = Rule(
    meta=RuleMeta(
        id="IAM-003",
        title="Nodes run as the provider's default identity",
        row="3",
        severity=Severity.MEDIUM,
        rationale=(
            "The Compute Engine default service account is shared by every VM in the project "
            "and has historically held the Editor role. Nodes running as it get far more than "
            "they need and share an identity with unrelated workloads, so neither least "
            "privilege nor attribution is possible."
        ),
    ),
    check=check_default_identity,
)

IAM_004 = Rule(
    meta=RuleMeta(
        id="IAM-004",
        title="Pods can read node credentials from instance metadata",
        row="3",
        severity=Severity.HIGH,
        rationale=(
            "The instance metadata service hands the node identity's credentials to whoever "
            "asks from the node. Unless pods are blocked from it, any pod (or an SSRF bug in "
            "one) can take the node's cloud permissions, which defeats per-workload identity "
            "and the separation the table asks for."
        ),
    ),
    check=check_metadata_credentials,
)

IAM_005 = Rule(
    meta=RuleMeta(
        id="IAM-005",
        title="No per-workload cloud identity",
        row="3",
        severity=Severity.MEDIUM,
        rationale=(
            "Without a per-workload identity, pods that call cloud APIs must use the node's "
            "identity or long-lived keys in Secrets. Either way every pod gets the union of "
            "all workloads' permissions. Workload identity gives each service account its own "
            "short-lived, auditable cloud credentials."
        ),
    ),
    check=check_workload_identity,
)

IAM_006 = Rule(
    meta=RuleMeta(
        id="IAM-006",
        title="Default identity with the full cloud API scope on nodes",
        row="3",
        severity=Severity.HIGH,
        rationale=(
            "On GKE, OAuth access scopes cap what a VM's service account can do. The "
            "cloud-platform scope removes that cap, so nodes running as the Compute Engine "
            "default service account can use every role that account holds, often Editor on "
            "the whole project."
        ),
    ),
    check=check_default_full_scope,
)

RULES = (IAM_001, IAM_002, IAM_003, IAM_004, IAM_005, IAM_006)
