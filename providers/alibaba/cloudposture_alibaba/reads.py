"""One read through a shared lookup, a failure turned into a recorded CollectionError."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

from cloudposture.model import CollectionError
from cloudposture.plugin.lookup import SharedLookup
from cloudposture_alibaba.errors import CAUGHT, to_collection_error

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def read(
    lookup: SharedLookup[K, V],
    key: K,
    errors: list[CollectionError],
    call: str,
    resource: str,
    affects: Sequence[str],
) -> V | None:
    """The looked-up value, or None with the failure appended to ``errors``."""
    try:
        return lookup.get(key)
    except CAUGHT as exc:
        errors.append(to_collection_error(exc, call, resource, affects))
        return None
