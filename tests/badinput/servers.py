"""Misbehaving TCP servers on 127.0.0.1: silent, slow-drip, reset, junk, and a slow but
well-formed HTTP endpoint. Each serves every connection on its own thread until stopped."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable
from types import TracebackType

Behaviour = Callable[[socket.socket, threading.Event], None]


def silent(conn: socket.socket, stop: threading.Event) -> None:
    """Accept, read whatever comes, never answer (a HEC or a TLS port that hangs)."""
    conn.settimeout(0.1)
    while not stop.is_set():
        try:
            if conn.recv(65536) == b"":
                return
        except TimeoutError:
            continue
        except OSError:
            return


def drip(interval: float) -> Behaviour:
    """Read the request, then answer one byte of a never-ending HTTP reply every
    ``interval`` seconds: no single read ever times out."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        conn.settimeout(0.5)
        try:
            conn.recv(65536)
        except OSError:
            return
        reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: " + b"a" * 10_000
        for byte in reply:
            if stop.wait(interval):
                return
            try:
                conn.sendall(bytes([byte]))
            except OSError:
                return

    return behave


def reset(conn: socket.socket, stop: threading.Event) -> None:
    """Close with a TCP reset as soon as the connection is accepted."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def junk(conn: socket.socket, stop: threading.Event) -> None:
    """Read the request and answer bytes that are not HTTP at all."""
    conn.settimeout(0.5)
    try:
        conn.recv(65536)
        conn.sendall(b"\x00\xff garbage, not a protocol \x13\x37\r\n\r\n")
    except OSError:
        return


def http_reply(status: int, body: bytes, content_type: str = "application/json") -> Behaviour:
    """A well-formed HTTP/1.1 reply to every request on the connection (keep-alive)."""

    def behave(conn: socket.socket, stop: threading.Event) -> None:
        conn.settimeout(0.5)
        head = (
            f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        while not stop.is_set():
            try:
                data = conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data:
                return
            if b"\r\n\r\n" in data:
                try:
                    conn.sendall(head + body)
                except OSError:
                    return

    return behave


class BadServer:
    """``with BadServer(silent) as server: ... server.port``."""

    def __init__(self, behaviour: Behaviour) -> None:
        self._behaviour = behaviour
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            self._behaviour(conn, self._stop)
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()
        self._thread.join(timeout=2)

    def __enter__(self) -> BadServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def elapsed(action: Callable[[], object]) -> tuple[object, float]:
    start = time.monotonic()
    out = action()
    return out, time.monotonic() - start
