from __future__ import annotations

from datetime import date

import pytest

from cloudposture.config import SuppressionMatch, SuppressionRule
from cloudposture.model import Status
from cloudposture.nightly.suppressions import apply_suppressions, matches
from tests.nightly.factories import finding

TODAY = date(2030, 1, 1)


def rule(
    expires: date = date(2030, 6, 1), rule_id: str = "CP-002", **match: object
) -> SuppressionRule:
    return SuppressionRule(
        rule=rule_id,
        match=SuppressionMatch.model_validate(match),
        reason="accepted risk",
        owner="team-a",
        expires=expires,
    )


@pytest.mark.parametrize(
    ("match", "expected"),
    [
        ({}, True),
        ({"provider": "aws"}, True),
        ({"provider": "gcp"}, False),
        ({"account": "111111111111"}, True),
        ({"account": "222222222222"}, False),
        ({"region": "eu-*"}, True),
        ({"region": "us-*"}, False),
        ({"cluster": "dev-*"}, True),
        ({"cluster": "prod-*"}, False),
        ({"tags": {"env": "dev"}}, True),
        ({"tags": {"env": "d*"}}, True),
        ({"tags": {"env": "prod"}}, False),
        ({"tags": {"team": "x"}}, False),
        ({"cluster": "dev-*", "region": "us-*"}, False),
    ],
)
def test_every_given_key_must_match(match: dict[str, object], expected: bool) -> None:
    f = finding("dev-1", tags={"env": "dev"})
    assert matches(rule(**match), f) is expected


def test_rule_id_must_match() -> None:
    assert not matches(rule(rule_id="CP-001"), finding("dev-1"))
    assert matches(rule(rule_id="cp-002"), finding("dev-1"))


def test_fail_becomes_muted_with_reason_owner_and_expiry() -> None:
    out = apply_suppressions([finding("dev-1")], [rule(cluster="dev-*")], TODAY)
    (muted,) = out.findings
    assert muted.status is Status.MUTED
    assert muted.suppression is not None
    assert (muted.suppression.reason, muted.suppression.owner) == ("accepted risk", "team-a")
    assert muted.suppression.expires == date(2030, 6, 1)
    assert out.muted == 1
    assert out.warnings == []


@pytest.mark.parametrize("status", [Status.ERROR, Status.PASS, Status.NOT_APPLICABLE])
def test_only_fail_is_ever_muted(status: Status) -> None:
    out = apply_suppressions([finding("dev-1", status=status)], [rule()], TODAY)
    assert out.findings[0].status is status
    assert out.findings[0].suppression is None


def test_live_on_its_expiry_day_and_expired_the_day_after() -> None:
    on_the_day = apply_suppressions([finding("a")], [rule(expires=TODAY)], TODAY)
    assert on_the_day.findings[0].status is Status.MUTED
    after = apply_suppressions(
        [finding("a"), finding("b")], [rule(expires=date(2029, 12, 31))], TODAY
    )
    assert [f.status for f in after.findings] == [Status.FAIL, Status.FAIL]
    assert after.warnings == [
        "suppression #1 (CP-002, owner team-a) expired on 2029-12-31: 2 finding(s) it used to "
        "mute are reported as FAIL again"
    ]


def test_expired_suppression_matching_nothing_still_warns_and_live_one_wins() -> None:
    rules = [
        rule(expires=date(2029, 1, 1), cluster="gone-*"),
        rule(expires=date(2029, 1, 1)),
        rule(),
    ]
    out = apply_suppressions([finding("a")], rules, TODAY)
    assert out.findings[0].status is Status.MUTED
    assert len(out.warnings) == 2
    assert out.warnings[0].startswith("suppression #2 ")
    assert out.warnings[1].endswith("expired on 2029-01-01 and matched nothing")
