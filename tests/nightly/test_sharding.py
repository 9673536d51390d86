from __future__ import annotations

import pytest

from cloudposture.model import ConfigurationError
from cloudposture.nightly.sharding import Shard, parse_shard, partition, shard_of

KEYS = [f"aws:{n:012d}" for n in range(200)]


def test_parse() -> None:
    assert parse_shard("2/4") == Shard(2, 4)
    assert str(parse_shard(" 0/1 ")) == "0/1"


@pytest.mark.parametrize("spec", ["4/4", "1", "a/b", "-1/3", "0/0", "1/2/3"])
def test_bad_specs_are_configuration_errors(spec: str) -> None:
    with pytest.raises(ConfigurationError, match="--shard"):
        parse_shard(spec)


def test_shards_are_disjoint_cover_everything_and_are_balanced() -> None:
    parts = [partition(KEYS, str, Shard(i, 4)) for i in range(4)]
    assert sorted(k for p in parts for k in p) == sorted(KEYS)
    assert sum(len(p) for p in parts) == len(KEYS)
    assert all(30 <= len(p) <= 70 for p in parts), [len(p) for p in parts]


def test_a_units_shard_does_not_depend_on_the_other_units() -> None:
    before = {k: shard_of(k, 4) for k in KEYS}
    more = [*KEYS, "aws:999999999999", "gcp:new-project"]
    assert all(shard_of(k, 4) == before[k] for k in KEYS)
    assert partition(more, str, None) == more


def test_known_values_are_stable_across_processes_and_versions() -> None:
    # sha256-based, not hash(): PYTHONHASHSEED must not move accounts between shards
    keys = ("aws:111111111111", "gcp:p1", "azure:s1", "aws:222222222222")
    assert [shard_of(k, 4) for k in keys] == [1, 0, 0, 2]
    assert shard_of("aws:111111111111", 1) == 0
