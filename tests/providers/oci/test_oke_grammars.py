"""Policy statements and dynamic-group matching rules, parsed by grammar (table-driven)."""

from __future__ import annotations

import pytest
from cloudposture_oci.matching_rules import InstanceFacts, matches, parse_rule
from cloudposture_oci.policy_grammar import Location, Subject, parse_statement
from cloudposture_oci.tokens import SyntaxProblem

NODE = InstanceFacts(
    id="ocid1.instance.oc1.iad.n1",
    compartment_id="ocid1.compartment.oc1..prod",
    defined_tags={"Oke": {"Role": "worker"}},
)
UNREAD = InstanceFacts(id="ocid1.instance.oc1.iad.n1", compartment_id="ocid1.compartment.oc1..prod")


@pytest.mark.parametrize(
    ("text", "subjects", "verb", "resource", "location", "where"),
    [
        (
            "Allow dynamic-group nodes to manage all-resources in tenancy",
            (Subject("dynamic-group", "nodes"),),
            "manage",
            "all-resources",
            Location(tenancy=True),
            None,
        ),
        (
            "allow DYNAMIC-GROUP 'Default'/'oke nodes', group admins to READ repos in "
            "compartment apps:team-a where request.region = 'iad'",
            (Subject("dynamic-group", "oke nodes", domain="Default"), Subject("group", "admins")),
            "read",
            "repos",
            Location(tenancy=False, compartment="apps:team-a"),
            "request.region = 'iad'",
        ),
        (
            "Allow dynamic-group id ocid1.dynamicgroup.oc1..x, any-user to use volume-family "
            "in compartment id ocid1.compartment.oc1..c",
            (Subject("dynamic-group", ocid="ocid1.dynamicgroup.oc1..x"), Subject("any-user")),
            "use",
            "volume-family",
            Location(tenancy=False, compartment_id="ocid1.compartment.oc1..c"),
            None,
        ),
        (
            "Allow group a, b to inspect compartments in tenancy",
            (Subject("group", "a"), Subject("group", "b")),
            "inspect",
            "compartments",
            Location(tenancy=True),
            None,
        ),
    ],
)
def test_statements_parse_into_their_parts(
    text: str,
    subjects: tuple[Subject, ...],
    verb: str,
    resource: str,
    location: Location,
    where: str | None,
) -> None:
    statement = parse_statement(text)
    assert (statement.kind, statement.subjects, statement.verb) == ("allow", subjects, verb)
    assert (statement.resource_type, statement.location, statement.where) == (
        resource,
        location,
        where,
    )


def test_a_quoted_name_is_never_read_as_a_grant() -> None:
    statement = parse_statement(
        "Allow group 'manage all-resources in tenancy' to read logs in tenancy"
    )
    assert statement.subjects == (Subject("group", "manage all-resources in tenancy"),)
    assert (statement.verb, statement.resource_type) == ("read", "logs")


def test_permission_lists_and_cross_tenancy_statements() -> None:
    listed = parse_statement("Allow any-user to {KEY_READ, vault_inspect} in tenancy")
    assert (listed.verb, listed.permissions) == (None, ("KEY_READ", "VAULT_INSPECT"))
    assert (
        parse_statement("Endorse group x to manage all-resources in any-tenancy").kind == "endorse"
    )
    assert parse_statement("Define tenancy Acme as ocid1.tenancy.oc1..a").kind == "define"


@pytest.mark.parametrize(
    "text",
    [
        "Permit group x to read logs in tenancy",
        "Allow group x read logs in tenancy",
        "Allow group x to destroy logs in tenancy",
        "Allow group x to read logs",
        "Allow group x to read logs in tenancy extra",
        "Allow group x to read logs in compartment",
        "Allow group x to read logs in tenancy where",
    ],
)
def test_malformed_statements_are_refused(text: str) -> None:
    with pytest.raises(SyntaxProblem):
        parse_statement(text)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("instance.compartment.id = 'ocid1.compartment.oc1..PROD'", True),  # OCIDs: any case
        ("instance.compartment.id != 'ocid1.compartment.oc1..prod'", False),
        ("ALL {instance.compartment.id = 'ocid1.compartment.oc1..prod', instance.id = 'x'}", False),
        ("any {instance.id = 'x', tag.oke.role.value = 'worker'}", True),
        ("tag.oke.role.value", True),
        ("tag.oke.team.value", False),
        ("tag.oke.role.value = 'Worker'", False),  # tag values are case-sensitive
        (
            "ALL {resource.type = 'fnfunc', "
            "resource.compartment.id = 'ocid1.compartment.oc1..prod'}",
            False,
        ),
        (
            "Any {All {instance.id = 'ocid1.instance.oc1.iad.n1', tag.oke.role.value}, "
            "instance.id = 'y'}",
            True,
        ),
    ],
)
def test_matching_rules_against_a_node(rule: str, expected: bool) -> None:
    assert matches(parse_rule(rule), NODE) is expected


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("tag.oke.role.value = 'worker'", None),
        ("any {instance.compartment.id = 'ocid1.compartment.oc1..prod', tag.a.b.value}", True),
        ("all {instance.id = 'nope', tag.a.b.value}", False),
        ("all {instance.compartment.id = 'ocid1.compartment.oc1..prod', tag.a.b.value}", None),
    ],
)
def test_unread_tags_leave_the_match_unknown_unless_decided(
    rule: str, expected: bool | None
) -> None:
    assert matches(parse_rule(rule), UNREAD) is expected


@pytest.mark.parametrize(
    "rule",
    [
        "instance.id",
        "ALL {instance.id = 'x'",
        "ANY instance.id = 'x'",
        "instance.id = ",
        "x = 'a' y",
    ],
)
def test_malformed_matching_rules_are_refused(rule: str) -> None:
    with pytest.raises(SyntaxProblem):
        parse_rule(rule)
