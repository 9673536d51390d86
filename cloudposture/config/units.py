"""Config targets -> scan units: each provider's plugin turns its own entries into units.

Why units at all (and not one per target entry): a unit is what the per-account concurrency
bound and ``--shard`` act on, so the finer it is, the more evenly a big estate spreads. How
fine is the provider's call (one per project, subscription, account...); see
:meth:`cloudposture.plugin.ProviderPlugin.scan_units`.
"""

from __future__ import annotations

from cloudposture.config.models import NightlyConfig
from cloudposture.plugin import ScanUnit, load_provider

__all__ = ["ScanUnit", "scan_units"]


def scan_units(config: NightlyConfig) -> list[ScanUnit]:
    """Every unit of the config, provider by provider (by name), entry by entry."""
    units: list[ScanUnit] = []
    default_regions = tuple(config.regions or ())
    for name, entries in config.targets.entries().items():
        if not entries:
            continue
        plugin = load_provider(name)
        for i, entry in enumerate(entries):
            units.extend(plugin.scan_units(entry, f"targets.{name}[{i}]", default_regions))
    return units
