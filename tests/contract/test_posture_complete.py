"""Every posture a provider builds accounts for each ``None`` (see
:mod:`cloudposture.model.completeness`), on every scenario its fake API serves.

Each installed provider keeps ``tests/providers/<name>/posture_scenarios.py`` with
``scenario_postures()``: it serves that provider's scenarios (good, exposed, denied, partly
readable clusters) from its fake API, collects every cluster through the real SDK clients
and returns the postures. The parameters come from the entry points, so a provider
installed without such a module fails here rather than being skipped.

A fact that exists on a cloud but that no API of it can show (OKE: whether a NetworkPolicy
engine runs depends on what the user installed in the cluster) is named in that module's
``NEVER_READ`` (fact path -> why): it is then held to the opposite test, None with a reason in
every scenario, so a provider that learns to read it must drop the declaration.
"""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest

from cloudposture.model import ClusterPosture
from cloudposture.model.completeness import unexplained_fields
from cloudposture.model.posture import Section
from cloudposture.plugin.registry import PROVIDERS

PROVIDER_NAMES = sorted(PROVIDERS.names())
_CACHE: dict[str, list[ClusterPosture]] = {}


def _scenarios(name: str) -> ModuleType:
    return importlib.import_module(f"tests.providers.{name}.posture_scenarios")


def _postures(name: str) -> list[ClusterPosture]:
    if name not in _CACHE:
        _CACHE[name] = list(_scenarios(name).scenario_postures())
    return _CACHE[name]


def _never_read(name: str) -> dict[str, str]:
    declared = getattr(_scenarios(name), "NEVER_READ", {})
    assert isinstance(declared, dict)
    return declared


@pytest.mark.slow
@pytest.mark.parametrize("name", PROVIDER_NAMES)
def test_posture_contract(name: str) -> None:
    """Both halves over one collection of the scenarios (the AWS world takes ~15 s to seed;
    two tests could run it once on each xdist worker)."""
    every_posture_field_is_set_or_explained(name)
    the_scenarios_exercise_every_field_the_provider_has(name)


def every_posture_field_is_set_or_explained(name: str) -> None:
    postures = _postures(name)
    assert len(postures) >= 3, f"{name}: too few scenarios to say anything"
    assert {p.ref.provider for p in postures} == {name}
    problems = {p.ref.name: unexplained_fields(p) for p in postures}
    assert {cluster: lines for cluster, lines in problems.items() if lines} == {}


def _not_a_gap(section: Section) -> dict[str, str]:
    """Fields whose None is an answer, not a gap in what the scenarios read."""
    return {**section.NONE_MEANS, **section.implied_unset(), **section.not_applicable}


def the_scenarios_exercise_every_field_the_provider_has(name: str) -> None:
    """Without this, a world of denied clusters (every field covered by an error) would pass
    the check above and prove nothing: every field is read into a value in some scenario,
    unless the provider says it does not exist there or the model's own facts imply it."""
    with_value: set[str] = set()
    without: set[str] = set()
    for posture in _postures(name):
        for path, _, section in posture.sections():
            for field in set(type(section).model_fields) - set(Section.model_fields):
                fact = f"{path}.{field}"
                if getattr(section, field) is not None:
                    with_value.add(fact)
                elif field not in _not_a_gap(section):
                    without.add(fact)
        for top in ("node_pools", "control_plane_identity"):
            if getattr(posture, top) is not None:
                with_value.add(top)
            elif top not in posture.not_applicable:
                without.add(top)
    never_read = sorted(without - with_value - set(_never_read(name)))
    assert never_read == [], f"{name}: no scenario reads a value into {never_read}"
    read_after_all = sorted(set(_never_read(name)) & with_value)
    assert read_after_all == [], f"{name}: NEVER_READ names facts a scenario reads"
    _check_never_read(name)


def _check_never_read(name: str) -> None:
    """Each NEVER_READ fact is a real field path with a reason, and every scenario says why
    it is None (a reason or an error), never a bare None: only then is it forgiven above."""
    declared = _never_read(name)
    assert all(why.strip() for why in declared.values())
    paths = {path for posture in _postures(name) for path, _, _ in posture.sections()}
    for fact in declared:
        section_path, _, field = fact.rpartition(".")
        assert section_path in paths, f"{name}: NEVER_READ names no section: {fact}"
    for posture in _postures(name):
        for path, _, section in posture.sections():
            for fact in declared:
                section_path, _, field = fact.rpartition(".")
                if section_path == path:
                    assert field in type(section).model_fields, f"{name}: no field {fact}"
                    assert getattr(section, field) is None
                    explained = section.unknown_reasons | section.not_applicable
                    errors = [a for e in posture.collection_errors for a in e.affects]
                    assert field in explained or any(
                        fact == a or fact.startswith(a + ".") for a in errors
                    ), f"{name}: {posture.ref.name} leaves {fact} None without saying why"
