"""A local HTTP proxy that makes an AWS endpoint misbehave the way AWS does under load.

Sits on 127.0.0.1 in front of moto (or the EKS front) and, per request, at the chosen rates:
answers a throttling error shaped as the service's protocol sends it (EC2
``RequestLimitExceeded`` 503 XML, IAM/STS ``Throttling`` 400 XML, EKS 429 ``ThrottlingException``,
KMS 400 JSON ``ThrottlingException``), answers HTTP 500 with the protocol's internal-error
body, or resets the connection (TCP RST, no reply). Everything else is forwarded untouched.
Faults are bounded by ``max_faults``; ``fail_first`` throttles the first N requests of a
service outright (deterministic tests). Used by bench/fault_bench.py and the retry tests.
"""

from __future__ import annotations

import json
import random
import re
import socket
import struct
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cloudposture_aws.emulator import ForwardingHandler, UpstreamServer

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
_XML_SERVICES = {"iam", "sts"}


@dataclass
class Faults:
    throttle: float = 0.0
    server_error: float = 0.0
    reset: float = 0.0
    max_faults: int = 1_000_000
    fail_first: dict[str, int] = field(default_factory=dict)
    """service -> throttle its first N requests whatever the rates say."""
    seed: int = 9
    injected: Counter[str] = field(default_factory=Counter)
    requests: Counter[str] = field(default_factory=Counter)


def _error_body(service: str, status: int, code: str, message: str) -> tuple[list[Any], bytes]:
    """An error reply as ``service``'s wire protocol shapes it."""
    if service == "ec2":
        xml = (
            f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error>"
            "</Errors><RequestID>fault-proxy</RequestID></Response>"
        )
        return [("Content-Type", "text/xml")], xml.encode()
    if service in _XML_SERVICES:
        kind = "Sender" if status < 500 else "Receiver"
        xml = (
            f"<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code>"
            f"<Message>{message}</Message></Error><RequestId>fault-proxy</RequestId>"
            "</ErrorResponse>"
        )
        return [("Content-Type", "text/xml")], xml.encode()
    if service == "eks":  # rest-json: the code travels in a header
        headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)]
        return headers, json.dumps({"message": message}).encode()
    return [("Content-Type", "application/x-amz-json-1.1")], json.dumps(
        {"__type": code, "message": message}
    ).encode()


THROTTLE_BY_SERVICE = {
    "ec2": (503, "RequestLimitExceeded", "Request limit exceeded."),
    "iam": (400, "Throttling", "Rate exceeded"),
    "sts": (400, "Throttling", "Rate exceeded"),
    "eks": (429, "ThrottlingException", "Rate exceeded"),
}
DEFAULT_THROTTLE = (400, "ThrottlingException", "Rate exceeded")


class _Handler(ForwardingHandler):
    server: _ProxyServer
    protocol_version = "HTTP/1.1"  # keep-alive, as AWS endpoints

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        match = _SCOPE.search(self.headers.get("Authorization", ""))
        service = match.group(2) if match else "unknown"
        fault = self.server.choose(service)
        if fault == "reset":
            self._reset()
            return
        if fault == "throttle":
            status, code, message = THROTTLE_BY_SERVICE.get(service, DEFAULT_THROTTLE)
            self._send(status, *_error_body(service, status, code, message))
            return
        if fault == "server_error":
            code = "InternalError" if service in ("ec2", *_XML_SERVICES) else "InternalFailure"
            self._send(500, *_error_body(service, 500, code, "We encountered an internal error."))
            return
        self._send(*self._forward(body))

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_GET

    def _reset(self) -> None:
        """Close with RST and no reply, as a dropped connection looks to the client."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


class _ProxyServer(UpstreamServer):
    def __init__(self, upstream: str, faults: Faults) -> None:
        parts = urlsplit(upstream)
        super().__init__(_Handler, parts.hostname or "127.0.0.1", parts.port or 80)
        self.faults = faults
        self._random = random.Random(faults.seed)
        self._lock = threading.Lock()

    def choose(self, service: str) -> str | None:
        f = self.faults
        with self._lock:
            f.requests[service] += 1
            if f.requests[service] <= f.fail_first.get(service, 0):
                f.injected["throttle"] += 1
                return "throttle"
            if sum(f.injected.values()) >= f.max_faults:
                return None
            roll = self._random.random()
            for name, rate in (
                ("reset", f.reset),
                ("server_error", f.server_error),
                ("throttle", f.throttle),
            ):
                if roll < rate:
                    f.injected[name] += 1
                    return name
                roll -= rate
            return None


@contextmanager
def fault_proxy(upstream: str, faults: Faults) -> Iterator[str]:
    """Run the proxy in front of ``upstream``; yields its URL (127.0.0.1, ephemeral port)."""
    server = _ProxyServer(upstream, faults)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
