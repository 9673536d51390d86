"""The provider plugin interface, the entry-point registry every extension axis uses, and
the collection kit providers share (``lookup``: memoised reads; ``attempt``: record a failed
read with the facts it leaves unknown)."""

from cloudposture.plugin.interface import (
    ENTRY_POINT_GROUP,
    OcsfCloud,
    PartialListing,
    Permissions,
    ProviderPlugin,
    ProviderScanner,
    ScanUnit,
    Target,
)
from cloudposture.plugin.registry import available_providers, load_provider

__all__ = [
    "ENTRY_POINT_GROUP",
    "OcsfCloud",
    "PartialListing",
    "Permissions",
    "ProviderPlugin",
    "ProviderScanner",
    "ScanUnit",
    "Target",
    "available_providers",
    "load_provider",
]
