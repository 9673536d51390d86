"""The provider plugin interface: what a cloud declares, and nothing the core knows about it.

A provider is its own distribution (``cloudposture-aws`` ...) that registers a
:class:`ProviderPlugin` under the entry-point group ``cloudposture.providers``. Everything
cloud-specific reaches the core through that object: the ``scan <cloud>`` options, the typed
``targets.<cloud>`` entry of the nightly config and how one becomes scan units, its
``config example`` block, its permissions, its OCSF cloud mapping, its SDK loggers and its
demo. The core loads the entry point only when that cloud is used, so the module an entry
point names must itself be cheap to import (no SDK at module level).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import click
from pydantic import BaseModel

from cloudposture.model import ClusterPosture, ClusterRef, CollectionError, ConfigurationError
from cloudposture.model.posture import Frozen
from cloudposture.plugin.settings import cli_options
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
    label: str
    """Which credentials this scanner uses (role ARN, member account...): names its coverage
    when it fails before it has targets; "" when the plugin has nothing better."""

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


@dataclass(frozen=True)
class ScanUnit:
    """One config entry's worth of scanning: a provider plus the settings its ``scanners``
    takes. A unit is what the per-account concurrency bound and ``--shard`` act on."""

    provider: str
    label: str
    """account id / project / subscription, or the entry's name: names coverage errors."""
    settings: Mapping[str, Any]
    regions: tuple[str, ...] = ()
    """locations to keep after discovery (empty: the plugin's settings decide)."""
    origin: str = field(default="", compare=False)
    """where in the config this unit came from, e.g. targets.gcp[0].projects[1]."""

    @property
    def key(self) -> str:
        return f"{self.provider}:{self.label}"


@dataclass(frozen=True)
class OcsfCloud:
    """How this cloud's findings fill OCSF ``cloud`` and ``resources``."""

    provider: str
    """``cloud.provider``, e.g. the cloud's own spelling of its name."""
    account_type_id: int
    """``cloud.account.type_id`` from the OCSF account type enum."""
    account_type: str
    resource_type: str
    """``resources[].type``: the cloud's own type name for a managed cluster."""


@dataclass(frozen=True)
class Permissions:
    """The read-only permissions a scan needs, as shipped and as called."""

    calls: Mapping[str, tuple[str, ...]]
    """Every API call a scan may make (as the provider's tests record it) -> the permissions
    it needs; the provider's permission test compares it with the calls a scan makes."""
    document: str
    """The shipped policy / role file, relative to the repository's docs/permissions/."""


class ProviderPlugin(ABC):
    """What a provider distribution registers. Optional capabilities have defaults here, so
    the core reads them as attributes and never has to guess with ``getattr``."""

    name: str
    """The cloud id: ``scan <name>``, ``targets.<name>``, findings' ``resource.provider``."""
    summary: str
    title: str
    """How docs and tables name the provider, e.g. 'AWS (EKS)'."""
    guidance: Mapping[str, ProviderGuidance]
    """Rule id -> this provider's evidence source, fix and benchmark references."""
    not_applicable: Mapping[str, str]
    """Rule id -> why the rule has no meaning on this provider (NOT_APPLICABLE)."""

    sdk_loggers: tuple[str, ...] = ()
    """Logger names of the SDKs this provider uses. Kept at ERROR even with --debug: their
    DEBUG output carries request and response bodies (credentials), and their WARNINGs repeat
    as multi-line text what cloudposture already reports as one line."""

    ocsf: OcsfCloud | None = None
    """None: OCSF events of this cloud carry the provider id as ``cloud.provider``."""

    permissions: Permissions | None = None

    target_model: type[BaseModel] | None = None
    """One ``targets.<name>`` entry of the nightly config (``extra="forbid"``); None: this
    provider cannot be used from a config file."""

    settings_model: type[BaseModel] | None = None
    """The one typed description of this provider's settings: its fields are the
    ``targets.<name>`` keys and, through :mod:`cloudposture.plugin.settings` metadata (``Cli``,
    ``CONFIG_ONLY``, ``CliOnly``), the ``scan <name>`` options. Usually also the
    :attr:`target_model`."""

    config_example: str = ""
    """This provider's commented ``targets.<name>`` block for ``cloudposture config example``,
    indented as it sits under ``targets:``; it must load through :attr:`target_model`."""

    def cli_options(self) -> Sequence[click.Parameter]:
        """The options of ``cloudposture scan <name>`` (the core adds the common ones):
        derived from :attr:`settings_model`; a provider without one overrides this."""
        if self.settings_model is None:
            raise NotImplementedError(f"provider '{self.name}' declares no settings_model")
        return cli_options(self.settings_model)

    @abstractmethod
    def scanners(self, settings: Mapping[str, Any], max_workers: int) -> Sequence[ProviderScanner]:
        """Scanners for the given settings: the CLI options by parameter name, or a scan
        unit's settings. One scanner per set of credentials (account, project list, ...).
        Raises ConfigurationError for settings that cannot work."""

    def scan_units(
        self, entry: BaseModel, origin: str, default_regions: tuple[str, ...]
    ) -> list[ScanUnit]:
        """The scan units of one validated ``targets.<name>`` entry (``origin`` is where it
        sits in the file; ``default_regions`` the config's top-level ``regions``)."""
        raise ConfigurationError(f"provider '{self.name}' cannot be used in a config file")

    def demo(self) -> AbstractContextManager[dict[str, Any]] | None:
        """A local emulator seeded with demo clusters, yielding the settings that scan it;
        None when this provider has no demo."""
        return None
