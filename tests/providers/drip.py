"""An HTTP endpoint on 127.0.0.1 that answers one byte at a time, slowly, and never finishes.

Each byte restarts a socket read timeout, so only a total deadline per call ends a request
to it (issue 13). It drips a valid status line and headers announcing a large JSON body,
then the body, for at most ``limit`` seconds so that a client without a deadline still ends
(and the test fails on time instead of hanging).
"""

from __future__ import annotations

import socket
import ssl
import threading
from types import TracebackType

_ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
    + b" " * 100000
)


class DripServer:
    def __init__(
        self, interval: float = 0.5, limit: float = 30.0, tls: ssl.SSLContext | None = None
    ) -> None:
        self.interval = interval
        self.limit = limit
        self.tls = tls
        self.connections = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> DripServer:
        accept = threading.Thread(target=self._accept, daemon=True)
        accept.start()
        self._threads.append(accept)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=2)

    def _accept(self) -> None:
        self._listener.settimeout(0.1)  # so that a stop is noticed: close() wakes no accept()
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            worker = threading.Thread(target=self._drip, args=(conn,), daemon=True)
            worker.start()
            self._threads.append(worker)

    def _drip(self, raw: socket.socket) -> None:
        raw.settimeout(5)
        try:
            conn = self.tls.wrap_socket(raw, server_side=True) if self.tls else raw
        except (OSError, ssl.SSLError):
            raw.close()
            return
        with conn:
            try:
                received = b""
                while b"\r\n\r\n" not in received:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    received += chunk
                waited = 0.0
                for byte in _ANSWER:
                    if self._stop.wait(self.interval) or waited >= self.limit:
                        return
                    waited += self.interval
                    conn.sendall(bytes([byte]))
            except OSError:
                return  # the client gave up: what the tests want
