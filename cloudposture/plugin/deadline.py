"""A total deadline per HTTP call: connect, send and the whole answer, not per socket read.

Socket timeouts restart at every byte, so an endpoint that answers one byte every two seconds
holds a read with a 60 s timeout forever. A :class:`CallDeadline` ends it: it starts a timer
when the call starts, every connection the call uses registers itself (:func:`watch`), and
when time is up the timer shuts those sockets down, which wakes the blocked read with an
end-of-file. The caller then raises a timeout of its own kind, since the answer it has is cut.

:func:`requests_adapter` builds the glue for clients on ``requests`` (the Google REST
transports, azure-core): a transport adapter whose urllib3 connections register themselves.
``requests`` is imported only there, by providers that already depend on it; the core itself
never makes these calls.
"""

from __future__ import annotations

import contextlib
import math
import os
import socket
import threading
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Protocol

from cloudposture.model import ConfigurationError

_CURRENT = threading.local()
DEADLINE_ENV = "CLOUDPOSTURE_CALL_DEADLINE"
DEFAULT_SECONDS = 120.0


class _HasSocket(Protocol):
    sock: socket.socket | None


class CallDeadline:
    """``with CallDeadline(seconds) as deadline: ...``; ``deadline.expired`` after a cut."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._lock = threading.Lock()
        self._connections: list[_HasSocket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._outer: CallDeadline | None = None

    def __enter__(self) -> CallDeadline:
        self._outer = getattr(_CURRENT, "deadline", None)
        _CURRENT.deadline = self
        self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._timer.cancel()
        _CURRENT.deadline = self._outer
        with self._lock:
            self._connections.clear()

    def watch(self, connection: _HasSocket) -> None:
        with self._lock:
            self._connections.append(connection)
            late = self.expired
        if late:
            _shut(connection)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            connections = list(self._connections)
        for connection in connections:
            _shut(connection)


def deadline_seconds(environ: Mapping[str, str] | None = None) -> float:
    """The per-call deadline: ``CLOUDPOSTURE_CALL_DEADLINE`` seconds, else 120."""
    env = os.environ if environ is None else environ
    text = env.get(DEADLINE_ENV, "").strip()
    if not text:
        return DEFAULT_SECONDS
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= 86400):
        raise ConfigurationError(
            f"{DEADLINE_ENV} must be a number of seconds between 0 and 86400, got {text!r}"
        )
    return value


def watch(connection: _HasSocket) -> None:
    """Put ``connection`` under the running call's deadline (no deadline: nothing to do)."""
    deadline: CallDeadline | None = getattr(_CURRENT, "deadline", None)
    if deadline is not None:
        deadline.watch(connection)


def _shut(connection: _HasSocket) -> None:
    sock = connection.sock
    if sock is None:
        return
    with contextlib.suppress(OSError):  # already closed: nothing left to wake
        sock.shutdown(socket.SHUT_RDWR)


def requests_adapter(seconds: float, **adapter_options: Any) -> Any:
    """A ``requests`` transport adapter that gives every request ``seconds`` in total, the
    body included (read before the adapter returns unless the caller streams). A cut call
    raises ``requests.exceptions.ReadTimeout`` saying so."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class Watching:
        """Registers the connection (reused or new) with the running call's deadline."""

        sock: Any

        def request(self, *args: Any, **kwargs: Any) -> None:
            watch(self)
            super().request(*args, **kwargs)  # type: ignore[misc]

        def connect(self) -> None:
            super().connect()  # type: ignore[misc]
            watch(self)

    class Watched(Watching, HTTPConnection):
        pass

    class WatchedTls(Watching, HTTPSConnection):
        pass

    class Pool(HTTPConnectionPool):
        ConnectionCls = Watched

    class TlsPool(HTTPSConnectionPool):
        ConnectionCls = WatchedTls

    pools = {"http": Pool, "https": TlsPool}

    class DeadlineAdapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = dict(pools)

        def proxy_manager_for(self, *args: Any, **kwargs: Any) -> Any:
            manager = super().proxy_manager_for(*args, **kwargs)
            manager.pool_classes_by_scheme = dict(pools)
            return manager

        def send(
            self,
            request: Any,
            stream: bool = False,
            timeout: Any = None,
            verify: Any = True,
            cert: Any = None,
            proxies: Any = None,
        ) -> Any:
            with CallDeadline(seconds) as deadline:
                try:
                    response = super().send(request, stream, timeout, verify, cert, proxies)
                    if not stream:
                        response.content  # noqa: B018 - read the body under the deadline
                except requests.RequestException:
                    if not deadline.expired:
                        raise
                if deadline.expired:
                    raise requests.exceptions.ReadTimeout(
                        f"no complete answer within {seconds:g} s (connect, send and read "
                        f"together) from {_origin(request.url)}",
                        request=request,
                    )
            return response

    return DeadlineAdapter(**adapter_options)


def _origin(url: str) -> str:
    """scheme://host:port only: the path may name resources, the userinfo a password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"
