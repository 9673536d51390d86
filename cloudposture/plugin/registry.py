"""One registry mechanism for every extension axis: entry points, read lazily.

Providers (``cloudposture.providers``), formats (``cloudposture.formats``) and sinks
(``cloudposture.sinks``) are all found the same way, the core's own formats and sinks included
(they are declared in cloudposture's pyproject like any plugin's). Listing names reads
distribution metadata only; an entry point's module is imported the first time that name is
used, so ``cloudposture --help`` imports no format, no sink and no cloud SDK.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
from typing import Generic, TypeVar

from cloudposture.model import ConfigurationError
from cloudposture.plugin.interface import ENTRY_POINT_GROUP, ProviderPlugin

T = TypeVar("T")


class Registry(Generic[T]):
    """The entry points of one group; ``check`` turns a loaded object into a ``T`` or None."""

    def __init__(self, group: str, kind: str, check: Callable[[object], T | None]) -> None:
        self.group = group
        self.kind = kind
        self._check = check
        self._lock = threading.Lock()
        self._loaded: dict[str, T] = {}

    def _entry_points(self) -> list[EntryPoint]:
        return list(entry_points(group=self.group))

    def names(self) -> list[str]:
        """Registered names in declaration order, first registration wins (metadata only)."""
        return list(dict.fromkeys(ep.name for ep in self._entry_points()))

    def __contains__(self, name: object) -> bool:
        return name in self.names()

    def get(self, name: str) -> T | None:
        """The object registered as ``name`` (imported on first use), or None if none is."""
        with self._lock:
            if name in self._loaded:
                return self._loaded[name]
        matches = [ep for ep in self._entry_points() if ep.name == name]
        if not matches:
            return None
        loaded = self._check(matches[0].load())
        if loaded is None:
            raise ConfigurationError(
                f"entry point '{name}' in {self.group} does not provide a cloudposture {self.kind}"
            )
        with self._lock:
            return self._loaded.setdefault(name, loaded)


def _as_provider(obj: object) -> ProviderPlugin | None:
    return obj if isinstance(obj, ProviderPlugin) else None


PROVIDERS: Registry[ProviderPlugin] = Registry(ENTRY_POINT_GROUP, "plugin", _as_provider)


def available_providers() -> list[str]:
    """Installed provider names, read from metadata only (imports nothing)."""
    return sorted(PROVIDERS.names())


def load_provider(name: str) -> ProviderPlugin:
    """Import and return the plugin registered as ``name``. Its SDK loggers are silenced from
    here on: this is the one place every path passes before a provider's SDK can log."""
    plugin = PROVIDERS.get(name)
    if plugin is None:
        installed = ", ".join(available_providers()) or "none"
        raise ConfigurationError(
            f"provider '{name}' is not installed (installed: {installed}); "
            f"install cloudposture-{name}"
        )
    for logger in plugin.sdk_loggers:
        logging.getLogger(logger).setLevel(logging.ERROR)
    return plugin
