"""``--shard INDEX/COUNT``: split a run's scan units over several processes, deterministically.

Why a hash of each unit's key rather than round-robin over a sorted list: every shard lists
the estate itself (an organization's ListAccounts may change between two pods starting), and
a unit's shard must not depend on which other units exist. With a hash, an account added
mid-run lands in exactly one shard and none of the others move.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from cloudposture.model import ConfigurationError

T = TypeVar("T")
_SPEC = re.compile(r"^(\d{1,12})/(\d{1,12})$")
MAX_SHARDS = 100_000
"""A Kubernetes Indexed Job's completions limit; the store keeps the count as an integer."""


@dataclass(frozen=True)
class Shard:
    index: int
    """0-based, like a Kubernetes Indexed Job's JOB_COMPLETION_INDEX."""
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def owns(self, key: str) -> bool:
        return shard_of(key, self.count) == self.index


def parse_shard(spec: str) -> Shard:
    """``"2/4"`` -> Shard(2, 4); the index is 0-based (0..COUNT-1)."""
    match = _SPEC.match(spec.strip())
    if match is None:
        raise ConfigurationError(f"--shard expects INDEX/COUNT such as 0/4, got '{spec}'")
    index, count = int(match.group(1)), int(match.group(2))
    if not 1 <= count <= MAX_SHARDS or index >= count:
        raise ConfigurationError(
            f"--shard {spec}: INDEX must be 0..COUNT-1 and COUNT from 1 to {MAX_SHARDS}"
        )
    return Shard(index, count)


def shard_of(key: str, count: int) -> int:
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def partition(items: Sequence[T], key: Callable[[T], str], shard: Shard | None) -> list[T]:
    """The items ``shard`` owns (all of them without a shard)."""
    if shard is None:
        return list(items)
    return [item for item in items if shard.owns(key(item))]
