"""A fake Alibaba Cloud on 127.0.0.1 that the real SDK clients talk to over plain http.

ACK (``cs``) is a ROA API: the fake routes it by path (``/api/v1/clusters``,
``/clusters/<id>/nodepools``, ...). ECS, SLB, RAM, KMS and STS are RPC APIs: the SDK sends
``POST /`` with the action and version in the ``x-acs-action`` / ``x-acs-version`` headers and
the parameters in the query string, so the fake routes them by (version, action). Every
request must carry a signature made with a known access key id. Bodies are registered through
:class:`World` (world.py), which checks each one against its SDK model.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

ACCESS_KEY_ID = "LTAI5tFakeReaderKey"
ACCESS_KEY_SECRET = "fake-secret-never-printed"
ASSUMED_KEY_ID = "STS.FakeAssumedKey"
ASSUMED_TOKEN = "fake-sts-token-never-printed"

VERSIONS = {
    "2014-05-26": "ecs",
    "2014-05-15": "slb",
    "2015-05-01": "ram",
    "2016-01-20": "kms",
    "2015-04-01": "sts",
    "2015-12-15": "cs",
}

Handler = Callable[[Mapping[str, str]], tuple[int, Any]]


@dataclass(frozen=True)
class Call:
    service: str
    action: str
    params: Mapping[str, str]
    key_id: str


@dataclass
class FakeAlibaba:
    """Routes: (service, action) -> handler(params) -> (status, body)."""

    handlers: dict[tuple[str, str], Handler] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    port: int = 0
    key_ids: set[str] = field(default_factory=lambda: {ACCESS_KEY_ID})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def route(self, service: str, action: str, handler: Handler) -> None:
        self.handlers[(service, action)] = handler

    def count(self, action: str) -> int:
        return Counter(c.action for c in self.calls)[action]

    def actions(self) -> set[str]:
        return {f"{c.service}:{c.action}" for c in self.calls}

    def respond(self, method: str, raw: str, headers: Mapping[str, str]) -> tuple[int, Any]:
        parsed = urlparse(raw)
        params = {k: v[0] for k, v in parse_qs(parsed.query).items()}
        version = headers.get("x-acs-version", "")
        service = VERSIONS.get(version, "?")
        action = headers.get("x-acs-action", "")
        if service == "cs":
            action, extra = _roa_action(parsed.path)
            params = {**params, **extra}
        key_id = _key_id(headers.get("authorization", ""))
        self.calls.append(Call(service, action, params, key_id))
        if key_id not in self.key_ids:
            return 400, _error(
                service, "InvalidAccessKeyId.NotFound", "Specified access key is not found."
            )
        handler = self.handlers.get((service, action))
        if handler is None:
            self.problems.append(f"no route for {service}:{action} {params}")
            return 404, _error(service, "InvalidAction.NotFound", f"{action} not faked")
        return handler(params)


_ROA = (
    (re.compile(r"^/api/v1/clusters$"), "DescribeClustersV1"),
    (re.compile(r"^/api/v1/metadata/versions$"), "DescribeKubernetesVersionMetadata"),
    (re.compile(r"^/clusters/(?P<ClusterId>[^/]+)/nodepools$"), "DescribeClusterNodePools"),
    (re.compile(r"^/clusters/(?P<ClusterId>[^/]+)/nodes$"), "DescribeClusterNodes"),
    (re.compile(r"^/clusters/(?P<ClusterId>[^/]+)/controlplanelog$"), "CheckControlPlaneLogEnable"),
    (re.compile(r"^/clusters/(?P<ClusterId>[^/]+)/audit$"), "GetClusterAuditProject"),
    (re.compile(r"^/clusters/(?P<ClusterId>[^/]+)$"), "DescribeClusterDetail"),
)


def _roa_action(path: str) -> tuple[str, dict[str, str]]:
    for pattern, action in _ROA:
        found = pattern.match(path)
        if found:
            return action, found.groupdict()
    return f"?{path}", {}


def _key_id(authorization: str) -> str:
    """``ACS3-HMAC-SHA256 Credential=<key id>,SignedHeaders=...,Signature=...``."""
    found = re.search(r"Credential=([^,]+)", authorization)
    return found.group(1) if found else ""


def _error(service: str, code: str, message: str, status: int = 400) -> dict[str, Any]:
    if service == "cs":  # ACK's ROA errors are snake/camel case
        return {"code": code, "message": message, "requestId": "FAKE-REQUEST"}
    return {
        "Code": code,
        "Message": message,
        "RequestId": "FAKE-REQUEST",
        "HostId": "fake.aliyuncs.com",
    }


def error(service: str, code: str, status: int) -> tuple[int, Any]:
    return status, _error(service, code, f"fake {code}")


class _HttpHandler(BaseHTTPRequestHandler):
    fake: FakeAlibaba

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, body = self.fake.respond(self.command, self.path, headers)
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = _serve
    do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:
        return


class Running:
    """Context manager: serve ``fake`` on 127.0.0.1 (ephemeral port) in a thread."""

    def __init__(self, fake: FakeAlibaba) -> None:
        handler = type("Handler", (_HttpHandler,), {"fake": fake})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        fake.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def __enter__(self) -> Running:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
