"""Table-driven: each hand-built posture gets exactly the expected status from its rule."""

from __future__ import annotations

import pytest

from cloudposture.model import Status
from cloudposture.rules.base import RuleSettings
from cloudposture.rules.catalog import ALL_RULES, get_rule

from .all_cases import ALL_CASES
from .builders import Case, good_posture, ingress, pool, with_pools


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: f"{c.rule}:{c.id}")
def test_rule_case(case: Case) -> None:
    outcome = get_rule(case.rule).check(case.posture, case.settings)

    assert outcome.status is case.status, outcome.message
    for text in case.contains:
        assert text in outcome.message
    assert outcome.severity == case.severity
    assert "\n" not in outcome.message


@pytest.mark.parametrize(
    "case", [c for c in ALL_CASES if c.status is Status.ERROR], ids=lambda c: f"{c.rule}:{c.id}"
)
def test_error_says_why(case: Case) -> None:
    """An ERROR quotes the collection error that left its fact unknown, when there is one."""
    outcome = get_rule(case.rule).check(case.posture, case.settings)

    assert outcome.message.startswith("cannot judge: ")
    if case.posture.collection_errors:
        lines = [e.one_line() for e in case.posture.collection_errors]
        assert any(line in outcome.message for line in lines)


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: f"{c.rule}:{c.id}")
def test_every_outcome_carries_evidence(case: Case) -> None:
    outcome = get_rule(case.rule).check(case.posture, case.settings)

    assert outcome.evidence
    assert all(e.fact for e in outcome.evidence)


def test_evidence_names_the_api_path() -> None:
    outcome = get_rule("CP-002").check(good_posture(), RuleSettings())

    public = next(e for e in outcome.evidence if e.fact == "endpoint.public_enabled")
    assert public.value is False
    assert public.source == "eks:DescribeCluster endpointPublicAccess"


def test_pool_evidence_names_the_pool_and_source() -> None:
    outcome = get_rule("NODE-001").check(good_posture(), RuleSettings())

    assert [(e.fact, e.value, e.source) for e in outcome.evidence] == [
        ("node_pools[ng-1].public_ip", False, "ec2:DescribeSubnets MapPublicIpOnLaunch")
    ]


def test_baseline_passes_every_rule() -> None:
    posture = good_posture()
    statuses = {r.meta.id: r.check(posture, RuleSettings()).status for r in ALL_RULES}

    assert {rule for rule, status in statuses.items() if status is not Status.PASS} == set()


def test_ingress_evidence_shows_every_rule_not_just_the_failing_ones() -> None:
    rules = [ingress("tcp", 443), ingress("icmp", origin="sg-icmp")]
    outcome = get_rule("NODE-002").check(with_pools(pool(internet_ingress=rules)), RuleSettings())

    assert outcome.status is Status.PASS
    shown = next(e.value for e in outcome.evidence if e.fact.endswith("internet_ingress"))
    assert shown == ["tcp/443 from 0.0.0.0/0 (sg-0abc)", "icmp/all from 0.0.0.0/0 (sg-icmp)"]
