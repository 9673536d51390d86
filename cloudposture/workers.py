"""The thread pool every concurrent phase uses (scan, fan-out, sink delivery).

Why not ``with ThreadPoolExecutor()``: its exit waits for every call in flight, so a Ctrl-C
during a scan waited for a worker blocked on a socket read (minutes, against an endpoint
that drips one byte at a time). Here a block that ends by an exception (KeyboardInterrupt
included) cancels what has not started and returns at once; the CLI then ends the process.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager


@contextmanager
def worker_pool(max_workers: int, name: str = "") -> Iterator[ThreadPoolExecutor]:
    pool = ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix=name)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
