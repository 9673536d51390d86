"""SDK models back to the REST JSON they were parsed from, for the pure normalize functions."""

from __future__ import annotations

from typing import Any


def as_rest(model: Any) -> dict[str, Any]:
    """An SDK model as REST JSON (camelCase keys, ``properties`` envelope).

    Two generations of Azure SDK models are in play: msrest-style ones (authorization,
    monitor, subscription) serialize back with ``serialize(keep_readonly=True)``; the newer
    dict-backed ones (containerservice, network, keyvault) already hold the REST JSON.
    """
    if hasattr(model, "serialize"):
        body: dict[str, Any] = model.serialize(keep_readonly=True)
        return body
    return dict(model.as_dict())
