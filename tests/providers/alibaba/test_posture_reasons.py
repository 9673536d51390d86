"""The ACK adapter's reasons for a None reach the posture and the findings that read it.

The posture contract (tests/contract) proves every None is explained; these tests pin the
explanations themselves, so a reason that goes missing or stops reaching a finding shows here.
"""

from __future__ import annotations

import pytest
from cloudposture_alibaba import normalize as n
from cloudposture_alibaba.node_pools import NOT_ON_ACK

from cloudposture.model import ClusterPosture, Status
from tests.providers.alibaba.fixtures import MASTER_ROLE, key
from tests.providers.alibaba.judge import check_message, outcomes
from tests.providers.alibaba.posture_scenarios import scenario_postures


@pytest.fixture(scope="module")
def postures() -> dict[str, ClusterPosture]:
    return {p.ref.name: p for p in scenario_postures()}


def test_gke_only_facts_are_not_applicable_on_every_ack_pool(
    postures: dict[str, ClusterPosture],
) -> None:
    good = postures["ack-good"]
    (pool,) = good.node_pools or []
    assert pool.full_cloud_api_scope is None
    assert pool.not_applicable == NOT_ON_ACK
    assert good.endpoint.not_applicable == {"provider_ranges_allowed": n.NO_PROVIDER_RANGES}
    assert good.reason_unknown("endpoint.provider_ranges_allowed") == n.NO_PROVIDER_RANGES


def test_the_control_plane_identity_is_not_applicable_for_managed_and_dedicated(
    postures: dict[str, ClusterPosture],
) -> None:
    for name, kind in (("ack-good", n.MANAGED), ("ack-dedicated", n.DEDICATED)):
        posture = postures[name]
        assert posture.control_plane_identity is None
        reason = n.CONTROL_PLANE_IDENTITY[kind]
        assert posture.not_applicable == {"control_plane_identity": reason}
        assert posture.reason_unknown("control_plane_identity") == reason


def test_a_key_answer_without_automatic_rotation_is_an_error_that_says_so(
    postures: dict[str, ClusterPosture],
) -> None:
    posture = postures["ack-no-pools"]
    assert posture.secrets_encryption.rotation_enabled is None
    assert outcomes(posture)["ENC-002"] == Status.ERROR
    assert check_message(posture, "ENC-002") == (
        "cannot judge: kms:DescribeKey KeyMetadata.AutomaticRotation is absent"
    )


def test_logs_shipped_to_no_named_project_leave_the_destination_unknown(
    postures: dict[str, ClusterPosture],
) -> None:
    logs = postures["ack-unreadable"].logging
    assert (logs.audit_enabled, logs.components, logs.destination) == (True, ["apiserver"], None)
    assert logs.unknown_reasons == {"destination": n.NO_LOG_PROJECT}


def test_a_failed_log_read_names_the_destination_among_its_facts(
    postures: dict[str, ClusterPosture],
) -> None:
    errors = {e.call: e.affects for e in postures["ack-denied"].collection_errors}
    assert "logging.destination" in errors["cs:CheckControlPlaneLogEnable"]
    assert "logging.destination" in errors["cs:GetClusterAuditProject"]


def test_the_dedicated_masters_role_is_read_from_the_master_instances(
    postures: dict[str, ClusterPosture],
) -> None:
    masters = next(p for p in postures["ack-dedicated"].node_pools or [] if p.name == "masters")
    (identity,) = masters.identities or []
    assert identity.id.endswith(f":role/{MASTER_ROLE}")
    assert identity.admin_equivalent is False
    assert "ecs:DescribeInstanceRamRole" in identity.sources["id"]
    assert masters.unknown_reasons == {}  # nothing left unexplained in the normal case


def test_iam_001_judges_a_dedicated_clusters_masters_like_any_pool(
    postures: dict[str, ClusterPosture],
) -> None:
    assert outcomes(postures["ack-dedicated"])["IAM-001"] == Status.PASS


@pytest.mark.parametrize(
    ("rotation", "interval", "days", "unknown"),
    [
        ("Enabled", "31536000s", 365, {}),
        ("Enabled", None, None, {"rotation_period_days"}),
        ("Disabled", None, None, set()),  # implied by rotation off
        (None, None, None, {"rotation_enabled", "rotation_period_days"}),
    ],
)
def test_the_rotation_period_is_read_or_said_to_be_absent(
    rotation: str | None, interval: str | None, days: int | None, unknown: set[str]
) -> None:
    body = key()
    meta = body["KeyMetadata"]
    for field, value in (("AutomaticRotation", rotation), ("RotationInterval", interval)):
        if value is None:
            del meta[field]
        else:
            meta[field] = value
    facts = n.key_facts(body)
    assert facts.rotation_days == days
    assert set(facts.unknown) == set(unknown)
