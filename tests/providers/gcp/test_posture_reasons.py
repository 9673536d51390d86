"""GKE's not-applicable and unknown reasons, and where a finding shows them.

The posture contract checks that every ``None`` is explained; these tests pin *which*
explanation GKE gives, so a regression shows here, next to the adapter, with a readable diff.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cloudposture_gcp.node_pools import AUTOPILOT_HAS_NO_SSH, SSH_IS_A_FIREWALL_RULE
from cloudposture_gcp.normalize import CONTROL_PLANE_IDENTITY_IS_GOOGLES
from cloudposture_gcp.versions import NO_VERSION_REPORTED

from cloudposture.model import ClusterPosture, Finding, Status
from cloudposture.plugin import Target
from cloudposture.rules.base import RuleSettings
from cloudposture.rules.catalog import ALL_RULES
from cloudposture.rules.evaluate import evaluate_all
from cloudposture.rules.row2_nodes import NODE_004
from cloudposture.rules.row3_cloud_api import IAM_002
from tests.providers.gcp.conftest import make_scanner
from tests.providers.gcp.fake_api import FakeGoogleApi, World
from tests.providers.gcp.fixtures import DEV, PROD
from tests.providers.gcp.posture_scenarios import provisioning


def _postures(api: FakeGoogleApi) -> dict[str, ClusterPosture]:
    scanner = make_scanner(api, PROD, DEV)
    return {
        ref.name: scanner.collect(ref)
        for project in (PROD, DEV)
        for ref in scanner.discover(Target(provider="gcp", account=project, region="-"))
    }


def _findings(posture: ClusterPosture) -> dict[str, Finding]:
    found = evaluate_all(posture, ALL_RULES, RuleSettings(), scan_id="t", now=datetime.now(UTC))
    return {f.rule_id: f for f in found}


def test_the_control_plane_identity_and_pool_ssh_do_not_exist_on_gke(api: FakeGoogleApi) -> None:
    postures = _postures(api)
    for name, posture in postures.items():
        assert posture.control_plane_identity is None
        assert posture.not_applicable == {
            "control_plane_identity": CONTROL_PLANE_IDENTITY_IS_GOOGLES
        }, name
        for pool in posture.node_pools or []:
            why = AUTOPILOT_HAS_NO_SSH if pool.kind == "autopilot" else SSH_IS_A_FIREWALL_RULE
            assert (pool.ssh_access, pool.ssh_source_restricted) == (None, None)
            assert pool.not_applicable == {"ssh_access": why, "ssh_source_restricted": why}
    kinds = {p.kind for posture in postures.values() for p in posture.node_pools or []}
    assert kinds == {"managed", "autopilot"}


def test_the_rules_that_read_them_stay_not_applicable_and_would_say_why(
    api: FakeGoogleApi,
) -> None:
    payments = _postures(api)["payments"]
    findings = _findings(payments)
    assert findings["IAM-002"].status is Status.NOT_APPLICABLE
    assert findings["NODE-004"].status is Status.NOT_APPLICABLE
    # Were IAM-002 run on GKE anyway, its ERROR would give the adapter's reason, not the
    # generic "not collected" that sends a reviewer looking for a failed call.
    outcome = IAM_002.check(payments, RuleSettings())
    assert outcome.status is Status.ERROR
    assert outcome.message == f"cannot judge: {CONTROL_PLANE_IDENTITY_IS_GOOGLES}"


def test_a_pool_level_reason_reaches_the_finding(api: FakeGoogleApi) -> None:
    """NODE-004 is NOT_APPLICABLE on GKE; run anyway, it says why rather than "not collected"."""
    outcome = NODE_004.check(_postures(api)["payments"], RuleSettings())
    assert outcome.status is Status.ERROR
    assert SSH_IS_A_FIREWALL_RULE in outcome.message


def test_a_cluster_without_a_version_yet_is_an_error_that_says_so(
    api: FakeGoogleApi, world: World
) -> None:
    world.clusters[DEV].append(provisioning())
    posture = _postures(api)["autopilot-new"]
    assert posture.collection_errors == []
    assert posture.version.version is None
    assert posture.version.unknown_reasons["standard_support"] == NO_VERSION_REPORTED
    finding = _findings(posture)["VER-001"]
    assert finding.status is Status.ERROR
    assert finding.message.startswith(f"cannot judge: {NO_VERSION_REPORTED}")
