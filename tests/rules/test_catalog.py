"""Invariants over the whole catalogue: ids, metadata completeness, and test coverage."""

from __future__ import annotations

import re

import pytest

from cloudposture.model import Status
from cloudposture.rules.base import ROWS, Rule
from cloudposture.rules.catalog import ALL_RULES, RULES_BY_ID, get_rule
from cloudposture.rules.guidance import installed_guidance

from .all_cases import ALL_CASES

RULE_IDS = [r.meta.id for r in ALL_RULES]
# DESIGN.md section 3: where a rule has no meaning, it reports NOT_APPLICABLE.
EXPECTED_NOT_APPLICABLE = {
    ("gcp", "IAM-002"),
    ("gcp", "NODE-004"),
    ("azure", "NODE-004"),
    ("azure", "IAM-003"),
    ("azure", "IAM-004"),
    ("azure", "IAM-006"),
    ("aws", "IAM-003"),
    ("aws", "IAM-006"),
}
DESIGN_RULE_IDS = {
    *(f"CP-00{i}" for i in range(1, 5)),
    *(f"NODE-00{i}" for i in range(1, 5)),
    *(f"IAM-00{i}" for i in range(1, 7)),
    "ETCD-001",
    "ENC-001",
    "ENC-002",
    "LOG-001",
    "LOG-002",
    "VER-001",
    "NET-001",
    "PATH-001",
}


def test_ids_are_unique_and_well_formed() -> None:
    assert len(RULE_IDS) == len(set(RULE_IDS))
    assert all(re.fullmatch(r"[A-Z]+-\d{3}", rid) for rid in RULE_IDS)


def test_catalogue_is_the_design_catalogue() -> None:
    assert set(RULE_IDS) == DESIGN_RULE_IDS


def test_lookup_by_id_matches_the_list() -> None:
    assert list(RULES_BY_ID) == RULE_IDS
    assert get_rule("CP-001") is ALL_RULES[0]


def test_unknown_id_is_a_clear_key_error() -> None:
    with pytest.raises(KeyError, match="unknown rule id 'CP-999'; known ids: CP-001"):
        get_rule("CP-999")


def test_not_applicable_matches_design() -> None:
    catalog = installed_guidance()
    actual = {(p, r.meta.id) for r in ALL_RULES for p in catalog.not_applicable_on(r.meta.id)}
    design_clouds = {p for p, _ in EXPECTED_NOT_APPLICABLE}
    assert {(p, r) for p, r in actual if p in design_clouds} == EXPECTED_NOT_APPLICABLE


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_metadata_is_complete(rule: Rule) -> None:
    meta = rule.meta
    assert meta.row in ROWS
    assert meta.title
    assert not meta.title.endswith(".")
    sentences = re.findall(r"[.!?](?:\s|$)", meta.rationale)
    assert 2 <= len(sentences) <= 4, meta.rationale
    assert rule.check.__doc__, "docs/rules renders the check's docstring"


@pytest.mark.parametrize("status", [Status.PASS, Status.FAIL])
def test_every_rule_has_a_case_with(status: Status) -> None:
    covered = {c.rule for c in ALL_CASES if c.status is status}
    assert covered == set(RULE_IDS)


def test_case_ids_are_unique_per_rule() -> None:
    keys = [(c.rule, c.id) for c in ALL_CASES]
    assert len(keys) == len(set(keys))
