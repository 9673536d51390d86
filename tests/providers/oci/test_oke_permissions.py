"""The shipped policy, permissions.py, the guidance data and the calls a scan makes agree."""

from __future__ import annotations

from pathlib import Path

from cloudposture_oci.guidance import GUIDANCE, NOT_APPLICABLE
from cloudposture_oci.permissions import GRANTS_BY_CALL, policy_statements
from cloudposture_oci.policy_grammar import parse_statement

from cloudposture.plugin import Target
from cloudposture.rules.catalog import RULES_BY_ID
from tests.providers.oci.conftest import Credentials, make_scanner
from tests.providers.oci.fake_oci import FakeOci
from tests.providers.oci.oke_world import ASHBURN, TENANCY

POLICY_FILE = Path(__file__).resolve().parents[3] / "docs" / "permissions" / "oci-policy.txt"


def test_the_shipped_policy_is_the_declared_one_and_read_only() -> None:
    assert POLICY_FILE.read_text().splitlines() == policy_statements()
    for text in policy_statements():
        statement = parse_statement(text)  # the shipped policy follows our own grammar
        assert statement.verb in ("inspect", "read"), text
        assert statement.location is not None
        assert statement.location.tenancy


def test_every_call_a_full_scan_makes_is_declared(api: FakeOci, credentials: Credentials) -> None:
    scanner = make_scanner(api, credentials)  # no --region: region subscriptions are read
    for target in scanner.targets():
        for ref in scanner.discover(target):
            scanner.collect(ref)
    seen = {call for _, call, _ in api.calls}
    assert seen == set(GRANTS_BY_CALL)
    # collect() without a discover() works from the ref alone (GetCluster).
    fresh = make_scanner(api, credentials, region=[ASHBURN])
    ref = fresh.discover(Target(provider="oci", account=TENANCY, region=ASHBURN))[0]
    assert make_scanner(api, credentials, region=[ASHBURN]).collect(ref).ref == ref


def test_guidance_covers_every_rule_once() -> None:
    assert set(GUIDANCE) | set(NOT_APPLICABLE) == set(RULES_BY_ID)
    assert not set(GUIDANCE) & set(NOT_APPLICABLE)
    for rule_id, text in GUIDANCE.items():
        assert text.evidence, rule_id
        assert text.remediation.docs, rule_id
        assert all(d.startswith("https://docs.oracle.com/") for d in text.remediation.docs)
        assert text.references == (), "no CIS OKE control could be verified"


def test_the_plugin_declares_the_same_permissions() -> None:
    from cloudposture.plugin import load_provider

    declared = load_provider("oci").permissions
    assert declared is not None
    assert {call: grants[0] for call, grants in declared.calls.items()} == dict(GRANTS_BY_CALL)
    assert (POLICY_FILE.parent / declared.document) == POLICY_FILE
