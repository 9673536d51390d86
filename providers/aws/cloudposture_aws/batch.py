"""Reads EC2 items by id in batches shared by every cluster of a region (group commit).

Why not one call per cluster: security groups and subnets are read by id, and ``Describe*``
takes many ids at once. Collectors run concurrently; while one call for a region is in flight,
the ids other clusters ask for queue up, and the next call takes them all. No timer and no
window: the slower the API, the bigger the batches. Each id is read at most once per scan.

A batch naming an id AWS no longer has fails as a whole (``InvalidGroup.NotFound``,
``InvalidSubnetID.NotFound``) and the message names the id: the named ids are known to be gone
(None) and the batch is retried once without them, instead of falling back to one call per id.
When the error does not single the missing ids out (it names none, or every id of the batch as
moto does), one call filtering on the ids (``group-id`` / ``subnet-id``, which answers only
the ids that exist and fails on none) settles the batch. A region that has shown a missing id
once (EKS remote-access groups outlive nothing, deleted groups linger in launch templates)
is read by filter from then on: one call per batch instead of a failing one and a retry.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from typing import Any

from cloudposture.model import CollectionFailure

Item = Mapping[str, Any]
FetchMany = Callable[[str, list[str], bool], dict[str, Item]]
"""(region, ids, by_filter) -> the items found, by id; raises CollectionFailure. With
``by_filter`` the ids go in a filter, so ids that do not exist are simply not answered."""

MAX_BATCH = 200  # ids per call (the EC2 filter-value limit; GroupIds/SubnetIds take as many)
UNSETTLED = ("not-found", "invalid")
"""Failures caused by one bad id of the batch (gone, or malformed): settled by id filter."""
_EC2_ID = re.compile(r"\b(?:sg|subnet)-[0-9a-zA-Z]+\b")


class BatchLookup:
    """``get_many(region, ids)`` -> {id: item or None (gone)}, batched across callers."""

    def __init__(self, fetch_many: FetchMany, max_batch: int = MAX_BATCH) -> None:
        self._fetch_many = fetch_many
        self._max_batch = max_batch
        self._cond = threading.Condition()
        self._results: dict[tuple[str, str], Future[Item | None]] = {}
        self._pending: dict[str, list[str]] = {}
        self._busy: set[str] = set()
        self._by_filter: set[str] = set()
        """Regions where a batch met a missing id: later batches filter on the ids."""

    def prime(self, region: str, ids: Iterable[str]) -> None:
        """Queue ids a cluster will ask for soon (from its DescribeCluster, the region's node
        listing), without waiting: whichever call runs next takes them along."""
        with self._cond:
            self._queue(region, list(dict.fromkeys(ids)))

    def _queue(self, region: str, ids: list[str]) -> None:
        for item_id in ids:
            if (region, item_id) not in self._results:
                self._results[(region, item_id)] = Future()
                self._pending.setdefault(region, []).append(item_id)

    def get_many(self, region: str, ids: Iterable[str]) -> dict[str, Item | None]:
        wanted = list(dict.fromkeys(ids))
        with self._cond:
            self._queue(region, wanted)
        mine = [self._results[(region, item_id)] for item_id in wanted]
        while True:
            with self._cond:
                if all(f.done() for f in mine):
                    break
                if region in self._busy or not self._pending.get(region):
                    self._cond.wait()
                    continue
                self._busy.add(region)
                batch = self._pending[region][: self._max_batch]
                self._pending[region] = self._pending[region][self._max_batch :]
            try:
                self._run(region, batch)
            finally:
                with self._cond:
                    self._busy.discard(region)
                    self._cond.notify_all()
        return {item_id: self._results[(region, item_id)].result() for item_id in wanted}

    def _run(self, region: str, batch: list[str]) -> None:
        """Fetch ``batch`` and settle every id's future, whatever happens."""
        try:
            found = self._fetch_pruning(region, batch)
        except BaseException as exc:  # noqa: BLE001 - handed to every waiter of the batch
            for item_id in batch:
                self._results[(region, item_id)].set_exception(exc)
        else:
            for item_id in batch:
                self._results[(region, item_id)].set_result(found.get(item_id))

    def _fetch_pruning(self, region: str, ids: list[str]) -> dict[str, Item]:
        """One call; when AWS names the ids it does not have, drop them and retry once."""
        if region in self._by_filter:
            return self._fetch_many(region, ids, True)
        try:
            return self._fetch_many(region, ids, False)
        except CollectionFailure as failure:
            if failure.error.kind not in UNSETTLED:
                raise
            self._by_filter.add(region)
            named = set(_EC2_ID.findall(failure.error.message)) & set(ids)
        remaining = [i for i in ids if i not in named]
        if named and remaining:
            try:
                return self._fetch_many(region, remaining, False)
            except CollectionFailure as failure:
                if failure.error.kind not in UNSETTLED:
                    raise
        return self._fetch_many(region, remaining or ids, True)
