"""Real receivers on 127.0.0.1 for the sink tests: an HTTP(S) server and a TLS syslog server.

Each records what arrived, parsed, so tests assert on headers, auth, bodies and frames; each
can be told to answer with an error, or be stopped and restarted on the same port to play an
outage.
"""

from __future__ import annotations

import http.server
import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import trustme


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Responder = Callable[[Request], tuple[int, bytes]]


def ok_json(_: Request) -> tuple[int, bytes]:
    return 200, b'{"text":"Success","code":0}'


class HttpReceiver:
    """A threaded HTTP(S) server; ``responder`` decides each reply."""

    def __init__(self, responder: Responder = ok_json, tls: ssl.SSLContext | None = None) -> None:
        self.requests: list[Request] = []
        self.responder = responder
        self._tls = tls
        self._server: http.server.ThreadingHTTPServer | None = None
        self.port = 0
        self.start()

    def start(self) -> None:
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                req = Request(
                    "POST", self.path, dict(self.headers.items()), self.rfile.read(length)
                )
                receiver.requests.append(req)
                status, body = receiver.responder(req)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        if self._tls is not None:
            server.socket = self._tls.wrap_socket(server.socket, server_side=True)
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@dataclass
class SyslogReceiver:
    """A TLS (or plain TCP) syslog collector parsing RFC 5425 octet-counted frames."""

    tls: ssl.SSLContext | None
    port: int = 0
    messages: list[str] = field(default_factory=list)
    peer_certs: list[dict[str, Any]] = field(default_factory=list)
    _server: socketserver.ThreadingTCPServer | None = None

    def start(self) -> SyslogReceiver:
        receiver = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                conn: socket.socket = self.request
                if receiver.tls is not None:
                    try:
                        conn = receiver.tls.wrap_socket(conn, server_side=True)
                    except (ssl.SSLError, OSError):
                        return  # the client refused our certificate: what some tests want
                    cert = conn.getpeercert()
                    if cert:
                        receiver.peer_certs.append(cert)
                buffer = b""
                while True:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    buffer += chunk
                    buffer = receiver._take_frames(buffer)
                assert buffer == b"", f"trailing bytes outside a frame: {buffer!r}"

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def _take_frames(self, buffer: bytes) -> bytes:
        """Cut complete ``LEN SP MSG`` frames off the front of ``buffer``."""
        while b" " in buffer:
            length_text, rest = buffer.split(b" ", 1)
            assert length_text.isdigit(), f"frame does not start with an octet count: {buffer!r}"
            length = int(length_text)
            if len(rest) < length:
                break
            self.messages.append(rest[:length].decode("utf-8"))
            buffer = rest[length:]
        return buffer

    def wait_for(self, count: int, timeout: float = 5.0) -> list[str]:
        """The messages, once ``count`` arrived (the handler thread reads after the client
        returned), or whatever arrived when ``timeout`` ran out."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.005)
        return list(self.messages)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def server_context(ca: trustme.CA, *, client_ca: trustme.CA | None = None) -> ssl.SSLContext:
    """A server TLS context with a certificate for 127.0.0.1 / localhost issued by ``ca``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    if client_ca is not None:
        client_ca.configure_trust(context)
        context.verify_mode = ssl.CERT_REQUIRED
    return context
