"""Shared reads: a memoized lookup whose failure becomes a CollectionError, and SDK -> JSON.

Every read the scanner shares between clusters goes through :func:`read`: the first caller
makes the call (``SharedLookup``), every later one gets the same answer or the same failure,
and a failure is recorded on the cluster with the posture facts it leaves unknown.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, TypeVar

from google.protobuf import json_format
from google.protobuf.message import Message

from cloudposture.model import CollectionError
from cloudposture.plugin.attempt import Attempts
from cloudposture.plugin.lookup import SharedLookup
from cloudposture_gcp.errors import CAUGHT, to_collection_error

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
JSON = dict[str, Any]


def read(
    lookup: SharedLookup[K, V],
    key: K,
    errors: list[CollectionError],
    call: str,
    resource: str,
    affects: Sequence[str],
) -> V | None:
    """``lookup.get(key)``, or None with the failure appended to ``errors`` (through the
    core's one attempt helper, with GCP's error classifier)."""
    attempts = Attempts(CAUGHT, to_collection_error, merge=False)
    value = attempts.attempt(affects, lambda: lookup.get(key), call=call, resource=resource)
    errors.extend(attempts.items)
    return value


def to_json(message: Message) -> JSON:
    """A protobuf message as the v1 REST JSON (camelCase) the normalizers read."""
    data: JSON = json_format.MessageToDict(message)
    return data
