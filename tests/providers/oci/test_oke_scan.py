"""The real ``oci`` clients against the fake: discovery, collection and the rules' verdicts."""

from __future__ import annotations

import pytest
from cloudposture_oci.adapter import OciScanner
from cloudposture_oci.guidance import NOT_APPLICABLE

from cloudposture.model import ClusterPosture, CollectionFailure, Status
from cloudposture.plugin import PartialListing
from tests.providers.oci.conftest import USER, Credentials, make_scanner
from tests.providers.oci.fake_oci import FakeOci, World
from tests.providers.oci.judging import APPLICABLE, outcomes, with_status
from tests.providers.oci.oke_world import (
    APPS,
    ASHBURN,
    EXPECTED_FAILS,
    FRANKFURT,
    GOOD_KEY,
    NET,
    PROD,
    SEC,
    TENANCY,
)

NEVER_FAILS_ON_OKE = {
    "ETCD-001": "Oracle runs etcd",
    "LOG-001": "OCI Audit always records the API server's audit events",
    "NET-001": "enforcement lives in a self-installed Calico the OCI API cannot show",
}


def scan_all(scanner: OciScanner) -> dict[str, ClusterPosture]:
    postures = {}
    for target in scanner.targets():
        for ref in scanner.discover(target):
            postures[ref.name] = scanner.collect(ref)
    return postures


@pytest.fixture
def postures(api: FakeOci, credentials: Credentials) -> dict[str, ClusterPosture]:
    return scan_all(make_scanner(api, credentials, region=[ASHBURN]))


def test_each_cluster_fails_exactly_what_it_deserves(postures: dict[str, ClusterPosture]) -> None:
    assert {name: with_status(p, Status.FAIL) for name, p in postures.items()} == EXPECTED_FAILS
    for posture in postures.values():
        assert posture.collection_errors == []
        assert with_status(posture, Status.ERROR) == {"NET-001"}
        assert posture.ref.account == TENANCY


def test_every_rule_applying_to_oke_passes_and_fails_somewhere(
    postures: dict[str, ClusterPosture],
) -> None:
    passed = set().union(*(with_status(p, Status.PASS) for p in postures.values()))
    failed = set().union(*(with_status(p, Status.FAIL) for p in postures.values()))
    applicable = {r.meta.id for r in APPLICABLE}
    assert failed == applicable - set(NEVER_FAILS_ON_OKE)
    assert passed == applicable - {"NET-001"}


def test_the_facts_behind_the_verdicts(postures: dict[str, ClusterPosture]) -> None:
    open_, private, keyed = postures["open"], postures["private"], postures["keyed"]
    assert open_.endpoint.authorized_cidrs == ["0.0.0.0/0"]
    assert keyed.endpoint.authorized_cidrs == [
        "10.0.0.0/16",
        "203.0.113.0/24",
        "131.107.0.0/16",
        "198.51.100.0/24",
    ]
    assert private.endpoint.public_enabled is False
    pool = (open_.node_pools or [])[0]
    assert [r.describe() for r in pool.internet_ingress or []] == [
        "tcp/22 from 0.0.0.0/0 (security list sl-workers-open / ingress rule 0)",
        "tcp/10250 from ::/0 (security list sl-workers-open / ingress rule 1)",
        "tcp/8080 from 0.0.0.0/0 (security list sl-workers-open / ingress rule 2)",
        "tcp/30000-32767 from 0.0.0.0/0 (nsg nsg-open-nodes / nodeports)",
    ]
    (identity,) = pool.identities or []
    assert identity.grants == ["Allow dynamic-group prod-nodes to manage all-resources in tenancy"]
    (good,) = (private.node_pools or [])[0].identities or []
    assert good.admin_equivalent is False
    assert good.wildcard_grants is True  # the conditional 'manage all-resources' is listed
    assert "prod-nodes" not in good.id
    assert "oke-tagged" in good.id
    assert private.workload_identity.mechanisms == [
        "oke-workload-identity",
        "1 workload identity policy statement(s) for this cluster",
    ]
    assert all("principal.type" not in g for g in good.grants)  # a workload-only grant
    assert private.secrets_encryption.rotation_period_days == 90
    assert keyed.secrets_encryption.key_state == "DISABLED"
    assert "OCI Logging" in (private.logging.destination or "")


def test_requests_are_signed_and_lists_are_paged(
    api: FakeOci, postures: dict[str, ClusterPosture], credentials: Credentials
) -> None:
    assert api.key_ids == {f"{TENANCY}/{USER}/{credentials.fingerprint}"}
    pages = [q.get("page") for call, q in api.queries if call == "identity:ListCompartments"]
    assert pages == [None, "2"]  # four compartments, two per page: opc-next-page followed
    assert api.count("identity:ListRegionSubscriptions") == 0  # --region given


def test_shared_reads_are_made_once(api: FakeOci, postures: dict[str, ClusterPosture]) -> None:
    assert api.count("identity:ListDynamicGroups") == 1
    assert api.count("identity:ListPolicies") == 5  # the root and four compartments
    assert api.count("logging:ListLogGroups") == 1
    assert api.count("containerengine:GetClusterOptions") == 1
    shared = [c for c in api.calls if c[1:] == ("core:GetSecurityList", "sl-api-private")]
    assert len(shared) == 1  # two clusters' endpoint subnets use it


def test_subscribed_regions_are_the_default(api: FakeOci, credentials: Credentials) -> None:
    scanner = make_scanner(api, credentials)
    assert [t.region for t in scanner.targets()] == [ASHBURN, FRANKFURT]
    assert scanner.discover(scanner.targets()[1]) == []


def test_compartment_option_limits_discovery(api: FakeOci, credentials: Credentials) -> None:
    scanner = make_scanner(api, credentials, region=[ASHBURN], compartment=[APPS])
    names = [r.name for t in scanner.targets() for r in scanner.discover(t)]
    assert names == ["private", "keyed"]
    assert {c[2] for c in api.calls if c[1] == "containerengine:ListClusters"} == {APPS}


def test_a_denied_compartment_is_a_partial_listing(
    api: FakeOci, world: World, credentials: Credentials
) -> None:
    world.errors[("containerengine:ListClusters", APPS)] = (404, "NotAuthorizedOrNotFound")
    scanner = make_scanner(api, credentials, region=[ASHBURN])
    listed = scanner.discover(scanner.targets()[0])
    assert isinstance(listed, PartialListing)
    assert [r.name for r in listed] == ["open"]
    (error,) = listed.errors
    assert (error.kind, error.code) == ("denied", "404 NotAuthorizedOrNotFound")
    assert APPS in error.resource


def test_a_region_where_every_compartment_is_denied_fails(
    api: FakeOci, world: World, credentials: Credentials
) -> None:
    for compartment in (TENANCY, PROD, APPS, SEC, NET):
        key = ("containerengine:ListClusters", f"{compartment}@{FRANKFURT}")
        world.errors[key] = (404, "NotAuthorizedOrNotFound")
    scanner = make_scanner(api, credentials, region=[ASHBURN, FRANKFURT])
    ashburn, frankfurt = scanner.targets()
    assert len(scanner.discover(ashburn)) == 3
    with pytest.raises(CollectionFailure) as failure:
        scanner.discover(frankfurt)
    assert failure.value.error.kind == "denied"


def test_an_unreadable_key_is_an_error_with_the_reason(
    api: FakeOci, world: World, credentials: Credentials
) -> None:
    world.errors[("kms:GetKey", GOOD_KEY)] = (404, "NotAuthorizedOrNotFound")
    postures = scan_all(make_scanner(api, credentials, region=[ASHBURN]))
    outcome = outcomes(postures["private"])["ENC-002"]
    assert outcome.status == Status.ERROR
    assert "kms:GetKey" in outcome.message
    assert "NotAuthorizedOrNotFound" in outcome.message
    assert outcomes(postures["private"])["ENC-001"].status == Status.PASS


def test_unreadable_policies_leave_node_identity_unknown(
    api: FakeOci, world: World, credentials: Credentials
) -> None:
    world.errors[("identity:ListPolicies", APPS)] = (404, "NotAuthorizedOrNotFound")
    postures = scan_all(make_scanner(api, credentials, region=[ASHBURN]))
    for name in ("open", "private"):
        outcome = outcomes(postures[name])["IAM-001"]
        assert outcome.status == Status.ERROR, name
        assert "identity:ListPolicies" in outcome.message


def test_unreadable_node_instances_leave_imds_unknown_but_keep_compartment_matching(
    api: FakeOci, world: World, credentials: Credentials
) -> None:
    world.errors[("core:GetInstance", "ocid1.instance.oc1.iad.open-node-1")] = (
        500,
        "InternalServerError",
    )
    postures = scan_all(make_scanner(api, credentials, region=[ASHBURN]))
    result = outcomes(postures["open"])
    assert result["IAM-004"].status == Status.ERROR
    assert "core:GetInstance" in result["IAM-004"].message
    # prod-nodes matches on the compartment, which the node pool itself tells.
    assert result["IAM-001"].status == Status.FAIL


def test_not_applicable_rules_are_declared_with_reasons() -> None:
    assert set(NOT_APPLICABLE) == {"CP-004", "IAM-002", "IAM-003", "IAM-006"}
    assert all(len(reason) > 40 for reason in NOT_APPLICABLE.values())


def test_a_compartment_whose_vaults_are_hidden_does_not_hide_the_key(
    api: FakeOci, world: World, credentials: Credentials
) -> None:
    world.errors[("kms:ListVaults", NET)] = (404, "NotAuthorizedOrNotFound")
    postures = scan_all(make_scanner(api, credentials, region=[ASHBURN]))
    assert outcomes(postures["private"])["ENC-002"].status == Status.PASS
    world.errors[("kms:ListVaults", SEC)] = (404, "NotAuthorizedOrNotFound")
    postures = scan_all(make_scanner(api, credentials, region=[ASHBURN]))
    outcome = outcomes(postures["private"])["ENC-002"]
    assert outcome.status == Status.ERROR
    assert "404 NotAuthorizedOrNotFound" in outcome.message
