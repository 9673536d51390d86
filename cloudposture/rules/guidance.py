"""Per-provider rule guidance: the constructors provider modules use, and the one gatherer.

A rule is neutral logic plus neutral metadata. What to tell a user of one cloud (where the
fact was read, the console path, CLI command, Terraform attribute, docs, benchmark controls)
and on which clouds a rule has no meaning belong to that cloud's distribution: its plugin
object exposes ``guidance`` (rule id -> :class:`ProviderGuidance`) and ``not_applicable``
(rule id -> reason). :func:`installed_guidance` gathers them from every installed plugin, and
``rules list|show``, docs/rules, NOT_APPLICABLE findings and every output format read that one
catalogue, so adding a cloud never edits a rule.

The constructors are keyword-only so a provider module stays readable and a missing piece is
a type error rather than an empty string.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from cloudposture.model import ConfigurationError, Finding, Reference, Remediation
from cloudposture.rules.base import ProviderGuidance

PROVIDER_ENTRY_POINTS = "cloudposture.providers"
"""The entry-point group provider distributions register their plugin object under."""


def guide(
    *,
    evidence: str,
    summary: str,
    console: str,
    cli: str,
    terraform: str,
    docs: Sequence[str],
    refs: Sequence[Reference] = (),
) -> ProviderGuidance:
    return ProviderGuidance(
        evidence=evidence,
        remediation=Remediation(
            summary=summary, console=console, cli=cli, terraform=terraform, docs=list(docs)
        ),
        references=tuple(refs),
    )


@dataclass(frozen=True)
class Steps:
    """The how-to half of a fix, shared by rules that have the same remedy on a provider."""

    console: str
    cli: str
    terraform: str
    docs: tuple[str, ...]
    refs: tuple[Reference, ...] = ()


def guide_steps(steps: Steps, *, evidence: str, summary: str) -> ProviderGuidance:
    return guide(
        evidence=evidence,
        summary=summary,
        console=steps.console,
        cli=steps.cli,
        terraform=steps.terraform,
        docs=steps.docs,
        refs=steps.refs,
    )


def cis(benchmark: str, version: str, control: str, title: str = "") -> Reference:
    return Reference(benchmark=benchmark, version=version, control=control, title=title)


@runtime_checkable
class GuidanceSource(Protocol):
    """What the catalogue reads from a provider plugin (a subset of its interface)."""

    name: str
    title: str
    """How docs and tables name the provider, e.g. 'AWS (EKS)'."""
    guidance: Mapping[str, ProviderGuidance]
    not_applicable: Mapping[str, str]


class GuidanceCatalog:
    """Every installed provider's guidance and NOT_APPLICABLE reasons, by provider name.

    Providers are listed by name: no cloud comes first because the core says so.
    """

    def __init__(self, sources: Iterable[GuidanceSource]) -> None:
        self._sources = {s.name: s for s in sorted(sources, key=lambda s: s.name)}

    @property
    def providers(self) -> list[str]:
        return list(self._sources)

    def title(self, provider: str) -> str:
        source = self._sources.get(provider)
        return source.title if source is not None else provider

    def guidance(self, rule_id: str, provider: str) -> ProviderGuidance | None:
        source = self._sources.get(provider)
        return None if source is None else source.guidance.get(rule_id)

    def not_applicable(self, rule_id: str, provider: str) -> str | None:
        """Why ``rule_id`` has no meaning on ``provider``; ``None`` when it applies."""
        source = self._sources.get(provider)
        return None if source is None else source.not_applicable.get(rule_id)

    def applies_to(self, rule_id: str) -> list[str]:
        return [p for p in self._sources if self.not_applicable(rule_id, p) is None]

    def not_applicable_on(self, rule_id: str) -> list[str]:
        return [p for p in self._sources if self.not_applicable(rule_id, p) is not None]


@cache
def installed_guidance() -> GuidanceCatalog:
    """The catalogue of every installed provider plugin (their modules import no SDK)."""
    sources = []
    for ep in entry_points(group=PROVIDER_ENTRY_POINTS):
        plugin = ep.load()
        if not isinstance(plugin, GuidanceSource):
            raise ConfigurationError(
                f"provider plugin '{ep.name}' declares no rule guidance "
                "(title, guidance, not_applicable)"
            )
        sources.append(plugin)
    return GuidanceCatalog(sources)


def with_guidance(finding: Finding, guidance: GuidanceCatalog | None = None) -> Finding:
    """The finding as it is written out: with its rule's remediation and references for its
    provider. Findings do not carry them while a scan runs (110,000 copies of the same text
    in a large scan); every output fills them in here. A finding that already carries them
    (read back from a store, or built by hand) is returned as it is."""
    if finding.remediation is not None or finding.references:
        return finding
    text = (guidance or installed_guidance()).guidance(finding.rule_id, finding.resource.provider)
    if text is None:
        return finding
    return finding.model_copy(
        update={"remediation": text.remediation, "references": list(text.references)}
    )
