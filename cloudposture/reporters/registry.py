"""Every file format, found by entry point (``cloudposture.formats``) like any plugin's.

The core's formats are declared in cloudposture's own pyproject, so ``--format`` choices come
from metadata and a format's module (and its libraries) is imported only when it is used.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from cloudposture.model import ConfigurationError
from cloudposture.plugin.registry import Registry
from cloudposture.reporters.interface import Reporter

ENTRY_POINT_GROUP = "cloudposture.formats"


def _as_reporter(obj: object) -> Reporter | None:
    if isinstance(obj, type) and issubclass(obj, Reporter):
        return obj()
    return obj if isinstance(obj, Reporter) else None


FORMATS: Registry[Reporter] = Registry(ENTRY_POINT_GROUP, "format", _as_reporter)


class _Reporters(Mapping[str, Reporter]):
    """name -> reporter in declaration order; a reporter is imported when first looked up."""

    def __getitem__(self, name: str) -> Reporter:
        reporter = FORMATS.get(name)
        if reporter is None:
            raise KeyError(name)
        return reporter

    def __iter__(self) -> Iterator[str]:
        return iter(FORMATS.names())

    def __len__(self) -> int:
        return len(FORMATS.names())

    def __contains__(self, name: object) -> bool:
        return name in FORMATS.names()


REPORTERS: Mapping[str, Reporter] = _Reporters()


def get_reporter(name: str, *, ocsf_class: str = "compliance") -> Reporter:
    """The reporter for ``--format name``; ``ocsf_class`` is ``--ocsf-class`` (ocsf only)."""
    if name not in REPORTERS:
        raise ConfigurationError(f"unknown format '{name}' (choose from: {', '.join(REPORTERS)})")
    return REPORTERS[name].with_ocsf_class(ocsf_class)
