"""Batched EC2 reads shared across clusters: coalescing, and ids AWS no longer has.

The fetch here is a plain function standing in for DescribeSecurityGroups, answering as EC2
does: by id it fails naming a missing id, by filter it answers the ids it has. (The real call
against moto is covered by the adapter tests.)
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from cloudposture_aws.batch import BatchLookup

from cloudposture.model import CollectionError, CollectionFailure

EXISTING = {"sg-1", "sg-2", "sg-3"}


class FakeEc2:
    """Records each call as (ids, by_filter); ``names`` decides what a not-found names."""

    def __init__(self, names: str = "first-missing") -> None:
        self.calls: list[tuple[tuple[str, ...], bool]] = []
        self.names = names

    def __call__(self, region: str, ids: list[str], by_filter: bool) -> dict[str, Any]:
        self.calls.append((tuple(ids), by_filter))
        missing = [i for i in ids if i not in EXISTING]
        if missing and not by_filter:
            named = {"first-missing": f"'{missing[0]}'", "all": str(set(ids)), "none": ""}
            raise CollectionFailure(
                CollectionError(
                    call="ec2:DescribeSecurityGroups",
                    kind="not-found",
                    code="InvalidGroup.NotFound",
                    message=f"The security group {named[self.names]} does not exist",
                )
            )
        return {i: {"GroupId": i} for i in ids if i in EXISTING}


def test_primed_ids_ride_along_with_the_next_call() -> None:
    fake = FakeEc2()
    batch = BatchLookup(fake)
    batch.prime("r", ["sg-1", "sg-2"])  # another cluster's ids, queued
    assert batch.get_many("r", ["sg-3"]) == {"sg-3": {"GroupId": "sg-3"}}
    assert batch.get_many("r", ["sg-1", "sg-2"]) == {
        "sg-1": {"GroupId": "sg-1"},
        "sg-2": {"GroupId": "sg-2"},
    }
    assert fake.calls == [(("sg-1", "sg-2", "sg-3"), False)]


def test_a_missing_id_named_by_aws_is_dropped_and_the_batch_retried_once() -> None:
    fake = FakeEc2("first-missing")
    found = BatchLookup(fake).get_many("r", ["sg-1", "sg-gone", "sg-2"])
    assert found == {"sg-1": {"GroupId": "sg-1"}, "sg-gone": None, "sg-2": {"GroupId": "sg-2"}}
    assert fake.calls == [(("sg-1", "sg-gone", "sg-2"), False), (("sg-1", "sg-2"), False)]


@pytest.mark.parametrize("names", ["all", "none"])
def test_an_error_that_does_not_single_the_id_out_is_settled_by_filter(names: str) -> None:
    fake = FakeEc2(names)
    found = BatchLookup(fake).get_many("r", ["sg-1", "sg-gone"])
    assert found == {"sg-1": {"GroupId": "sg-1"}, "sg-gone": None}  # sg-1 is not taken for gone
    assert fake.calls[-1] == (("sg-1", "sg-gone"), True)
    assert len(fake.calls) == 2


def test_two_missing_ids_cost_three_calls_not_one_per_id() -> None:
    fake = FakeEc2("first-missing")
    found = BatchLookup(fake).get_many("r", ["sg-1", "sg-x", "sg-y", "sg-2", "sg-3"])
    assert [k for k, v in found.items() if v is None] == ["sg-x", "sg-y"]
    assert len(fake.calls) == 3
    assert fake.calls[-1][1] is True


def test_a_failed_batch_fails_every_caller_waiting_on_it() -> None:
    def denied(region: str, ids: list[str], by_filter: bool) -> dict[str, Any]:
        raise CollectionFailure(CollectionError(call="ec2:DescribeSecurityGroups", kind="denied"))

    batch = BatchLookup(denied)
    batch.prime("r", ["sg-1"])
    for ids in (["sg-2"], ["sg-1"]):
        with pytest.raises(CollectionFailure) as caught:
            batch.get_many("r", ids)
        assert caught.value.error.kind == "denied"


def test_concurrent_callers_share_calls_and_each_gets_its_ids() -> None:
    release = threading.Event()
    calls: list[list[str]] = []

    def slow(region: str, ids: list[str], by_filter: bool) -> dict[str, Any]:
        calls.append(list(ids))
        release.wait(5)
        return {i: {"GroupId": i} for i in ids}

    batch = BatchLookup(slow)
    results: dict[str, Any] = {}

    def ask(item: str) -> None:
        results[item] = batch.get_many("r", [item])[item]

    first = threading.Thread(target=ask, args=("sg-a",))
    first.start()
    while not calls:  # the first call is in flight
        threading.Event().wait(0.001)
    others = [threading.Thread(target=ask, args=(f"sg-{n}",)) for n in range(8)]
    for t in others:
        t.start()
    while len(batch._pending.get("r", [])) < 8:  # every other caller has queued its id
        threading.Event().wait(0.001)
    release.set()
    for t in [first, *others]:
        t.join(5)
    assert results == {i: {"GroupId": i} for i in ["sg-a", *(f"sg-{n}" for n in range(8))]}
    assert len(calls) == 2  # the eight queued while the first was in flight: one call


def test_a_region_that_showed_a_missing_id_is_read_by_filter_from_then_on() -> None:
    fake = FakeEc2("first-missing")
    batch = BatchLookup(fake)
    batch.get_many("r", ["sg-1", "sg-gone"])
    batch.get_many("r", ["sg-2", "sg-also-gone"])
    batch.get_many("other", ["sg-3"])
    assert fake.calls[2:] == [(("sg-2", "sg-also-gone"), True), (("sg-3",), False)]
