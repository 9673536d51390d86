"""Conditioned grants: a ``where`` clause narrows a node's admin grant only when its text
shows the grant is left with reads, or with no IAM resource; otherwise it stays admin."""

from __future__ import annotations

import pytest
from cloudposture_oci.grant_conditions import described, judge
from cloudposture_oci.policy_grammar import Clause, Combination, parse_condition
from cloudposture_oci.tokens import SyntaxProblem

from cloudposture.model import Status
from tests.providers.oci.conftest import Credentials, make_scanner
from tests.providers.oci.fake_oci import FakeOci, World
from tests.providers.oci.judging import outcomes, with_status
from tests.providers.oci.oke_world import ASHBURN, EXPECTED_FAILS
from tests.providers.oci.test_oke_scan import scan_all

WORKLOAD = "request.principal.type = 'workload'"
READ = "request.permission = 'BUCKET_READ'"
REGION = "request.region = 'us-ashburn-1'"


@pytest.mark.parametrize(
    ("where", "scope"),
    [
        # where / when / which compartment: still admin there, then
        (REGION, "broad"),
        ("request.ad = 'US-ASHBURN-AD-1'", "broad"),
        ("request.utc-timestamp before '2030-01-01T00:00:00Z'", "broad"),
        ("request.utc-timestamp.time-of-day between '09:00:00Z' and '17:00:00Z'", "broad"),
        ("request.utc-timestamp.day-of-week in ('monday', 'tuesday')", "broad"),
        ("target.compartment.name = 'apps'", "broad"),
        ("target.compartment.id = 'ocid1.compartment.oc1..aaaaapps'", "broad"),
        ("target.resource.tag.oke.role = 'worker'", "broad"),
        ("request.principal.compartment.id = 'ocid1.compartment.oc1..aaaaapps'", "broad"),
        # what may be done
        (READ, "narrowed"),
        ("request.permission in ('BUCKET_READ', 'OBJECT_INSPECT')", "narrowed"),
        ("request.permission = 'POLICY_UPDATE'", "broad"),
        ("request.permission in ('BUCKET_READ', 'OBJECT_CREATE')", "broad"),
        ("request.permission != 'POLICY_UPDATE'", "broad"),
        ("request.permission = /*_READ/", "broad"),
        ("request.operation = 'GetObject'", "narrowed"),
        ("request.operation = 'CreatePolicy'", "broad"),
        # which resources
        ("target.resource.kind = 'instance'", "narrowed"),
        ("target.resource.kind in ('instance', 'dynamicgroup')", "broad"),
        ("target.resource.kind = 'policy'", "broad"),
        ("target.bucket.name = 'logs'", "narrowed"),
        ("target.bucket.name != 'logs'", "narrowed"),  # still Object Storage only
        ("target.policy.name = 'nodes'", "broad"),
        ("target.group.name = /A-Users-*/", "broad"),
        # who: the node's principal type
        (WORKLOAD, "excluded"),
        ("request.principal.type = 'instance'", "broad"),
        ("request.principal.type != 'instance'", "excluded"),
        ("request.principal.type != 'workload'", "broad"),
        ("request.principal.type in ('cluster', 'workload')", "excluded"),
        # combinations
        (f"all {{{REGION}, {READ}}}", "narrowed"),
        (f"ALL {{{WORKLOAD}, {REGION}}}", "excluded"),
        (f"any {{{READ}, {REGION}}}", "broad"),
        (f"any {{{READ}, request.operation = 'ListObjects'}}", "narrowed"),
        (f"any {{{WORKLOAD}, {REGION}}}", "broad"),  # the region clause reaches the node
        (f"any {{{WORKLOAD}, {READ}}}", "narrowed"),
        (f"any {{{WORKLOAD}, request.principal.type = 'cluster'}}", "excluded"),
        (f"all {{any {{{READ}, {REGION}}}, target.compartment.name = 'apps'}}", "broad"),
        # not understood: never taken as narrowing
        ("request.region ~ 'iad'", "broad"),
        ("all {request.permission = 'BUCKET_READ'", "broad"),
        ("request.permission in 'BUCKET_READ'", "broad"),
    ],
)
def test_conditions_are_judged_by_the_table(where: str, scope: str) -> None:
    assert judge(where).scope == scope


def test_a_condition_not_understood_says_so() -> None:
    assert "not understood" in judge("request.region ~ 'iad'").reason


def test_the_grant_names_its_condition_and_the_judgement() -> None:
    text = f"Allow dynamic-group oke-nodes to manage all-resources in tenancy WHERE {REGION}"
    assert described(text, REGION, judge(REGION)) == (
        "Allow dynamic-group oke-nodes to manage all-resources in tenancy "
        "(where request.region = 'us-ashburn-1': still admin in that region)"
    )


def test_conditions_parse_into_clauses() -> None:
    assert parse_condition(
        "ANY {request.permission = 'BUCKET_READ', target.group.name != /A-*/, "
        "request.utc-timestamp.time-of-day between '09:00Z' and '17:00Z'}"
    ) == Combination(
        "any",
        (
            Clause("request.permission", "=", ("BUCKET_READ",)),
            Clause("target.group.name", "!=", ("A-*",), pattern=True),
            Clause("request.utc-timestamp.time-of-day", "between", ("09:00Z", "17:00Z")),
        ),
    )


@pytest.mark.parametrize(
    "where",
    ["request.region", "request.region = ", "x between 'a'", "x in ('a'", "x = 'a' y"],
)
def test_malformed_conditions_are_refused(where: str) -> None:
    with pytest.raises(SyntaxProblem):
        parse_condition(where)


def _grant_to_private_nodes(world: World, statement: str) -> None:
    """Add a statement for oke-tagged (the private cluster's nodes) to the root policy."""
    (root,) = [p for p in world.policies if p.id == "ocid1.policy.oc1..root"]
    root.statements = [*root.statements, statement]


@pytest.mark.parametrize(
    ("where", "judgement"),
    [
        (REGION, "still admin in that region"),
        ("request.utc-timestamp.time-of-day between '09:00:00Z' and '17:00:00Z'", "time window"),
        ("target.compartment.name = 'apps'", "still admin in that compartment"),
        (f"any {{{WORKLOAD}, {REGION}}}", "still admin in that region"),
        ("request.region ~ 'iad'", "not understood"),
    ],
)
def test_a_conditioned_admin_grant_still_fails_iam_001(
    api: FakeOci, world: World, credentials: Credentials, where: str, judgement: str
) -> None:
    statement = f"Allow dynamic-group oke-tagged to manage all-resources in tenancy where {where}"
    _grant_to_private_nodes(world, statement)
    private = scan_all(make_scanner(api, credentials, region=[ASHBURN]))["private"]
    outcome = outcomes(private)["IAM-001"]
    assert outcome.status == Status.FAIL
    (identity,) = (private.node_pools or [])[0].identities or []
    (named,) = [g for g in identity.grants if "in tenancy (where" in g]
    assert named.startswith("Allow dynamic-group oke-tagged to manage all-resources in tenancy")
    assert f"(where {where}: " in named
    assert judgement in named
    assert judgement in outcome.message


@pytest.mark.parametrize(
    "statement",
    [
        f"Allow dynamic-group oke-tagged to manage all-resources in tenancy where {READ}",
        "Allow dynamic-group oke-tagged to manage policies in tenancy where "
        "request.operation in ('GetPolicy', 'ListPolicies')",
        f"Allow any-user to manage all-resources in tenancy where all {{{WORKLOAD}, {REGION}}}",
        f"Allow any-user to manage all-resources in tenancy where "
        f"any {{{WORKLOAD}, request.principal.type = 'cluster'}}",
    ],
)
def test_a_grant_narrowed_to_reads_or_to_other_principals_passes(
    api: FakeOci, world: World, credentials: Credentials, statement: str
) -> None:
    _grant_to_private_nodes(world, statement)
    private = scan_all(make_scanner(api, credentials, region=[ASHBURN]))["private"]
    assert outcomes(private)["IAM-001"].status == Status.PASS
    assert with_status(private, Status.FAIL) == EXPECTED_FAILS["private"]
