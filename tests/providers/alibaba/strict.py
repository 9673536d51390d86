"""Strict fixture checking: every key of a fake payload must be known to the SDK's model.

The Alibaba SDK models keep only the keys they declare (``from_map`` drops the rest), so a
misspelt fixture key such as ``master_urls`` would deserialize fine and test nothing. A round
trip through ``from_map`` and ``to_map`` names every key the model does not declare.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.providers.round_trip import lost_keys


def unknown_keys(model_cls: Any, body: Mapping[str, Any]) -> list[str]:
    """Dotted paths of keys in ``body`` that ``model_cls`` does not declare."""
    again = model_cls().from_map(dict(body)).to_map()
    return lost_keys(body, again, "")


def check(model_cls: Any, body: Mapping[str, Any]) -> None:
    unknown = unknown_keys(model_cls, body)
    assert not unknown, f"fixture keys unknown to {model_cls.__name__}: {unknown}"
