"""The diff between runs: new / regressed / persisting / resolved / stale, and first_seen."""

from __future__ import annotations

from datetime import timedelta

from cloudposture.model import Finding, Status
from cloudposture.nightly.history import build_ledger, diff_run, merge_previous_open
from tests.nightly.factories import T0, failed, finding, ok

DAY = timedelta(days=1)


def night(
    n: int,
    current: list[Finding],
    previous: list[Finding],
    history: list[Finding],
    coverage: list | None = None,  # type: ignore[type-arg]
):  # type: ignore[no-untyped-def]
    at = T0 + n * DAY
    return diff_run(current, coverage or [ok()], previous, build_ledger(history), at)


def uids(findings: list[Finding]) -> set[str]:
    return {f.uid for f in findings}


def test_three_runs_appear_disappear_return() -> None:
    a1, b1 = finding("a"), finding("b")
    run1 = night(0, [a1, b1], [], [])
    assert uids(run1.new) == {a1.uid, b1.uid}
    assert all(f.first_seen == T0 and f.last_seen == T0 for f in run1.findings)
    history = list(run1.findings)

    # night 2: b is fixed (PASS), a persists, c appears
    a2, b2, c2 = finding("a", at=T0 + DAY), finding("b", status=Status.PASS), finding("c")
    run2 = night(1, [a2, b2, c2], run1.findings, history)
    assert uids(run2.persisting) == {a2.uid}
    assert uids(run2.resolved) == {b1.uid}
    assert uids(run2.new) == {c2.uid}
    assert run2.regressed == []
    assert run2.stale == []
    stamped = {f.uid: f for f in run2.findings}
    assert stamped[a2.uid].first_seen == T0
    assert stamped[a2.uid].last_seen == T0 + DAY
    assert stamped[b2.uid].first_seen == T0
    assert stamped[b2.uid].last_seen == T0
    history += run2.findings

    # night 3: b comes back (regressed, keeps its first_seen), c disappears with its cluster
    a3, b3 = finding("a"), finding("b")
    run3 = night(2, [a3, b3], run2.findings, history)
    assert uids(run3.regressed) == {b3.uid}
    assert uids(run3.persisting) == {a3.uid}
    assert uids(run3.resolved) == {c2.uid}
    assert run3.new == []
    back = next(f for f in run3.findings if f.uid == b3.uid)
    assert back.first_seen == T0
    assert back.last_seen == T0 + 2 * DAY
    assert run3.counts() == {"new": 0, "regressed": 1, "persisting": 1, "resolved": 1, "stale": 0}


def test_a_failed_account_resolves_nothing_its_findings_go_stale_and_stay_open() -> None:
    a = finding("a")
    other = finding("x", account="222222222222")
    run1 = night(0, [a, other], [], [], [ok(), ok("222222222222")])
    # night 2: account 1's role cannot be assumed: no findings, a setup error
    run2 = night(
        1,
        [finding("x", account="222222222222")],
        run1.findings,
        run1.findings,
        [failed(), ok("222222222222")],
    )
    assert uids(run2.stale) == {a.uid}
    assert run2.resolved == []
    # night 3: still failing: the finding carried as stale stays open
    carried = merge_previous_open(run2.findings, run2.stale)
    run3 = night(2, [], carried, run1.findings + run2.findings, [failed(), failed("222222222222")])
    assert uids(run3.stale) == {a.uid, other.uid}
    # night 4: account readable again, a still failing: persisting, first_seen kept
    run4 = night(
        3,
        [finding("a")],
        merge_previous_open(run3.findings, run3.stale),
        run1.findings + run2.findings,
        [ok(), ok("222222222222")],
    )
    assert uids(run4.persisting) == {a.uid}
    assert run4.findings[0].first_seen == T0
    assert uids(run4.resolved) == {other.uid}


def test_resolved_needs_the_region_listed_and_the_cluster_readable() -> None:
    a = finding("a")
    prev = night(0, [a], [], []).findings
    cases = {
        "region failed": [failed(region="eu-west-1")],
        "other region only": [ok(region="us-east-1")],
        "cluster unreadable": [ok(), failed(region="eu-west-1", cluster="a")],
        "nothing": [],
    }
    for name, coverage in cases.items():
        diff = diff_run([], coverage, prev, build_ledger(prev), T0 + DAY)
        assert uids(diff.stale) == {a.uid}, name
    wildcard = diff_run([], [ok(region="-")], prev, build_ledger(prev), T0 + DAY)
    assert uids(wildcard.resolved) == {a.uid}


def test_error_or_unrun_rule_is_stale_not_resolved() -> None:
    a = finding("a")
    prev = night(0, [a], [], []).findings
    error = night(1, [finding("a", status=Status.ERROR)], prev, prev)
    assert uids(error.stale) == {a.uid}
    assert error.findings[0].first_seen == T0  # history shown on the ERROR too
    skipped = diff_run([], [ok()], prev, build_ledger(prev), T0 + DAY, rule_ids=["CP-001"])
    assert uids(skipped.stale) == {a.uid}


def test_muted_counts_as_open_and_not_applicable_closes() -> None:
    a = finding("a")
    prev = night(0, [a], [], []).findings
    muted = night(1, [finding("a", status=Status.MUTED)], prev, prev)
    assert uids(muted.persisting) == {a.uid}
    gone = night(1, [finding("a", status=Status.NOT_APPLICABLE)], prev, prev)
    assert uids(gone.resolved) == {a.uid}
