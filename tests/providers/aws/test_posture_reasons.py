"""The adapter's not-applicable and unknown reasons, seen where a reviewer meets them.

The posture contract (tests/contract) checks that every ``None`` has a reason; these check that
the reasons say the right thing and reach the findings, through real boto3 against the demo
world behind the EKS front. Each test puts back whatever it changes in the shared front.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cloudposture_aws import normalize
from cloudposture_aws.collector import NO_OAUTH_SCOPES
from cloudposture_aws.emulator import EksFront

from cloudposture.engine import ScanOptions, run_scan
from cloudposture.model import ClusterPosture, Finding, Status
from cloudposture.rules.catalog import ALL_RULES

from .support import scanner

pytestmark = pytest.mark.slow
EAST = "us-east-1"


def findings(front: EksFront, cluster: str) -> dict[str, Finding]:
    aws = scanner({"endpoint_url": front.url, "region": (EAST,)})
    result = run_scan([aws], ScanOptions(rules=ALL_RULES, max_workers=4))
    return {f.rule_id: f for f in result.findings if f.resource.cluster == cluster}


def posture_of(front: EksFront, cluster: str) -> ClusterPosture:
    aws = scanner({"endpoint_url": front.url, "region": (EAST,)})
    [target] = aws.targets()
    [ref] = [r for r in aws.discover(target) if r.name == cluster]
    return aws.collect(ref)


@pytest.fixture
def unreadable_version(clean_front: EksFront) -> Iterator[EksFront]:
    """analytics-dev answering a version string no release calendar knows."""
    key = (EAST, "analytics-dev")
    before = clean_front.extras.cluster_patches[key]
    clean_front.extras.cluster_patches[key] = before | {"version": "latest"}
    yield clean_front
    clean_front.extras.cluster_patches[key] = before


def test_unreadable_version_is_an_error_naming_why(unreadable_version: EksFront) -> None:
    by_rule = findings(unreadable_version, "analytics-dev")
    version = by_rule["VER-001"]
    assert version.status is Status.ERROR
    assert version.message == f"cannot judge: {normalize.VERSION_NOT_READABLE}"
    assert by_rule["ENC-001"].status is Status.FAIL  # no customer key, whatever the version


@pytest.fixture
def custom_ami(clean_front: EksFront) -> Iterator[EksFront]:
    """analytics-dev's only node group (no launch template, no running node) on a CUSTOM AMI,
    whose instance-metadata defaults EKS does not document."""
    key = (EAST, "analytics-dev", "workers")
    before = clean_front.extras.nodegroup_patches[key]
    clean_front.extras.nodegroup_patches[key] = before | {"amiType": "CUSTOM"}
    yield clean_front
    clean_front.extras.nodegroup_patches[key] = before


def test_undocumented_metadata_default_is_an_error_naming_why(custom_ami: EksFront) -> None:
    by_rule = findings(custom_ami, "analytics-dev")
    imds = by_rule["IAM-004"]
    assert imds.status is Status.ERROR
    assert "cannot judge" in imds.message
    assert "the default for amiType CUSTOM depends on the AMI" in imds.message
    assert "not collected" not in imds.message


def test_provider_ranges_are_declared_not_applicable(clean_front: EksFront) -> None:
    posture = posture_of(clean_front, "analytics-dev")
    assert posture.endpoint.provider_ranges_allowed is None
    assert posture.collection_errors == []  # nothing failed: the fact simply does not exist
    assert posture.reason_unknown("endpoint.provider_ranges_allowed") == (
        normalize.NO_PROVIDER_RANGES
    )


def test_oauth_scopes_are_declared_not_applicable(clean_front: EksFront) -> None:
    posture = posture_of(clean_front, "analytics-dev")
    assert posture.node_pools is not None
    assert [p.not_applicable for p in posture.node_pools] == [
        {"full_cloud_api_scope": NO_OAUTH_SCOPES}
    ]
    # the only rule reading the scope (IAM-006) is itself not applicable on EKS, so only the
    # posture's own answer shows the reason
    (pool,) = posture.node_pools
    assert posture.reason_unknown("node_pools.full_cloud_api_scope") == (
        f"{NO_OAUTH_SCOPES} (pool {pool.name})"
    )


def test_rotation_period_is_read_from_get_key_rotation_status(clean_front: EksFront) -> None:
    posture = posture_of(clean_front, "payments-prod")
    enc = posture.secrets_encryption
    assert (enc.rotation_enabled, enc.rotation_period_days) == (True, 365)
    assert "RotationPeriodInDays" in enc.source_of("rotation_period_days")
    health = findings(clean_front, "payments-prod")["ENC-002"]
    assert health.status is Status.PASS
    assert health.message.endswith("rotates automatically every 365 days")
