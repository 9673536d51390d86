"""Strict fixture checking: every key of a fake ARM payload must be known to the SDK model.

The Azure SDKs keep (new generation) or drop (msrest generation) unknown JSON keys silently,
so a typo such as ``enableNodePublicIp`` would deserialize fine and test nothing. These
helpers name every key the model does not declare, so the fake refuses such a fixture.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.providers.round_trip import lost_keys


def unknown_keys(model_cls: Any, body: Mapping[str, Any]) -> list[str]:
    """Dotted paths of keys in ``body`` that ``model_cls`` does not declare."""
    if hasattr(model_cls, "_attribute_map"):  # msrest generation: compare a round trip
        again = model_cls.deserialize(dict(body)).serialize(keep_readonly=True)
        return lost_keys(body, again, "")
    return _walk(model_cls(dict(body)), "")


def _walk(obj: Any, path: str) -> list[str]:
    fields = type(obj)._attr_to_rest_field
    known = {rf._rest_name: attr for attr, rf in fields.items()}
    out: list[str] = []
    for key in list(obj.keys()):
        if key not in known:
            out.append(f"{path}.{key}")
            continue
        out.extend(_walk_value(getattr(obj, known[key]), f"{path}.{key}"))
    return out


def _walk_value(value: Any, path: str) -> list[str]:
    if hasattr(type(value), "_attr_to_rest_field"):
        return _walk(value, path)
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _walk_value(v, f"{path}[{i}]")]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _walk_value(v, f"{path}.{k}")]
    return []
