"""Which keys of a fixture an SDK model lost on a round trip (shared by the strict checks).

An SDK model that drops the JSON keys it does not declare deserializes a misspelt fixture key
without a word; serializing the model again and comparing it with the original names every
such key, as a dotted path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def lost_keys(original: Any, again: Any, path: str = "") -> list[str]:
    """Dotted paths of the keys of ``original`` that ``again`` (its round trip) lacks."""
    if isinstance(original, Mapping):
        if not isinstance(again, Mapping):
            return [path or "."]
        out: list[str] = []
        for key, value in original.items():
            if key not in again:
                out.append(f"{path}.{key}")
            else:
                out.extend(lost_keys(value, again[key], f"{path}.{key}"))
        return out
    if isinstance(original, list) and isinstance(again, list):
        return [p for i, v in enumerate(original) for p in lost_keys(v, again[i], f"{path}[{i}]")]
    return []
