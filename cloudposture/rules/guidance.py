"""A compact constructor for a rule's per-provider guidance.

Every rule states, for every provider it applies to, the same five things (evidence, fix in
words, console path, CLI command, Terraform attribute, docs). Keyword-only arguments keep the
row modules readable and make a missing piece a type error rather than an empty string.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cloudposture.model import Reference, Remediation
from cloudposture.rules.base import ProviderGuidance


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
