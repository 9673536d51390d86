"""Building blocks for a provider's typed ``targets.<cloud>`` entry in the nightly config.

A provider's target model subclasses :class:`TargetEntry`, so every cloud's entries are strict
the same way (a typo such as ``regoins:`` stops the run, it does not scan every region) and
the loader can map each error to FILE:LINE and suggest the key that was meant.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("not an http(s) URL")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]
NonEmpty = Annotated[str, Field(min_length=1)]


class TargetEntry(BaseModel):
    """One ``targets.<cloud>`` entry: frozen, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def drop_none(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Scan-unit settings without the keys the entry left unset (the plugin's defaults)."""
    return {k: v for k, v in settings.items() if v is not None}


def regions_or(regions: list[str] | None, default_regions: tuple[str, ...]) -> tuple[str, ...]:
    """An entry's own regions, else the config's top-level ``regions``."""
    return tuple(regions) if regions is not None else default_regions


def unit_label(name: str | None, ident: str) -> str:
    """The label of one unit of a target entry: the entry's ``name`` (when given) qualifies
    every unit the entry yields, ``NAME/IDENT``, so a report names the entry the user wrote."""
    return f"{name}/{ident}" if name else ident
