from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from cloudposture.plugin.lookup import SharedLookup


def test_concurrent_callers_share_one_fetch_per_key() -> None:
    calls: list[str] = []
    lock = threading.Lock()

    def fetch(key: str) -> str:
        with lock:
            calls.append(key)
        time.sleep(0.02)
        return key.upper()

    lookup: SharedLookup[str, str] = SharedLookup(fetch)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lookup.get, ["role-a"] * 10 + ["role-b"] * 6))
    assert results == ["ROLE-A"] * 10 + ["ROLE-B"] * 6
    assert sorted(calls) == ["role-a", "role-b"]
    assert lookup.calls == 2


def test_failures_are_shared_too() -> None:
    attempts = []

    def fetch(key: str) -> str:
        attempts.append(key)
        raise PermissionError(f"denied {key}")

    lookup: SharedLookup[str, str] = SharedLookup(fetch)
    for _ in range(3):
        with pytest.raises(PermissionError, match="denied k"):
            lookup.get("k")
    assert attempts == ["k"]
