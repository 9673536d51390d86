"""Every installed provider plugin says something about every rule: guidance or a reason.

Runs over whatever providers are installed (the three in this repository, and any other
plugin in the environment), so a new cloud is held to the same standard without editing here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from cloudposture.rules.catalog import ALL_RULES, RULES_BY_ID
from cloudposture.rules.guidance import PROVIDER_ENTRY_POINTS, GuidanceSource, installed_guidance

CATALOG = installed_guidance()
PROVIDERS = CATALOG.providers
SDK_ROOTS = ("boto3", "botocore", "google", "azure", "oci", "alibabacloud", "aliyunsdkcore")


def _plugin(provider: str) -> GuidanceSource:
    (ep,) = [ep for ep in entry_points(group=PROVIDER_ENTRY_POINTS) if ep.name == provider]
    plugin = ep.load()
    assert isinstance(plugin, GuidanceSource)
    return plugin


def test_the_repository_providers_are_installed() -> None:
    assert {"aws", "gcp", "azure"} <= set(PROVIDERS)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_rule_has_guidance_or_a_reason(provider: str) -> None:
    plugin = _plugin(provider)
    for rule in ALL_RULES:
        rid = rule.meta.id
        has_guidance = rid in plugin.guidance
        reason = plugin.not_applicable.get(rid)
        assert has_guidance != (reason is not None), f"{provider} {rid}: exactly one of the two"
        if reason is not None:
            assert reason.strip(), (provider, rid)
            assert not reason.endswith("."), "docs add the full stop"
    unknown = (set(plugin.guidance) | set(plugin.not_applicable)) - set(RULES_BY_ID)
    assert not unknown, f"{provider} names rules that do not exist: {unknown}"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_guidance_is_complete_and_consistent(provider: str) -> None:
    """Each fix has every part; one provider's CLI commands share one tool, its Terraform
    attributes one provider prefix, its references one benchmark."""
    plugin = _plugin(provider)
    assert plugin.title
    tools, terraform_prefixes, benchmarks = set(), set(), set()
    for rid, guidance in plugin.guidance.items():
        fix = guidance.remediation
        assert guidance.evidence, rid
        assert all((fix.summary, fix.console, fix.cli, fix.terraform, fix.docs)), rid
        assert all(url.startswith("https://") for url in fix.docs), rid
        tools.add(fix.cli.split()[0])
        terraform_prefixes.add(fix.terraform.split("_")[0])
        for ref in guidance.references:
            assert re.fullmatch(r"\d+(\.\d+)+", ref.control), (rid, ref)
            assert all((ref.title, ref.version)), (rid, ref)
            benchmarks.add(ref.benchmark)
    assert len(tools) == 1, tools
    assert len(terraform_prefixes) == 1, terraform_prefixes
    assert len(benchmarks) <= 1, benchmarks


@pytest.mark.parametrize("provider", PROVIDERS)
def test_guidance_imports_no_sdk(provider: str) -> None:
    """``rules show`` and the docs load every plugin's guidance: it must stay cheap."""
    group = PROVIDER_ENTRY_POINTS
    code = (
        "import sys\n"
        "from importlib.metadata import entry_points\n"
        f"(ep,) = [e for e in entry_points(group={group!r}) if e.name == {provider!r}]\n"
        "plugin = ep.load()\n"
        "assert plugin.guidance and isinstance(plugin.not_applicable, dict)\n"
        f"roots = {SDK_ROOTS!r}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(roots)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]", out.stdout


def test_catalogue_lists_providers_by_name_and_answers_per_rule() -> None:
    assert sorted(PROVIDERS) == PROVIDERS
    for rule in ALL_RULES:
        rid = rule.meta.id
        applies = CATALOG.applies_to(rid)
        assert sorted(applies + CATALOG.not_applicable_on(rid)) == PROVIDERS
        for provider in applies:
            assert CATALOG.guidance(rid, provider) is not None
    assert CATALOG.guidance("CP-001", "no-such-cloud") is None
    assert CATALOG.not_applicable("CP-001", "no-such-cloud") is None


def test_rules_name_no_cloud() -> None:
    """Clouds speak through their plugins; the rules package names none of them."""
    rules_dir = Path(__file__).resolve().parents[2] / "cloudposture" / "rules"
    literal = re.compile(r"[\"'](aws|gcp|azure|oci|alibaba)[\"']")
    offenders = [
        f"{path.name}:{n}"
        for path in sorted(rules_dir.glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if literal.search(line)
    ]
    assert offenders == []
