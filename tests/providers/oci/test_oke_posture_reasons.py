"""Why an OKE fact is None reaches the finding: not-applicable facts, facts the API left out,
and failed reads whose ``affects`` name every fact they leave unknown."""

from __future__ import annotations

from cloudposture_oci.node_pools import NO_NODES
from cloudposture_oci.normalize import NO_CLUSTER_TYPE
from cloudposture_oci.not_on_oke import (
    NO_LOCAL_CREDENTIALS,
    NO_OAUTH_SCOPES,
    ORACLE_MANAGED_CONTROL_PLANE,
)

from cloudposture.model import ClusterPosture, Status
from cloudposture.model.completeness import unexplained_fields
from cloudposture.rules.base import RuleSettings
from cloudposture.rules.row3_cloud_api import IAM_002
from tests.providers.oci.conftest import Credentials, make_scanner
from tests.providers.oci.fake_oci import FakeOci, World
from tests.providers.oci.judging import outcomes
from tests.providers.oci.oke_world import ASHBURN
from tests.providers.oci.posture_scenarios import SCENARIOS


def scan(api: FakeOci, credentials: Credentials) -> dict[str, ClusterPosture]:
    scanner = make_scanner(api, credentials, region=[ASHBURN])
    return {
        ref.name: scanner.collect(ref) for t in scanner.targets() for ref in scanner.discover(t)
    }


def test_facts_that_do_not_exist_on_oke_say_so(api: FakeOci, credentials: Credentials) -> None:
    posture = scan(api, credentials)["open"]
    assert posture.not_applicable == {"control_plane_identity": ORACLE_MANAGED_CONTROL_PLANE}
    assert posture.authentication.idp_enabled is True
    assert posture.authentication.not_applicable == {
        "local_credentials_enabled": NO_LOCAL_CREDENTIALS
    }
    (pool,) = posture.node_pools or []
    assert pool.not_applicable == {"full_cloud_api_scope": NO_OAUTH_SCOPES}
    # The engine reports IAM-002 NOT_APPLICABLE on OKE; the rule itself, asked anyway, now
    # says why instead of "control_plane_identity not collected".
    outcome = IAM_002.check(posture, RuleSettings())
    assert outcome.status == Status.ERROR
    assert outcome.message == f"cannot judge: {ORACLE_MANAGED_CONTROL_PLANE}"


def test_a_cluster_without_a_type_is_an_error_with_that_reason(
    api: FakeOci, world: World, credentials: Credentials
) -> None:
    SCENARIOS["odd"](world)
    postures = scan(api, credentials)
    legacy = postures["legacy"]
    outcome = outcomes(legacy)["IAM-005"]
    assert outcome.status == Status.ERROR
    assert outcome.message == f"cannot judge: {NO_CLUSTER_TYPE}"
    (empty,) = legacy.node_pools or []
    assert empty.unknown_reasons["metadata_credentials_exposed"] == NO_NODES
    assert {name: unexplained_fields(p) for name, p in postures.items()} == {
        name: [] for name in postures
    }


def test_an_unreadable_worker_subnet_explains_the_ssh_and_logging_gaps(
    api: FakeOci, world: World, credentials: Credentials
) -> None:
    SCENARIOS["denied"](world)
    posture = scan(api, credentials)["open"]
    result = outcomes(posture)
    # SSH is on; whether 22 is open to the internet depends on the subnet's security lists.
    assert result["NODE-004"].status == Status.ERROR
    assert "core:GetSubnet" in result["NODE-004"].message
    assert "not collected" not in result["NODE-004"].message
    assert posture.logging.destination is None
    assert any("logging.destination" in e.affects for e in posture.collection_errors)
    assert unexplained_fields(posture) == []
