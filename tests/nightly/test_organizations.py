"""Organization discovery and assume-role fan-out against moto (Organizations, STS, IAM)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from cloudposture_aws.assumed_role import RefreshWindow
from cloudposture_aws.clients import AwsSettings, ClientFactory, base_session
from cloudposture_aws.organizations import OrganizationSettings, organization_scanners
from cloudposture_aws.plugin import plugin

from cloudposture.engine import ScanOptions, run_scan
from cloudposture.model import Status
from cloudposture.plugin import ProviderScanner
from cloudposture.rules.catalog import RULES_BY_ID
from tests.nightly.moto_estate import MANAGEMENT, ROLE, Estate, moto_organization
from tests.providers.aws.support import Recorder


@pytest.fixture(scope="module")
def estate() -> Iterator[Estate]:
    with moto_organization({"web": True, "db": False}) as e:
        yield e


def _settings(estate: Estate, **org: object) -> dict[str, object]:
    return {
        "aws_access_key_id": estate.access_key,
        "aws_secret_access_key": estate.secret_key,
        "endpoint_url": estate.endpoint,
        "region": ("eu-west-1",),
        "organization_role": ROLE,
        **org,
    }


@pytest.mark.slow
def test_one_scanner_per_active_member_labelled_with_its_account(estate: Estate) -> None:
    scanners = plugin.scanners(_settings(estate), 4)
    labels = [getattr(s, "label", "") for s in scanners]
    assert labels == sorted([MANAGEMENT, *estate.members, estate.unreachable])
    only = plugin.scanners(_settings(estate, organization_include=(estate.members[0],)), 4)
    assert [getattr(s, "label", "") for s in only] == [estate.members[0]]
    without = plugin.scanners(
        _settings(estate, organization_exclude=(MANAGEMENT, estate.unreachable)), 4
    )
    assert [getattr(s, "label", "") for s in without] == sorted(estate.members)


@pytest.mark.slow
def test_unassumable_member_is_a_coverage_error_the_others_complete(estate: Estate) -> None:
    scanners = plugin.scanners(_settings(estate, organization_exclude=(MANAGEMENT,)), 4)
    assert_members_scanned_unreachable_recorded(estate, scanners)


@pytest.mark.slow
def test_members_reached_late_renew_their_assumed_credentials(estate: Estate) -> None:
    """A refresh window wider than the credentials' hour: every use finds them near expiry,
    as a member scanned late in a long fan-out would, and botocore assumes the role again."""
    settings = _settings(estate, organization_exclude=(MANAGEMENT,))
    aws = AwsSettings.from_mapping(settings)
    org = OrganizationSettings.from_mapping(settings)
    assert org is not None
    always_near_expiry = RefreshWindow(advisory_seconds=7200, mandatory_seconds=7200)
    clients = ClientFactory(base_session(aws), aws, 4, always_near_expiry)
    recorder = Recorder()
    clients.register("before-call", recorder)
    scanners = organization_scanners(aws, org, clients)
    assert [s.label for s in scanners] == sorted([*estate.members, estate.unreachable])
    assert_members_scanned_unreachable_recorded(estate, scanners)
    # one eager AssumeRole per scanner, then renewals for the two members that were scanned
    assert recorder.count("sts:AssumeRole") > len(scanners) + 2 * len(estate.members)


def assert_members_scanned_unreachable_recorded(
    estate: Estate, scanners: Sequence[ProviderScanner]
) -> None:
    options = ScanOptions(rules=[RULES_BY_ID["CP-002"]], max_workers=4, setup_errors="record")
    result = run_scan(scanners, options)
    # per-cluster entries (moto has no eks:ListAddons) are not what this test is about
    units = [c for c in result.scan.coverage if c.cluster is None]
    errors = [c for c in units if c.status == "error"]
    assert [(c.account, c.region) for c in errors] == [(estate.unreachable, "*")]
    assert f"cannot assume role arn:aws:iam::{estate.unreachable}:role/{ROLE}" in errors[0].reason
    ok = {(c.account, c.region) for c in units if c.status == "ok"}
    assert ok == {(m, "eu-west-1") for m in estate.members}
    verdicts = {(f.resource.account, f.resource.cluster): f.status for f in result.findings}
    assert verdicts == {
        (m, name): status
        for m in estate.members
        for name, status in (("web", Status.FAIL), ("db", Status.PASS))
    }
