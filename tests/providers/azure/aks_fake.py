"""A fake Azure Resource Manager on 127.0.0.1 that the real Azure SDK clients talk to.

Each route names the api-version the SDK must send (a request with another version gets a
400, and is recorded); list routes page through ``nextLink`` URLs pointing back here; every
body is checked against its SDK model when registered (see ``aks_strict``), so a fixture key
the SDK does not know fails the test that registers it. Requests are recorded so tests can
assert that nothing was read twice.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlparse

from tests.providers.azure.aks_strict import unknown_keys

TOKEN = "fake-arm-token"
GRAPH_TOKEN = "fake-graph-token"
GRAPH_SELECT = "id,appId,displayName"
_SERVICE_PRINCIPAL = re.compile(r"^/v1\.0/serviceprincipals\(appid='([^']*)'\)$")


@dataclass
class Route:
    api_version: str
    status: int = 200
    body: Any = None
    items: list[Any] | None = None
    page_size: int = 0


@dataclass
class FakeArm:
    """Routes by (lower-case path, $filter); see :meth:`add`, :meth:`add_list`, :meth:`fail`."""

    routes: dict[tuple[str, str], Route] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    port: int = 0
    delay: float = 0.0
    """Seconds to wait before answering (for timeout tests)."""
    graph: dict[str, tuple[int, Any]] = field(default_factory=dict)
    """Microsoft Graph: lower-case appId -> (status, body) of servicePrincipals(appId=...)."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add(
        self, path: str, api_version: str, body: Any, model: Any = None, query_filter: str = ""
    ) -> None:
        self._check(model, [body])
        self.routes[(path.lower(), query_filter)] = Route(api_version, body=body)

    def add_list(
        self,
        path: str,
        api_version: str,
        items: Sequence[Any],
        model: Any = None,
        page_size: int = 0,
        query_filter: str = "",
    ) -> None:
        self._check(model, items)
        route = Route(api_version, items=list(items), page_size=page_size)
        self.routes[(path.lower(), query_filter)] = route

    def fail(
        self, path: str, api_version: str, status: int, code: str, query_filter: str = ""
    ) -> None:
        body = {"error": {"code": code, "message": f"fake {code} for {path}"}}
        self.routes[(path.lower(), query_filter)] = Route(api_version, status=status, body=body)

    def add_service_principal(self, app_id: str, object_id: str, display_name: str) -> None:
        """Graph's answer to ``$select=id,appId,displayName``: exactly those properties."""
        context = f"{self.url}/v1.0/$metadata#servicePrincipals({GRAPH_SELECT})/$entity"
        body = {"@odata.context": context, "id": object_id, "appId": app_id,
                "displayName": display_name}  # fmt: skip
        self.graph[app_id.lower()] = (200, body)

    def fail_graph(self, app_id: str, status: int, code: str, message: str) -> None:
        """A Graph error as Graph shapes it (OData error with an innerError)."""
        inner = {"date": "2026-01-01T00:00:00", "request-id": "fake", "client-request-id": "fake"}
        body = {"error": {"code": code, "message": message, "innerError": inner}}
        self.graph[app_id.lower()] = (status, body)

    def count(self, path: str) -> int:
        return Counter(p for p, _ in self.requests)[path.lower()]

    @staticmethod
    def _check(model: Any, bodies: Sequence[Any]) -> None:
        if model is None:
            return
        for body in bodies:
            unknown = unknown_keys(model, body)
            assert not unknown, f"fixture keys unknown to {model.__name__}: {unknown}"

    # -- serving -----------------------------------------------------------------------------

    def respond(self, raw_path: str, auth: str) -> tuple[int, Any]:
        parsed = urlparse(raw_path)
        query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
        path = unquote(parsed.path).lower().rstrip("/") or "/"
        self.requests.append((path, query.get("$filter", "")))
        if path.startswith("/v1.0/"):
            return self._graph(path, query, auth)
        if auth != f"Bearer {TOKEN}":
            return 401, {"error": {"code": "InvalidAuthenticationToken", "message": "no token"}}
        route = self.routes.get((path, query.get("$filter", "")))
        if route is None:
            self.problems.append(f"no route for {path} {query}")
            return 404, {"error": {"code": "ResourceNotFound", "message": f"{path} not faked"}}
        if query.get("api-version") != route.api_version:
            self.problems.append(f"{path}: api-version {query.get('api-version')}")
            return 400, {"error": {"code": "InvalidApiVersionParameter", "message": path}}
        if route.items is None:
            return route.status, route.body
        return 200, self._page(parsed.path, query, route)

    def _graph(self, path: str, query: Mapping[str, str], auth: str) -> tuple[int, Any]:
        if auth != f"Bearer {GRAPH_TOKEN}":  # an ARM token has the wrong audience
            error = {"code": "InvalidAuthenticationToken", "message": "Invalid audience."}
            return 401, {"error": error}
        match = _SERVICE_PRINCIPAL.match(path)
        if match is None or query.get("$select") != GRAPH_SELECT:
            self.problems.append(f"graph: unexpected {path} {query}")
            return 400, {"error": {"code": "BadRequest", "message": f"{path} not faked"}}
        app_id = match.group(1)
        missing = (404, {"error": {"code": "Request_ResourceNotFound", "message":
                   f"Resource 'servicePrincipals(appId='{app_id}')' does not exist or one of "
                   "its queried reference-property objects are not present."}})  # fmt: skip
        return self.graph.get(app_id, missing)

    def _page(self, path: str, query: Mapping[str, str], route: Route) -> Any:
        items = route.items or []
        size = route.page_size or len(items) or 1
        start = int(query.get("$skiptoken", "0"))
        page: dict[str, Any] = {"value": items[start : start + size]}
        if start + size < len(items):
            nxt = {k: v for k, v in query.items() if k != "$skiptoken"}
            nxt["$skiptoken"] = str(start + size)
            page["nextLink"] = f"{self.url}{path}?{urlencode(nxt)}"
        return page


class _Handler(BaseHTTPRequestHandler):
    fake: FakeArm

    def do_GET(self) -> None:
        time.sleep(self.fake.delay)
        status, body = self.fake.respond(self.path, self.headers.get("Authorization", ""))
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-ms-request-id", "fake")
        try:
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client timed out first (the timeout tests): nothing to answer

    def log_message(self, format: str, *args: Any) -> None:
        return


class Running:
    """Context manager: serve ``fake`` on 127.0.0.1 in a thread."""

    def __init__(self, fake: FakeArm) -> None:
        handler = type("Handler", (_Handler,), {"fake": fake})
        self.server = ThreadingHTTPServer(("127.0.0.1", fake.port), handler)
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
