"""A per-scan, thread-safe memo so a shared lookup is made once.

An IAM role, a security group or a KMS key is often referenced by many clusters; concurrent
collectors asking for the same key wait for the first call instead of repeating it. Failures
are memoized too: a denied call is not retried by every cluster that needs it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SharedLookup(Generic[K, V]):
    def __init__(self, fetch: Callable[[K], V]) -> None:
        self._fetch = fetch
        self._lock = threading.Lock()
        self._results: dict[K, Future[V]] = {}

    def get(self, key: K) -> V:
        with self._lock:
            future = self._results.get(key)
            owner = future is None
            if future is None:
                future = Future()
                self._results[key] = future
        if owner:
            try:
                future.set_result(self._fetch(key))
            except BaseException as exc:  # noqa: BLE001 - handed to every waiter
                future.set_exception(exc)
        return future.result()

    @property
    def calls(self) -> int:
        """How many distinct keys were fetched (for tests and benchmarks)."""
        with self._lock:
            return len(self._results)
