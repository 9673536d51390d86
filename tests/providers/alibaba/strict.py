"""Strict fixture checking: every key of a fake payload must be known to the SDK's model.

The Alibaba SDK models keep only the keys they declare (``from_map`` drops the rest), so a
misspelt fixture key such as ``master_urls`` would deserialize fine and test nothing. A round
trip through ``from_map`` and ``to_map`` names every key the model does not declare.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def unknown_keys(model_cls: Any, body: Mapping[str, Any]) -> list[str]:
    """Dotted paths of keys in ``body`` that ``model_cls`` does not declare."""
    again = model_cls().from_map(dict(body)).to_map()
    return _missing(body, again, "")


def _missing(original: Any, again: Any, path: str) -> list[str]:
    if isinstance(original, Mapping):
        if not isinstance(again, Mapping):
            return [path or "."]
        out: list[str] = []
        for key, value in original.items():
            if key not in again:
                out.append(f"{path}.{key}")
            else:
                out.extend(_missing(value, again[key], f"{path}.{key}"))
        return out
    if isinstance(original, list) and isinstance(again, list):
        return [p for i, v in enumerate(original) for p in _missing(v, again[i], f"{path}[{i}]")]
    return []


def check(model_cls: Any, body: Mapping[str, Any]) -> None:
    unknown = unknown_keys(model_cls, body)
    assert not unknown, f"fixture keys unknown to {model_cls.__name__}: {unknown}"
