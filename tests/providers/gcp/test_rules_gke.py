"""Every rule that applies to GKE, judged on postures the adapter built from the fake API.

The issue's cluster set covers each rule's PASS and FAIL; the table below is the exact set of
FAILs each cluster deserves, and a sweep checks that every applicable rule has both outcomes.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cloudposture.model import ClusterPosture, Finding, Status
from cloudposture.plugin import Target
from cloudposture.rules.base import RuleSettings
from cloudposture.rules.catalog import ALL_RULES
from cloudposture.rules.evaluate import evaluate_all
from tests.providers.gcp.conftest import make_scanner
from tests.providers.gcp.fake_api import FakeGoogleApi, World, permission_denied
from tests.providers.gcp.fixtures import DEV, KEY_STATIC, PROD

EXPECTED_FAILS = {
    "payments": set(),
    "legacy-web": {
        "CP-001", "CP-002", "CP-003", "CP-004", "NODE-001", "NODE-002", "IAM-001", "IAM-003",
        "IAM-004", "IAM-005", "IAM-006", "ENC-001", "LOG-001", "LOG-002", "VER-001", "NET-001",
        "PATH-001",
    },
    "partner-api": {"CP-002", "CP-003", "NODE-003", "IAM-001", "ENC-002", "LOG-002"},
    "ops": {"CP-002", "IAM-003", "IAM-004", "LOG-001"},
    "autopilot-dev": {
        "CP-001", "CP-002", "CP-003", "NODE-001", "IAM-003", "IAM-006", "ENC-001", "LOG-001",
        "LOG-002",
    },
}  # fmt: skip
NOT_APPLICABLE_ON_GKE = {"IAM-002", "NODE-004"}


def _postures(api: FakeGoogleApi) -> list[ClusterPosture]:
    scanner = make_scanner(api, PROD, DEV)
    return [
        scanner.collect(ref)
        for project in (PROD, DEV)
        for ref in scanner.discover(Target(provider="gcp", account=project, region="-"))
    ]


def _findings(posture: ClusterPosture) -> list[Finding]:
    return evaluate_all(posture, ALL_RULES, RuleSettings(), scan_id="t", now=datetime.now(UTC))


def test_each_cluster_fails_exactly_the_rules_it_deserves(api: FakeGoogleApi) -> None:
    got = {}
    for posture in _postures(api):
        findings = _findings(posture)
        got[posture.ref.name] = {f.rule_id for f in findings if f.status is Status.FAIL}
        assert not [f for f in findings if f.status is Status.ERROR], posture.ref.name
        na = {f.rule_id for f in findings if f.status is Status.NOT_APPLICABLE}
        assert na >= NOT_APPLICABLE_ON_GKE
    assert got == EXPECTED_FAILS


def test_every_rule_that_applies_to_gke_has_a_pass_and_a_fail(api: FakeGoogleApi) -> None:
    outcomes: dict[str, set[Status]] = {}
    for posture in _postures(api):
        for finding in _findings(posture):
            outcomes.setdefault(finding.rule_id, set()).add(finding.status)
    applicable = {r.meta.id for r in ALL_RULES} - NOT_APPLICABLE_ON_GKE
    missing = {
        rule: sorted(outcomes.get(rule, set()))
        for rule in sorted(applicable)
        if not {Status.PASS, Status.FAIL} <= outcomes.get(rule, set())
    }
    # ETCD-001 is provider-managed on GKE: it can only PASS (there is nothing to misconfigure).
    assert missing == {"ETCD-001": [Status.PASS]}
    assert {Status.NOT_APPLICABLE} == outcomes["IAM-002"] == outcomes["NODE-004"]


def test_failed_reads_turn_into_error_findings_never_pass(api: FakeGoogleApi, world: World) -> None:
    world.errors[("cloudkms:GetCryptoKey", KEY_STATIC)] = (
        403,
        permission_denied("cloudkms.cryptoKeys.get", KEY_STATIC),
    )
    del world.policies[PROD]
    (partner,) = [p for p in _postures(api) if p.ref.name == "partner-api"]
    by_rule = {f.rule_id: f for f in _findings(partner)}
    for rule in ("IAM-001", "LOG-001", "ENC-002"):
        assert by_rule[rule].status is Status.ERROR, rule
    assert "resourcemanager:GetIamPolicy" in by_rule["IAM-001"].message
    assert "cloudkms:GetCryptoKey" in by_rule["ENC-002"].message
    assert by_rule["CP-003"].status is Status.FAIL  # unaffected facts are still judged


@pytest.mark.parametrize("rule_id", ["NODE-002", "PATH-001"])
def test_firewall_evidence_names_the_rule_that_opens_ssh(api: FakeGoogleApi, rule_id: str) -> None:
    (legacy,) = [p for p in _postures(api) if p.ref.name == "legacy-web"]
    (finding,) = [f for f in _findings(legacy) if f.rule_id == rule_id]
    text = finding.model_dump_json()
    assert "allow-ssh-from-anywhere" in text
