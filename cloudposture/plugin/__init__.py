"""The provider plugin interface, its entry-point registry, and the collection kit
providers share (``cloudposture.plugin.lookup``)."""

from cloudposture.plugin.interface import (
    ENTRY_POINT_GROUP,
    PartialListing,
    ProviderPlugin,
    ProviderScanner,
    Target,
    available_providers,
    load_provider,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "PartialListing",
    "ProviderPlugin",
    "ProviderScanner",
    "Target",
    "available_providers",
    "load_provider",
]
