"""The provider plugin interface, and the registry that finds plugins by entry point.

A provider is its own distribution (``cloudposture-aws`` ...) that registers an object under
the entry-point group ``cloudposture.providers``. The core never imports a provider: it loads
the entry point only when that provider is scanned, so ``cloudposture --help`` and an AWS scan
never pay for the Google or Azure SDKs. The module an entry point names must itself be cheap
to import (no SDK at module level).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

import click

from cloudposture.model import ClusterPosture, ClusterRef, CollectionError, ConfigurationError
from cloudposture.model.posture import Frozen
from cloudposture.rules.base import ProviderGuidance
from cloudposture.rules.guidance import PROVIDER_ENTRY_POINTS

ENTRY_POINT_GROUP = PROVIDER_ENTRY_POINTS


class Target(Frozen):
    """One unit of discovery: an account/project/subscription in one region (or all, '-')."""

    provider: str
    account: str
    region: str
    skipped: str | None = None
    """Set for a unit intentionally not scanned (a disabled subscription): why. The engine
    lists it in coverage as ``skipped`` with this note and never calls ``discover`` on it."""


class PartialListing(list[ClusterRef]):
    """What ``discover`` returns when the listing itself was partial (GKE ``missingZones``:
    some zones did not answer): the clusters it did list, which are collected as usual, plus
    why others may be missing, which the engine records on the target's coverage entry. The
    scan is then incomplete (exit 3) without blaming each listed cluster for it."""

    def __init__(self, refs: Sequence[ClusterRef], errors: Sequence[CollectionError]) -> None:
        super().__init__(refs)
        self.errors = list(errors)


@runtime_checkable
class ProviderScanner(Protocol):
    """I/O for one provider and one set of credentials. Methods may run on worker threads."""

    name: str

    def targets(self) -> Sequence[Target]:
        """The units to discover in. Raises ConfigurationError or CollectionFailure."""
        ...

    def discover(self, target: Target) -> Sequence[ClusterRef]:
        """List the clusters in ``target``. Raises CollectionFailure when it cannot; returns a
        :class:`PartialListing` when it could list only part of them."""
        ...

    def collect(self, ref: ClusterRef) -> ClusterPosture:
        """Read one cluster. Partial failures go into ``collection_errors``; a cluster that
        cannot be read at all raises CollectionFailure."""
        ...


@runtime_checkable
class ProviderPlugin(Protocol):
    """What a provider distribution registers."""

    name: str
    summary: str
    title: str
    """How docs and tables name the provider, e.g. 'AWS (EKS)'."""
    guidance: Mapping[str, ProviderGuidance]
    """Rule id -> this provider's evidence source, fix and benchmark references."""
    not_applicable: Mapping[str, str]
    """Rule id -> why the rule has no meaning on this provider (NOT_APPLICABLE)."""

    def cli_options(self) -> Sequence[click.Parameter]:
        """The options of ``cloudposture scan <name>`` (the core adds the common ones)."""
        ...

    def scanners(self, settings: Mapping[str, Any], max_workers: int) -> Sequence[ProviderScanner]:
        """Scanners for the given settings: the CLI options by parameter name, or a config
        file's target entry. One scanner per set of credentials (account, project list, ...).
        Raises ConfigurationError for settings that cannot work."""
        ...


def available_providers() -> list[str]:
    """Installed provider names, read from metadata only (imports nothing)."""
    return sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})


def load_provider(name: str) -> ProviderPlugin:
    """Import and return the plugin registered as ``name``."""
    matches = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if not matches:
        installed = ", ".join(available_providers()) or "none"
        raise ConfigurationError(
            f"provider '{name}' is not installed (installed: {installed}); "
            f"install cloudposture-{name}"
        )
    plugin = matches[0].load()
    if not isinstance(plugin, ProviderPlugin):
        raise ConfigurationError(f"entry point '{name}' does not provide a cloudposture plugin")
    return plugin
