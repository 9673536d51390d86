"""A fake of the OCI REST APIs an OKE scan reads, on 127.0.0.1, for the real ``oci`` clients.

One base URL serves Identity (/20160918), Networking and Compute (/20160918), Container
Engine (/20180222), Key Management (/20180608) and Logging (/20200531); the first path
segment names the region (the scan's ``--endpoint http://127.0.0.1:PORT/{region}``), so one
server plays every region. Fixtures are the SDK's own model objects (an unknown keyword is a
``TypeError``) serialized by the SDK's ``sanitize_for_serialization`` (a wrong type is an
error); a payload holding ``UNKNOWN_ENUM_VALUE`` (a misspelt enum) is refused. Lists are
paged ``page_size`` at a time with ``opc-next-page``. Every request must carry an OCI HTTP
signature (``Authorization: Signature ... keyId=...``). Errors are injected per
(call, resource) with the JSON body OCI returns.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

JSON = dict[str, Any]
Sanitize = Callable[[Any], Any]


@dataclass
class World:
    """What the fake tenancy holds (SDK model objects). Ids are unique across regions."""

    tenancy: str
    regions: list[Any] = field(default_factory=list)
    """RegionSubscription models."""
    compartments: list[Any] = field(default_factory=list)
    clusters: dict[str, list[Any]] = field(default_factory=dict)
    """region -> Cluster models (each names its compartmentId)."""
    node_pools: list[Any] = field(default_factory=list)
    subnets: dict[str, Any] = field(default_factory=dict)
    security_lists: dict[str, Any] = field(default_factory=dict)
    nsg_rules: dict[str, list[Any]] = field(default_factory=dict)
    instances: dict[str, Any] = field(default_factory=dict)
    dynamic_groups: list[Any] = field(default_factory=list)
    policies: list[Any] = field(default_factory=list)
    kubernetes_versions: list[str] = field(default_factory=list)
    vaults: dict[str, list[Any]] = field(default_factory=dict)
    """region -> VaultSummary models."""
    keys: dict[str, Any] = field(default_factory=dict)
    log_groups: dict[str, list[Any]] = field(default_factory=dict)
    """region -> LogGroupSummary models."""
    logs: dict[str, list[Any]] = field(default_factory=dict)
    """log group id -> LogSummary models."""
    errors: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    """(call, resource) -> (HTTP status, OCI error code)."""
    page_size: int = 2


@dataclass(frozen=True)
class Route:
    call: str
    pattern: re.Pattern[str]


ROUTES = (
    Route(
        "identity:ListRegionSubscriptions",
        re.compile(r"^/20160918/tenancies/([^/]+)/regionSubscriptions$"),
    ),
    Route("identity:ListCompartments", re.compile(r"^/20160918/compartments$")),
    Route("identity:ListDynamicGroups", re.compile(r"^/20160918/dynamicGroups$")),
    Route("identity:ListPolicies", re.compile(r"^/20160918/policies$")),
    Route("core:GetSubnet", re.compile(r"^/20160918/subnets/([^/]+)$")),
    Route("core:GetSecurityList", re.compile(r"^/20160918/securityLists/([^/]+)$")),
    Route(
        "core:ListNetworkSecurityGroupSecurityRules",
        re.compile(r"^/20160918/networkSecurityGroups/([^/]+)/securityRules$"),
    ),
    Route("core:GetInstance", re.compile(r"^/20160918/instances/([^/]+)$")),
    Route("containerengine:ListClusters", re.compile(r"^/20180222/clusters$")),
    Route("containerengine:GetCluster", re.compile(r"^/20180222/clusters/([^/]+)$")),
    Route("containerengine:GetClusterOptions", re.compile(r"^/20180222/clusterOptions/([^/]+)$")),
    Route("containerengine:ListNodePools", re.compile(r"^/20180222/nodePools$")),
    Route("containerengine:GetNodePool", re.compile(r"^/20180222/nodePools/([^/]+)$")),
    Route("kms:ListVaults", re.compile(r"^/20180608/vaults$")),
    Route("kms:GetKey", re.compile(r"^/20180608/keys/([^/]+)$")),
    Route("logging:ListLogGroups", re.compile(r"^/20200531/logGroups$")),
    Route("logging:ListLogs", re.compile(r"^/20200531/logGroups/([^/]+)/logs$")),
)
_KEY_ID = re.compile(r'keyId="([^"]+)"')


class FakeOci:
    def __init__(self, world: World, sanitize: Sanitize) -> None:
        self.world = world
        self.sanitize = sanitize
        self.calls: list[tuple[str, str, str]] = []
        """(region, call, resource) of every request served, in order."""
        self.queries: list[tuple[str, dict[str, str]]] = []
        self.key_ids: set[str] = set()
        """The ``keyId`` of every request signature seen."""
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.default_region = "us-ashburn-1"

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def endpoint(self) -> str:
        return self.base_url + "/{region}"

    def count(self, call: str) -> int:
        return sum(1 for _, c, _ in self.calls if c == call)

    @contextmanager
    def running(self) -> Iterator[FakeOci]:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=5)

    # -- request handling ------------------------------------------------------------------

    def handle(
        self, method: str, raw: str, headers: Mapping[str, str]
    ) -> tuple[int, Any, dict[str, str]]:
        signature = _KEY_ID.search(headers.get("authorization", ""))
        if method != "GET":
            return 405, _error("MethodNotAllowed", "the scan must only read"), {}
        if signature is None:
            return 401, _error("NotAuthenticated", "the request is not signed"), {}
        parts = urlsplit(raw)
        region, _, path = unquote(parts.path).lstrip("/").partition("/")
        if region.isdigit():  # no region segment: an --endpoint without {region}
            region, path = self.default_region, f"{region}/{path}"
        path = "/" + path
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        for route in ROUTES:
            match = route.pattern.match(path)
            if not match:
                continue
            resource = match.group(1) if match.groups() else _list_resource(query)
            with self._lock:
                self.calls.append((region, route.call, resource))
                self.queries.append((route.call, dict(query)))
                self.key_ids.add(signature.group(1))
            injected = self.world.errors.get((route.call, resource)) or self.world.errors.get(
                (route.call, f"{resource}@{region}")
            )
            if injected is not None:
                return injected[0], _error(injected[1], f"injected for {resource}"), {}
            return self._serve(route.call, region, resource, query)
        return 404, _error("NotAuthorizedOrNotFound", f"no fake route for {path}"), {}

    def _serve(
        self, call: str, region: str, res: str, query: Mapping[str, str]
    ) -> tuple[int, Any, dict[str, str]]:
        w = self.world
        one: Mapping[str, Mapping[str, Any]] = {
            "core:GetSubnet": w.subnets,
            "core:GetSecurityList": w.security_lists,
            "core:GetInstance": w.instances,
            "kms:GetKey": w.keys,
        }
        if call in one:
            found = one[call].get(res)
            return self._one(found, res)
        if call == "identity:ListRegionSubscriptions":
            return 200, self._dump(w.regions), {}
        if call == "identity:ListCompartments":
            assert query.get("compartmentIdInSubtree") == "true", "compartments must be recursive"
            return self._page(w.compartments, query)
        if call == "identity:ListDynamicGroups":
            return self._page(w.dynamic_groups, query)
        if call == "identity:ListPolicies":
            return self._page([p for p in w.policies if p.compartment_id == res], query)
        if call == "core:ListNetworkSecurityGroupSecurityRules":
            if res not in w.nsg_rules:
                return 404, _error("NotAuthorizedOrNotFound", f"nsg {res}"), {}
            return self._page(w.nsg_rules[res], query)
        if call == "containerengine:ListClusters":
            found = [c for c in w.clusters.get(region, []) if c.compartment_id == res]
            return self._page(found, query)
        if call == "containerengine:GetCluster":
            clusters = [c for c in w.clusters.get(region, []) if c.id == res]
            return self._one(clusters[0] if clusters else None, res)
        if call == "containerengine:GetClusterOptions":
            from oci.container_engine.models import ClusterOptions

            return 200, self._dump(ClusterOptions(kubernetes_versions=w.kubernetes_versions)), {}
        if call == "containerengine:ListNodePools":
            pools = [p for p in w.node_pools if p.cluster_id == query.get("clusterId")]
            return self._page([_summary(p) for p in pools], query)
        if call == "containerengine:GetNodePool":
            pools = [p for p in w.node_pools if p.id == res]
            return self._one(pools[0] if pools else None, res)
        if call == "kms:ListVaults":
            found = [v for v in w.vaults.get(region, []) if v.compartment_id == res]
            return self._page(found, query)
        if call == "logging:ListLogGroups":
            assert query.get("isCompartmentIdInSubtree") == "true"
            return self._page(w.log_groups.get(region, []), query)
        assert call == "logging:ListLogs"
        logs = [
            log
            for log in w.logs.get(res, [])
            if log.configuration.source.service == query.get("sourceService")
        ]
        return self._page(logs, query)

    def _one(self, found: Any, res: str) -> tuple[int, Any, dict[str, str]]:
        if found is None:
            return 404, _error("NotAuthorizedOrNotFound", f"{res} not found"), {}
        return 200, self._dump(found), {}

    def _page(self, items: list[Any], query: Mapping[str, str]) -> tuple[int, Any, dict[str, str]]:
        start = int(query.get("page") or 0)
        end = start + self.world.page_size
        headers = {"opc-next-page": str(end)} if end < len(items) else {}
        return 200, self._dump(items[start:end]), headers

    def _dump(self, obj: Any) -> Any:
        body = self.sanitize(obj)
        text = json.dumps(body)
        assert "UNKNOWN_ENUM_VALUE" not in text, f"a fixture holds an unknown enum: {text[:200]}"
        return body


def _summary(pool: Any) -> Any:
    """A NodePoolSummary of a NodePool (the listing has no ``nodes``)."""
    from oci.container_engine.models import NodePoolSummary

    shared = set(NodePoolSummary().swagger_types) & set(pool.swagger_types)
    return NodePoolSummary(**{name: getattr(pool, name) for name in shared})


def _list_resource(query: Mapping[str, str]) -> str:
    return query.get("compartmentId") or query.get("clusterId") or ""


def _error(code: str, message: str) -> JSON:
    return {"code": code, "message": message}


def _handler(api: FakeOci) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._reply()

        def do_POST(self) -> None:
            self._reply()

        def _reply(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                status, body, extra = api.handle(self.command, self.path, headers)
            except AssertionError as exc:
                status, body, extra = 500, _error("FakeRefused", str(exc)), {}
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("opc-request-id", "fake-request")
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler
