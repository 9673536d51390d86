"""Why an AKS fact is None reaches the finding (issue 10): unknown reasons the API forces
(a CNI of the customer's own, a cluster that reports no version, a rotation period the key
policy does not give) and the facts that do not exist on AKS (provider ranges, OAuth scopes,
an SSH source setting).

Real clients against the fake ARM; the full accounting runs in tests/contract.
"""

from __future__ import annotations

import pytest
from cloudposture_azure import normalize
from cloudposture_azure.versions import NO_VERSION

from cloudposture.model import ClusterPosture, Status
from tests.providers.azure.aks_clients import make_scanner
from tests.providers.azure.aks_fake import FakeArm
from tests.providers.azure.aks_unusual import ODD_KEY, ODD_SUB, ROTATION_DAYS, serve_unusual
from tests.providers.azure.test_aks_adapter import findings, scan


@pytest.fixture
def unusual(fake: FakeArm) -> dict[str, ClusterPosture]:
    serve_unusual(fake)
    scanner = make_scanner(fake, (ODD_SUB,))
    (target,) = scanner.targets()
    postures = {ref.name: scanner.collect(ref) for ref in scanner.discover(target)}
    assert fake.problems == []
    assert all(p.collection_errors == [] for p in postures.values())
    return postures


def test_a_cni_of_the_customers_own_is_an_error_with_why_never_a_fail(
    unusual: dict[str, ClusterPosture],
) -> None:
    own = unusual["own-cni"]
    assert (own.network_policy.enforced, own.network_policy.engine) == (None, None)
    finding = findings(own)["NET-001"]
    assert finding.status is Status.ERROR
    assert finding.message == f"cannot judge: {normalize.BYO_CNI}"


def test_a_cluster_without_a_version_is_an_error_with_why(
    unusual: dict[str, ClusterPosture],
) -> None:
    finding = findings(unusual["unversioned"])["VER-001"]
    assert finding.status is Status.ERROR
    assert finding.message == f"cannot judge: {NO_VERSION}"


def test_a_key_rotating_before_expiry_has_its_period_from_the_policy(
    unusual: dict[str, ClusterPosture],
) -> None:
    enc = unusual["unversioned"].secrets_encryption
    assert (enc.key_id, enc.rotation_enabled, enc.rotation_period_days) == (
        ODD_KEY,
        True,
        ROTATION_DAYS,
    )
    finding = findings(unusual["unversioned"])["ENC-002"]
    assert finding.status is Status.PASS
    assert f"every {ROTATION_DAYS} days" in finding.message


@pytest.mark.parametrize(
    ("trigger", "expiry"),
    [({"timeBeforeExpiry": "P30D"}, None), ({"timeAfterCreate": "PT12H"}, None)],
)
def test_a_rotation_period_the_policy_does_not_give_says_why(
    trigger: dict[str, str], expiry: str | None
) -> None:
    policy: dict[str, object] = {"lifetimeActions": [{"trigger": trigger,
                                                      "action": {"type": "Rotate"}}]}  # fmt: skip
    if expiry:
        policy["attributes"] = {"expiryTime": expiry}
    version = {"properties": {"attributes": {"enabled": True}}}
    facts = normalize.key_facts(version, {"properties": {"rotationPolicy": policy}})
    assert (facts.rotation_enabled, facts.rotation_days) == (True, None)
    assert facts.rotation_days_unknown is not None
    assert next(iter(trigger.values())) in facts.rotation_days_unknown


def test_ssh_onto_nodes_is_read_from_the_pool_and_the_admin_key(
    world: FakeArm, unusual: dict[str, ClusterPosture]
) -> None:
    postures = scan(world) | unusual
    ssh = {
        name: [p.ssh_access for p in posture.node_pools or []] for name, posture in postures.items()
    }
    assert ssh == {
        "hardened": [False],  # admin key, but sshAccess Disabled
        "public-wide": [True],  # admin key, sshAccess LocalUser by default
        "public-narrow": [False, False],  # no admin key
        "public-broad": [False],
        "own-cni": [True],  # sshAccess EntraId needs no key
        "unversioned": [False],
    }


def test_facts_that_do_not_exist_on_aks_say_so(world: FakeArm) -> None:
    """No AKS rule reads these (CP-001 asks for provider ranges only when a public endpoint
    has an empty authorized list, which AKS never reports; NODE-004 and IAM-006 are not
    applicable), so the reasons are checked where a finding would take them from."""
    wide = scan(world)["public-wide"]
    assert wide.endpoint.authorized_cidrs == ["0.0.0.0/0"]
    assert wide.reason_unknown("endpoint.provider_ranges_allowed") == normalize.NO_PROVIDER_RANGES
    assert findings(wide)["CP-001"].status is Status.FAIL
    (pool,) = wide.node_pools or []
    assert pool.not_applicable == {
        "ssh_source_restricted": normalize.SSH_SOURCE_IS_NSG,
        "full_cloud_api_scope": normalize.NO_OAUTH_SCOPES,
    }
