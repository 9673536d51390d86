"""ACK's JSON-in-string fields (``master_url``, ``meta_data``), parsed defensively (pure).

DescribeClusterDetail returns both as strings holding JSON. A string that is absent, empty or
not a JSON object leaves every fact read from it unknown, with the reason, so the rules report
ERROR instead of mistaking "could not read" for "off".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DETAIL = "cs:DescribeClusterDetail"


@dataclass(frozen=True)
class Parsed:
    """A JSON object read from a string field, or why it could not be."""

    value: Mapping[str, Any] = field(default_factory=dict)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def parse_object(cluster: Mapping[str, Any], key: str) -> Parsed:
    raw = cluster.get(key)
    where = f"{DETAIL} {key}"
    if raw is None or raw == "":
        return Parsed(error=f"{where} is absent")
    if isinstance(raw, Mapping):  # already decoded (some API versions)
        return Parsed(value=raw)
    try:
        value = json.loads(str(raw))
    except json.JSONDecodeError as exc:
        return Parsed(error=f"{where} is not JSON ({exc.msg} at position {exc.pos})")
    if not isinstance(value, Mapping):
        return Parsed(error=f"{where} is JSON but not an object")
    return Parsed(value=value)


def capabilities(meta: Parsed) -> Mapping[str, Any] | None:
    caps = meta.value.get("Capabilities")
    return caps if isinstance(caps, Mapping) else None


def addons(meta: Parsed) -> list[Mapping[str, Any]]:
    items = meta.value.get("Addons")
    return [a for a in items if isinstance(a, Mapping)] if isinstance(items, list) else []


def addon_config(addon: Mapping[str, Any]) -> Mapping[str, Any]:
    """An addon's ``config`` is itself a JSON string (``{"NetworkPolicy":"true"}``)."""
    raw = addon.get("config")
    if isinstance(raw, Mapping):
        return raw
    try:
        value = json.loads(str(raw)) if raw else {}
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, Mapping) else {}
