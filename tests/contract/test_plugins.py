"""Every installed provider, every registered format and every sink scheme keeps the plugin
contract. The parameters come from the entry points, not from a list here, so a provider
distribution installed next to the three in this repository is checked the moment it is
installed, without editing this file.

What is left to each provider's own tests (named here so nobody looks for it in this file):
that the calls a real scan makes equal ``permissions.calls`` (it needs that provider's fake
API). That every posture field is set or explained runs in ``test_posture_complete.py`` over
the scenarios each provider's fake API serves.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import distribution, packages_distributions
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from cloudposture.model import ConfigurationError, ScanResult
from cloudposture.plugin.interface import ProviderPlugin
from cloudposture.plugin.registry import PROVIDERS, load_provider
from cloudposture.reporters.example import example_result
from cloudposture.reporters.registry import FORMATS, get_reporter
from cloudposture.rules.catalog import ALL_RULES
from cloudposture.sinks.interface import Sink
from cloudposture.sinks.registry import SINKS, sink_from_url

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_NAMES = sorted(PROVIDERS.names())
FORMAT_NAMES = FORMATS.names()
SINK_SCHEMES = sorted(SINKS.names())
RULE_IDS = {rule.meta.id for rule in ALL_RULES}


def _core_dependency_modules() -> frozenset[str]:
    """Top-level modules the core itself may pull in when a plugin module imports it: those
    of the ``cloudposture`` distribution and of its install requirements, transitively
    (extras left out), read from the installed metadata so a new core dependency needs no
    edit here. Anything else a plugin module imports at module level (boto3, google, azure,
    oci, alibabacloud, ...) fails the test."""
    wanted: set[str] = set()
    pending = ["cloudposture"]
    while pending:
        name = canonicalize_name(pending.pop())
        if name in wanted:
            continue
        wanted.add(name)
        for line in distribution(name).requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement.name)
    return frozenset(
        module
        for module, owners in packages_distributions().items()
        if any(canonicalize_name(owner) in wanted for owner in owners)
    )


CORE_DEPENDENCIES = _core_dependency_modules()

LOAD_AND_LIST_NEW_MODULES = """
import json, sys
from importlib.metadata import entry_points
(ep,) = [e for e in entry_points(group=sys.argv[1]) if e.name == sys.argv[2]]
before = {name.partition(".")[0] for name in sys.modules}
ep.load()
after = {name.partition(".")[0] for name in sys.modules}
print(json.dumps({"module": ep.module, "new": sorted(after - before)}))
"""


def _plugin(name: str) -> ProviderPlugin:
    return load_provider(name)


def test_the_repository_providers_are_installed() -> None:
    """The parametrisation below is not vacuous: at least this repository's providers."""
    assert len(PROVIDER_NAMES) >= 3
    assert "json" in FORMAT_NAMES
    assert SINK_SCHEMES


@pytest.mark.slow
@pytest.mark.parametrize("name", PROVIDER_NAMES)
def test_plugin_module_imports_no_sdk(name: str) -> None:
    """Loading the entry point (what ``cloudposture --help`` and the rule catalogue do)
    imports only the plugin's own package, the standard library and the core's dependencies."""
    out = subprocess.run(
        [sys.executable, "-c", LOAD_AND_LIST_NEW_MODULES, PROVIDERS.group, name],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    loaded = json.loads(out.stdout)
    own = loaded["module"].partition(".")[0]
    foreign = [
        m
        for m in loaded["new"]
        if m != own
        and m not in sys.stdlib_module_names
        and not m.startswith("_sysconfigdata")  # the interpreter's build data (stdlib)
        and m not in CORE_DEPENDENCIES
    ]
    assert foreign == [], f"{name}'s plugin module imports {foreign} at module level"


@pytest.mark.parametrize("name", PROVIDER_NAMES)
def test_plugin_declares_its_identity(name: str) -> None:
    plugin = _plugin(name)
    assert plugin.name == name
    assert plugin.title
    assert plugin.summary
    assert plugin.cli_options()
    assert plugin.ocsf is not None, f"{name} declares no OCSF cloud mapping"
    assert plugin.ocsf.provider
    assert plugin.ocsf.resource_type
    assert plugin.sdk_loggers, f"{name} names no SDK logger to keep quiet"


@pytest.mark.parametrize("name", PROVIDER_NAMES)
def test_plugin_declares_permissions_and_ships_the_document(name: str) -> None:
    permissions = _plugin(name).permissions
    assert permissions is not None, f"{name} declares no permissions"
    assert permissions.calls
    # a call may need no permission at all (STS GetCallerIdentity answers every caller), but
    # a scan that needs none anywhere has declared nothing
    assert any(needed for needed in permissions.calls.values())
    assert all(isinstance(needed, tuple) for needed in permissions.calls.values())
    document = ROOT / "docs" / "permissions" / permissions.document
    assert document.is_file(), f"{name}: docs/permissions/{permissions.document} missing"
    assert document.stat().st_size > 0


@pytest.mark.parametrize("name", PROVIDER_NAMES)
def test_provider_tests_compare_permissions_with_the_calls_made(name: str) -> None:
    """The comparison needs the provider's fake API, so it lives in the provider's tests;
    this asserts that such a test exists and reads the provider's permission list."""
    tests = ROOT / "tests" / "providers" / name
    reads_permissions = re.compile(r"^def test_\w*permission", re.MULTILINE)
    found = [p.name for p in tests.glob("test_*.py") if reads_permissions.search(p.read_text())]
    assert found, f"no permission test under tests/providers/{name}/"


@pytest.mark.parametrize("name", PROVIDER_NAMES)
def test_every_rule_has_guidance_or_a_not_applicable_reason(name: str) -> None:
    plugin = _plugin(name)
    missing = sorted(RULE_IDS - set(plugin.guidance) - set(plugin.not_applicable))
    assert missing == [], f"{name}: no guidance and no NOT_APPLICABLE reason for {missing}"
    both = sorted(set(plugin.guidance) & set(plugin.not_applicable))
    assert both == [], f"{name}: both guidance and NOT_APPLICABLE for {both}"
    stale = sorted((set(plugin.guidance) | set(plugin.not_applicable)) - RULE_IDS)
    assert stale == [], f"{name}: guidance for rules that do not exist: {stale}"
    assert all(reason.strip() for reason in plugin.not_applicable.values())
    assert all(g.evidence and g.remediation.summary for g in plugin.guidance.values())


@pytest.mark.parametrize("name", PROVIDER_NAMES)
def test_config_example_loads_through_the_target_model(name: str) -> None:
    plugin = _plugin(name)
    assert plugin.target_model is not None, f"{name} cannot be used from a config file"
    # the block as ``cloudposture config example`` places it: under ``targets:`` and its name
    text = f"targets:\n  {name}:\n{plugin.config_example}"
    entries = yaml.safe_load(text)["targets"][name]
    assert entries, f"{name}'s config example has no entry"
    for i, raw in enumerate(entries):
        entry = plugin.target_model.model_validate(raw)
        units = plugin.scan_units(entry, f"targets.{name}[{i}]", ("eu-west-1",))
        assert units, f"targets.{name}[{i}] of the example gives no scan unit"
        assert {u.provider for u in units} == {name}


def _example_for(fmt: str) -> ScanResult:
    """The shared example, limited to the clouds a format can hold (ASFF: one cloud's own)."""
    result = example_result()
    only = get_reporter(fmt).only_providers
    if only is None:
        return result
    kept = [f for f in result.findings if f.resource.provider in only]
    assert kept, f"the example result holds no finding {fmt} can render"
    return result.model_copy(update={"findings": kept})


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_every_format_renders_the_shared_example(fmt: str) -> None:
    text = get_reporter(fmt).render(_example_for(fmt))
    assert text.strip()


@pytest.mark.parametrize("scheme", SINK_SCHEMES)
def test_every_sink_builds_from_a_minimal_url_or_says_why_not(scheme: str) -> None:
    """A minimal URL either gives a sink or a ConfigurationError (exit 2 with one line);
    any other exception would reach the user as a traceback."""
    outcome: Sink | ConfigurationError
    try:
        outcome = sink_from_url(f"{scheme}://127.0.0.1:9/")
    except ConfigurationError as exc:
        outcome = exc
    if isinstance(outcome, ConfigurationError):
        assert str(outcome).strip()
        assert "\n" not in str(outcome)
    else:
        assert isinstance(outcome, Sink)
        assert outcome.name
