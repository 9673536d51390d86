"""One HTTP POST over the standard library, with TLS verification and one-line errors.

The core stays free of HTTP client dependencies: HEC and webhooks need a POST, a timeout, a CA
file and the status code, which ``http.client`` does well.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from cloudposture.model import ConfigurationError
from cloudposture.sinks.base import DeliveryError
from cloudposture.sinks.url import SinkUrl, clip

DEFAULT_TIMEOUT = 15.0


def tls_context(
    ca_file: str | None, cert_file: str | None = None, key_file: str | None = None
) -> ssl.SSLContext:
    """Certificate and host name verification on; ``ca_file`` replaces the system CAs;
    ``cert_file`` / ``key_file`` present a client certificate (mutual TLS)."""
    try:
        context = ssl.create_default_context(cafile=ca_file)
        if cert_file is not None:
            context.load_cert_chain(cert_file, key_file)
    except (ssl.SSLError, OSError) as err:
        files = ", ".join(f for f in (ca_file, cert_file, key_file) if f)
        raise ConfigurationError(f"cannot use TLS files {files}: {err}") from None
    return context


@dataclass(frozen=True)
class HttpReply:
    status: int
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def snippet(self, secrets: Iterable[str] = ()) -> str:
        """The reply's start on one line, secrets removed before it is cut (a receiver may
        echo the request's headers, Authorization included)."""
        return clip(self.body[:65536].decode("utf-8", "replace"), secrets)


@dataclass(frozen=True)
class HttpTarget:
    """Where to POST: host, port, TLS or not (loopback only), and the timeout."""

    host: str
    port: int
    tls: ssl.SSLContext | None
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_url(cls, url: SinkUrl, *, tls: bool, default_port: int) -> HttpTarget:
        if not tls:
            url.require_loopback()
        context = tls_context(url.file_option("ca_file")) if tls else None
        port = url.port if url.port is not None else default_port
        return cls(url.host, port, context, url.number("timeout", DEFAULT_TIMEOUT))

    def post(self, path: str, body: bytes, headers: Mapping[str, str]) -> HttpReply:
        """POST and read the whole reply; any transport failure is a DeliveryError."""
        conn: http.client.HTTPConnection
        if self.tls is not None:
            conn = http.client.HTTPSConnection(
                self.host, self.port, timeout=self.timeout, context=self.tls
            )
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        with CallDeadline(self.timeout, lambda: conn.sock) as deadline:
            try:
                conn.request("POST", path, body=body, headers=dict(headers))
                response = conn.getresponse()
                return HttpReply(response.status, response.read())
            except ssl.SSLCertVerificationError as err:
                raise DeliveryError(f"TLS verification failed: {err.verify_message}") from None
            except (OSError, http.client.HTTPException) as err:
                why = deadline.reason() or _describe(err)
                raise DeliveryError(f"POST {self.host}:{self.port} failed: {why}") from None
            finally:
                conn.close()


class CallDeadline:
    """A whole call's deadline, connect to last byte. A socket timeout restarts at every byte,
    so a receiver that answers one byte every two seconds would hold a call (and the run, and
    Ctrl-C) forever; when the deadline passes, this shuts the socket down, which ends any
    blocked read or handshake at once."""

    def __init__(self, seconds: float, sock: Callable[[], socket.socket | None]) -> None:
        self._seconds = seconds
        self._sock = sock
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self.expired = False

    def _expire(self) -> None:
        self.expired = True
        current = self._sock()
        if current is not None:
            with contextlib.suppress(OSError):
                current.shutdown(socket.SHUT_RDWR)

    def reason(self) -> str:
        return f"no complete reply within {self._seconds:g}s" if self.expired else ""

    def __enter__(self) -> CallDeadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _describe(err: BaseException) -> str:
    text = str(err) or type(err).__name__
    return text if not isinstance(err, TimeoutError) else "timed out"
