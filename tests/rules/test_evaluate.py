"""evaluate / evaluate_all / error_findings: the one place findings are built."""

from __future__ import annotations

from datetime import UTC, datetime

from cloudposture_aws.guidance import EKS_RESTRICT_ENDPOINT

from cloudposture.model import ClusterPosture, Severity, Status, finding_uid
from cloudposture.rules.base import Outcome, Rule, RuleMeta, RuleSettings
from cloudposture.rules.catalog import ALL_RULES, get_rule
from cloudposture.rules.evaluate import error_findings, evaluate, evaluate_all
from cloudposture.rules.guidance import installed_guidance, with_guidance

from .builders import cluster_ref, good_posture, ingress, pool, with_pools

NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
SETTINGS = RuleSettings()


def _crash(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    raise ZeroDivisionError("division by zero\nsecond line")


CRASHING = Rule(
    meta=RuleMeta(
        id="X-001",
        title="Crashes",
        row="+",
        severity=Severity.LOW,
        rationale="Test rule. It crashes.",
    ),
    check=_crash,
)


def test_finding_from_a_failing_rule() -> None:
    posture = good_posture(
        endpoint=good_posture().endpoint.model_copy(
            update={"public_enabled": True, "authorized_cidrs": ["0.0.0.0/0"]}
        )
    )

    finding = evaluate(get_rule("CP-001"), posture, SETTINGS, scan_id="scan-1", now=NOW)

    ref = posture.ref
    assert finding.status is Status.FAIL
    assert finding.severity is Severity.CRITICAL
    assert finding.rule_id == "CP-001"
    assert finding.row == "1"
    assert finding.uid == finding_uid("aws", ref.account, ref.native_id, "CP-001")
    assert finding.resource.cluster == "prod"
    assert finding.resource.id == ref.native_id
    assert finding.resource.tags == {"team": "platform"}
    assert finding.remediation is None, "the fix stays with the provider's guidance"
    written = with_guidance(finding)
    assert written.remediation is not None
    assert written.remediation.terraform == "aws_eks_cluster.vpc_config.public_access_cidrs"
    assert written.references == [EKS_RESTRICT_ENDPOINT]
    assert written.model_copy(update={"remediation": None, "references": []}) == finding
    assert finding.scan_id == "scan-1"
    assert finding.created_at == NOW
    assert any(e.fact == "endpoint.authorized_cidrs" for e in finding.evidence)


def test_not_applicable_comes_from_the_provider_before_the_check() -> None:
    rule = get_rule("IAM-002")
    posture = good_posture("gcp", control_plane_identity=None)

    finding = evaluate(rule, posture, SETTINGS, scan_id="s", now=NOW)

    assert finding.status is Status.NOT_APPLICABLE
    assert finding.message == installed_guidance().not_applicable("IAM-002", "gcp")
    assert with_guidance(finding) == finding, "no fix for a rule that does not apply"


def test_outcome_severity_raises_the_default() -> None:
    posture = with_pools(pool(internet_ingress=[ingress("tcp", 10250)]))

    finding = evaluate(get_rule("NODE-002"), posture, SETTINGS, scan_id="s", now=NOW)

    assert finding.severity is Severity.CRITICAL
    assert get_rule("NODE-002").meta.severity is Severity.HIGH


def test_severity_override_wins() -> None:
    posture = with_pools(pool(internet_ingress=[ingress("tcp", 10250)]))
    overrides = {"NODE-002": Severity.LOW, "CP-001": Severity.INFO}

    node = evaluate(
        get_rule("NODE-002"), posture, SETTINGS, scan_id="s", now=NOW, severity_overrides=overrides
    )
    cp = evaluate(
        get_rule("CP-002"), posture, SETTINGS, scan_id="s", now=NOW, severity_overrides=overrides
    )

    assert node.severity is Severity.LOW
    assert cp.severity is Severity.MEDIUM


def test_a_crashing_rule_becomes_one_error_and_the_rest_still_run() -> None:
    rules = [get_rule("CP-002"), CRASHING, get_rule("NET-001")]

    findings = evaluate_all(good_posture(), rules, SETTINGS, scan_id="s", now=NOW)

    assert [f.rule_id for f in findings] == ["CP-002", "X-001", "NET-001"]
    assert [f.status for f in findings] == [Status.PASS, Status.ERROR, Status.PASS]
    assert findings[1].message == "rule crashed: ZeroDivisionError: division by zero second line"


def test_a_provider_that_is_not_installed_gets_no_guidance() -> None:
    posture = good_posture().model_copy(update={"ref": cluster_ref("no-such-cloud")})

    finding = evaluate(get_rule("CP-002"), posture, SETTINGS, scan_id="s", now=NOW)

    assert finding.status is Status.PASS
    assert with_guidance(finding) == finding


def test_uid_is_stable_across_scans_and_distinct_per_rule_and_cluster() -> None:
    rule = get_rule("LOG-001")
    first = evaluate(rule, good_posture(), SETTINGS, scan_id="a", now=NOW)
    second = evaluate(
        rule,
        good_posture(),
        SETTINGS,
        scan_id="b",
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )
    other_rule = evaluate(get_rule("LOG-002"), good_posture(), SETTINGS, scan_id="a", now=NOW)
    other_cluster = evaluate(
        rule,
        good_posture().model_copy(update={"ref": cluster_ref(name="staging")}),
        SETTINGS,
        scan_id="a",
        now=NOW,
    )

    assert first.uid == second.uid
    assert len({first.uid, other_rule.uid, other_cluster.uid}) == 3


def test_evaluate_all_follows_the_catalogue() -> None:
    findings = evaluate_all(good_posture(), ALL_RULES, SETTINGS, scan_id="s", now=NOW)

    assert [f.rule_id for f in findings] == [r.meta.id for r in ALL_RULES]
    assert {f.status for f in findings if f.rule_id in ("IAM-003", "IAM-006")} == {
        Status.NOT_APPLICABLE
    }
    assert {f.status for f in findings if f.rule_id not in ("IAM-003", "IAM-006")} == {Status.PASS}


def test_error_findings_for_an_unreadable_cluster() -> None:
    ref = cluster_ref("azure")
    reason = "aks:GetManagedCluster on prod failed (AuthorizationFailed):\n denied"

    findings = error_findings(ref, ALL_RULES, reason, scan_id="s", now=NOW)

    assert len(findings) == len(ALL_RULES)
    na = {f.rule_id for f in findings if f.status is Status.NOT_APPLICABLE}
    assert na == {"NODE-004", "IAM-003", "IAM-004", "IAM-006"}
    errors = [f for f in findings if f.status is Status.ERROR]
    assert len(errors) == len(ALL_RULES) - len(na)
    assert all(
        f.message == "cannot judge: aks:GetManagedCluster on prod failed (AuthorizationFailed): "
        "denied"
        for f in errors
    )
    assert all(f.uid == finding_uid("azure", ref.account, ref.native_id, f.rule_id) for f in errors)
