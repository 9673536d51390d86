"""Three-valued judging shared by the checks: a fact is True, False, or not collected.

Every check meets the same cases, and every per-node-pool check the same sweep: some pool is
bad -> FAIL naming it; otherwise some pool cannot be ruled out -> ERROR with the collection
error's reason; otherwise PASS. Writing that once keeps each rule down to its own meaning and
makes the contract ("``None`` never passes") impossible to forget in a new rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from cloudposture.model import ClusterPosture, Evidence, Identity, NodePool, Severity
from cloudposture.model.posture import Section
from cloudposture.rules.base import Outcome, ev, failed, passed, unknown


def fact(section: Section, path: str, field: str) -> Evidence:
    """Evidence for ``section.field``, named by its dotted ``path`` in the posture."""
    return ev(f"{path}.{field}", getattr(section, field), section.source_of(field))


def pool_fact(pool: NodePool, field: str) -> Evidence:
    return ev(f"node_pools[{pool.name}].{field}", getattr(pool, field), pool.source_of(field))


def ingress_fact(pool: NodePool) -> Evidence:
    """Evidence for the pool's internet ingress, each rule shown as a readable description."""
    rules = pool.internet_ingress
    shown = None if rules is None else [r.describe() for r in rules]
    return ev(
        f"node_pools[{pool.name}].internet_ingress", shown, pool.source_of("internet_ingress")
    )


def identity_facts(pool: NodePool, field: str) -> tuple[Evidence, ...]:
    """Evidence for ``field`` of every identity the pool runs as, each named by its id.

    One item for the pool's ``identities`` itself when there is no identity to name: ``None``
    (not collected) or ``[]`` (the nodes run as none, so no identity holds ``field``).
    """
    identities = pool.identities
    if not identities:  # None: not collected; []: the nodes run as no cloud identity
        return (
            ev(f"node_pools[{pool.name}].identities", identities, pool.source_of("identities")),
        )
    return tuple(
        ev(
            f"node_pools[{pool.name}].identities[{identity.id}].{field}",
            getattr(identity, field),
            identity.source_of(field),
        )
        for identity in identities
    )


def any_identity(pool: NodePool, field: str) -> bool | None:
    """Kleene OR of a boolean identity field over the pool's identities: the worst decides.

    True when some identity has it; False when every identity is known not to (or the pool
    runs as none); None when the identities are unknown or one of them cannot be ruled out.
    """
    identities = pool.identities
    if identities is None:
        return None
    values = [getattr(identity, field) for identity in identities]
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def identities_with(pool: NodePool, field: str) -> list[Identity]:
    """The pool's identities whose boolean ``field`` is True (the ones a FAIL names)."""
    return [i for i in pool.identities or [] if getattr(i, field) is True]


def with_evidence(outcome: Outcome, *evidence: Evidence, note: str = "") -> Outcome:
    return replace(outcome, message=outcome.message + note, evidence=outcome.evidence + evidence)


def judge_flag(
    posture: ClusterPosture,
    evidence: Evidence,
    *,
    bad: bool,
    fail: str,
    ok: str,
    extra: Sequence[Evidence] = (),
) -> Outcome:
    """FAIL when the fact equals ``bad``, PASS on the other value, ERROR when not collected.

    ``evidence.fact`` is the model path, so the ERROR quotes the collection errors that list
    that path (or a parent of it) in ``affects``.
    """
    everything = (evidence, *extra)
    if evidence.value is None:
        return with_evidence(unknown(posture, evidence.fact), *everything)
    if evidence.value == bad:
        return failed(fail, *everything)
    return passed(ok, *everything)


@dataclass(frozen=True)
class Link:
    """One condition of a pool verdict: its generic model path, whether it holds, the proof."""

    path: str
    holds: bool | None
    evidence: Evidence
    more: tuple[Evidence, ...] = ()
    """Further proof of the same condition (one item per identity of a pool)."""


@dataclass(frozen=True)
class PoolVerdict:
    bad: bool | None
    """True: the pool fails; False: ruled out by a known fact; None: cannot be ruled out."""
    evidence: tuple[Evidence, ...] = ()
    unknown_facts: tuple[str, ...] = ()
    detail: str = ""
    severity: Severity | None = None


def all_hold(
    *links: Link,
    detail: str = "",
    severity: Severity | None = None,
    extra: Sequence[Evidence] = (),
) -> PoolVerdict:
    """Kleene AND: bad when every link holds, ruled out when any link is known not to hold."""
    values = [link.holds for link in links]
    bad: bool | None
    if any(v is False for v in values):
        bad = False
    elif all(v is True for v in values):
        bad = True
    else:
        bad = None
    return PoolVerdict(
        bad=bad,
        evidence=(*(e for link in links for e in (link.evidence, *link.more)), *extra),
        unknown_facts=tuple(link.path for link in links if link.holds is None),
        detail=detail,
        severity=severity,
    )


def flag_link(pool: NodePool, field: str) -> Link:
    """The pool's own boolean ``field`` as a link that holds when it is True."""
    evidence = pool_fact(pool, field)
    return Link(f"node_pools.{field}", evidence.value, evidence)


def identity_link(pool: NodePool, field: str) -> Link:
    """A boolean field judged over every identity of the pool (any one holding it holds),
    with one evidence item per identity."""
    evidence = identity_facts(pool, field)
    path = "node_pools.identities" if pool.identities is None else f"node_pools.identities.{field}"
    return Link(path, any_identity(pool, field), evidence[0], evidence[1:])


def judge_pools(
    posture: ClusterPosture,
    verdict: Callable[[NodePool], PoolVerdict],
    *,
    fail: str,
    ok: str,
) -> Outcome:
    """Sweep the node pools: FAIL names the bad ones, ERROR the ones that cannot be ruled out."""
    pools = posture.node_pools
    if pools is None:
        return with_evidence(unknown(posture, "node_pools"), ev("node_pools", None))
    if not pools:
        return passed("the cluster has no node pools", ev("node_pools", []))
    judged = [(pool, verdict(pool)) for pool in pools]
    bad = [(p, v) for p, v in judged if v.bad is True]
    if bad:
        details = "; ".join(f"{p.name} ({v.detail})" if v.detail else p.name for p, v in bad)
        raised = [v.severity for _, v in bad if v.severity is not None]
        severity = max(raised, key=lambda s: s.rank) if raised else None
        return failed(f"{fail}: {details}", *_evidence(bad), severity=severity)
    undecided = [(p, v) for p, v in judged if v.bad is None]
    if undecided:
        facts = dict.fromkeys(f for _, v in undecided for f in v.unknown_facts)
        names = ", ".join(p.name for p, _ in undecided)
        base = unknown(posture, *(facts or {"node_pools": None}))
        return with_evidence(base, *_evidence(undecided), note=f" (node pools: {names})")
    return passed(ok, *_evidence(judged))


def _evidence(judged: Sequence[tuple[NodePool, PoolVerdict]]) -> tuple[Evidence, ...]:
    return tuple(e for _, v in judged for e in v.evidence)
