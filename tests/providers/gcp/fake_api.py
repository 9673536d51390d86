"""A fake of the Google REST APIs a GKE scan reads, on 127.0.0.1, for the real SDK clients.

One base URL serves container v1, compute v1, Resource Manager v3, Cloud KMS v1 and IAM v1 (the scan
sends every API to one ``--endpoint``), so requests are routed by path. Every payload is
parsed strictly into the SDK's own message type before it is served (``validate``): a typo
in a fixture fails the request instead of being dropped silently by the client.

Errors are injected per (call, resource) with the JSON bodies Google returns.
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

from google.cloud import compute_v1, container_v1, iam_admin_v1, kms_v1, resourcemanager_v3
from google.iam.v1 import policy_pb2
from google.protobuf import json_format
from google.protobuf.message import Message

from tests.providers.gcp.predefined_roles import catalogue

JSON = dict[str, Any]

MESSAGE_TYPES: Mapping[str, Callable[[], Message]] = {
    "container:ListClusters": lambda: container_v1.ListClustersResponse.pb()(),
    "container:GetCluster": lambda: container_v1.Cluster.pb()(),
    "container:GetServerConfig": lambda: container_v1.ServerConfig.pb()(),
    "compute:GetEffectiveFirewalls": lambda: (
        compute_v1.NetworksGetEffectiveFirewallsResponse.pb()()
    ),
    "compute:GetRegionEffectiveFirewalls": lambda: (
        compute_v1.RegionNetworkFirewallPoliciesGetEffectiveFirewallsResponse.pb()()
    ),
    "compute:GetNetwork": lambda: compute_v1.Network.pb()(),
    "resourcemanager:GetProject": lambda: resourcemanager_v3.Project.pb()(),
    "resourcemanager:GetIamPolicy": lambda: policy_pb2.Policy(),
    "resourcemanager:GetFolder": lambda: resourcemanager_v3.Folder.pb()(),
    "resourcemanager:GetFolderIamPolicy": lambda: policy_pb2.Policy(),
    "resourcemanager:GetOrganizationIamPolicy": lambda: policy_pb2.Policy(),
    "resourcemanager:ListProjects": lambda: resourcemanager_v3.ListProjectsResponse.pb()(),
    "resourcemanager:ListFolders": lambda: resourcemanager_v3.ListFoldersResponse.pb()(),
    "cloudkms:GetCryptoKey": lambda: kms_v1.CryptoKey.pb()(),
    "iam:GetRole": lambda: iam_admin_v1.Role.pb()(),
}


def validate(call: str, payload: Mapping[str, Any]) -> None:
    """Parse ``payload`` strictly as the response message of ``call`` (raises on any typo)."""
    json_format.Parse(json.dumps(payload), MESSAGE_TYPES[call](), ignore_unknown_fields=False)


@dataclass
class World:
    """What the fake Google Cloud holds. Keys are project ids unless said otherwise."""

    clusters: dict[str, list[JSON]] = field(default_factory=dict)
    missing_zones: dict[str, list[str]] = field(default_factory=dict)
    server_config: JSON = field(default_factory=dict)
    projects: dict[str, JSON] = field(default_factory=dict)
    """project id -> v3 Project (name 'projects/<number>', projectId, parent, state)."""
    folders: dict[str, JSON] = field(default_factory=dict)
    """'folders/N' -> v3 Folder."""
    policies: dict[str, JSON] = field(default_factory=dict)
    """project id, 'folders/N' or 'organizations/N' -> IAM policy."""
    firewalls: dict[str, list[JSON]] = field(default_factory=dict)
    """host project -> VPC firewall rules (each names its network URL)."""
    firewall_policies: dict[str, list[JSON]] = field(default_factory=dict)
    """'projects/H/global/networks/N' -> the network's effective firewall policies."""
    regional_policies: dict[tuple[str, str], list[JSON]] = field(default_factory=dict)
    """('projects/H/global/networks/N', region) -> regional network firewall policies there."""
    networks: dict[str, JSON] = field(default_factory=dict)
    """'projects/H/global/networks/N' -> compute v1 Network (read for its enforcement order)."""
    keys: dict[str, JSON] = field(default_factory=dict)
    """full CryptoKey name -> CryptoKey."""
    roles: dict[str, JSON] = field(default_factory=catalogue)
    """role name -> IAM v1 Role: custom ('projects/P/roles/X', 'organizations/N/roles/X') and
    predefined ('roles/X', served on /v1/roles/X; predefined_roles.py holds the catalogue)."""
    errors: dict[tuple[str, str], tuple[int, JSON]] = field(default_factory=dict)
    """(call, resource) -> (HTTP status, error body)."""
    page_size: int = 2
    """Lists are paged this small so the clients' paging really runs."""


@dataclass(frozen=True)
class Route:
    call: str
    method: str
    pattern: re.Pattern[str]


ROUTES = (
    Route(
        "container:ListClusters", "GET", re.compile(r"^/v1/projects/([^/]+)/locations/-/clusters$")
    ),
    Route(
        "container:GetServerConfig",
        "GET",
        re.compile(r"^/v1/projects/([^/]+)/locations/([^/]+)/serverConfig$"),
    ),
    Route(
        "cloudkms:GetCryptoKey",
        "GET",
        re.compile(r"^/v1/(projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+)$"),
    ),
    Route(
        "container:GetCluster",
        "GET",
        re.compile(r"^/v1/projects/([^/]+)/locations/([^/]+)/clusters/([^/]+)$"),
    ),
    Route(
        "compute:GetEffectiveFirewalls",
        "GET",
        re.compile(r"^/compute/v1/projects/([^/]+)/global/networks/([^/]+)/getEffectiveFirewalls$"),
    ),
    Route(
        "compute:GetRegionEffectiveFirewalls",
        "GET",
        re.compile(
            r"^/compute/v1/projects/([^/]+)/regions/([^/]+)/firewallPolicies/getEffectiveFirewalls$"
        ),
    ),
    Route(
        "compute:GetNetwork",
        "GET",
        re.compile(r"^/compute/v1/projects/([^/]+)/global/networks/([^/]+)$"),
    ),
    Route(
        "resourcemanager:GetIamPolicy", "POST", re.compile(r"^/v3/projects/([^/:]+):getIamPolicy$")
    ),
    Route("resourcemanager:GetProject", "GET", re.compile(r"^/v3/projects/([^/:]+)$")),
    Route(
        "resourcemanager:GetFolderIamPolicy",
        "POST",
        re.compile(r"^/v3/folders/([^/:]+):getIamPolicy$"),
    ),
    Route("resourcemanager:GetFolder", "GET", re.compile(r"^/v3/folders/([^/:]+)$")),
    Route(
        "resourcemanager:GetOrganizationIamPolicy",
        "POST",
        re.compile(r"^/v3/organizations/([^/:]+):getIamPolicy$"),
    ),
    Route(
        "iam:GetRole",
        "GET",
        re.compile(r"^/v1/((?:(?:projects|organizations)/[^/]+/)?roles/[^/]+)$"),
    ),
    Route("resourcemanager:ListProjects", "GET", re.compile(r"^/v3/projects$")),
    Route("resourcemanager:ListFolders", "GET", re.compile(r"^/v3/folders$")),
)


class FakeGoogleApi:
    def __init__(self, world: World) -> None:
        self.world = world
        self.calls: list[tuple[str, str]] = []
        """(call, resource) of every request served, in order."""
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        """(method, path, headers) of every request, for transport-level assertions."""
        self.queries: list[tuple[str, dict[str, str]]] = []
        """(call, query parameters) of every request served, in order."""
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def count(self, call: str) -> int:
        return sum(1 for c, _ in self.calls if c == call)

    @contextmanager
    def running(self) -> Iterator[FakeGoogleApi]:
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

    def handle(self, method: str, raw_path: str, headers: dict[str, str]) -> tuple[int, JSON]:
        parts = urlsplit(raw_path)
        path = unquote(parts.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        for route in ROUTES:
            match = route.pattern.match(path)
            if match and route.method == method:
                resource = self._resource(route.call, match, query)
                with self._lock:
                    self.calls.append((route.call, resource))
                    self.queries.append((route.call, dict(query)))
                    self.requests.append((method, path, headers))
                injected = self.world.errors.get((route.call, resource))
                if injected is not None:
                    return injected
                status, body = self._serve(route.call, match, query)
                if status == 200:
                    validate(route.call, body)
                return status, body
        return 404, not_found(f"no fake route for {method} {path}")

    def _resource(self, call: str, match: re.Match[str], query: Mapping[str, str]) -> str:
        groups = match.groups()
        if call == "container:ListClusters":
            return f"projects/{groups[0]}"
        if call == "container:GetServerConfig":
            return f"projects/{groups[0]}/locations/{groups[1]}"
        if call == "container:GetCluster":
            return f"projects/{groups[0]}/locations/{groups[1]}/clusters/{groups[2]}"
        if call in ("cloudkms:GetCryptoKey", "iam:GetRole"):
            return groups[0]
        if call in ("resourcemanager:ListProjects", "resourcemanager:ListFolders"):
            return query.get("parent", "")
        if call in ("compute:GetEffectiveFirewalls", "compute:GetNetwork"):
            return f"projects/{groups[0]}/global/networks/{groups[1]}"
        if call == "compute:GetRegionEffectiveFirewalls":
            # ``network`` is a reference: a self-link, a partial URL or a bare name.
            network = query.get("network", "").rsplit("/", 1)[-1]
            return f"projects/{groups[0]}/global/networks/{network} (region {groups[1]})"
        if call in ("resourcemanager:GetFolder", "resourcemanager:GetFolderIamPolicy"):
            return f"folders/{groups[0]}"
        if call == "resourcemanager:GetOrganizationIamPolicy":
            return f"organizations/{groups[0]}"
        return f"projects/{groups[0]}"

    def _serve(self, call: str, match: re.Match[str], query: Mapping[str, str]) -> tuple[int, JSON]:
        w = self.world
        g = match.groups()
        resource = self._resource(call, match, query)
        if call == "container:ListClusters":
            if g[0] not in w.clusters:
                return 403, permission_denied("container.clusters.list", f"projects/{g[0]}")
            body: JSON = {"clusters": w.clusters[g[0]]}
            if w.missing_zones.get(g[0]):
                body["missingZones"] = w.missing_zones[g[0]]
            return 200, body
        if call == "container:GetCluster":
            for cluster in w.clusters.get(g[0], []):
                if cluster.get("name") == g[2] and cluster.get("location") == g[1]:
                    return 200, cluster
            return 404, not_found(f"cluster {g[2]} not found")
        if call == "container:GetServerConfig":
            return 200, w.server_config
        if call == "cloudkms:GetCryptoKey":
            key = w.keys.get(g[0])
            return (200, key) if key is not None else (404, not_found(f"{g[0]} not found"))
        if call == "iam:GetRole":
            role = w.roles.get(g[0])
            if role is None:
                return 404, not_found(f"The role named {g[0]} was not found.")
            return 200, role
        if call == "compute:GetEffectiveFirewalls":
            if g[0] not in w.firewalls:
                return 404, not_found(f"network {resource} not found")
            rules = [r for r in w.firewalls[g[0]] if str(r.get("network")).endswith(resource)]
            body = {"firewalls": rules}
            if w.firewall_policies.get(resource):
                body["firewallPolicys"] = w.firewall_policies[resource]
            return 200, body
        if call == "compute:GetRegionEffectiveFirewalls":
            return self._regional(g[0], g[1], query.get("network", ""))
        if call == "compute:GetNetwork":
            network = w.networks.get(resource)
            return (200, network) if network else (404, not_found(f"{resource} not found"))
        if call == "resourcemanager:GetFolder":
            folder = w.folders.get(resource)
            if folder is None:
                return 403, permission_denied("resourcemanager.folders.get", resource)
            return 200, folder
        if call in (
            "resourcemanager:GetFolderIamPolicy",
            "resourcemanager:GetOrganizationIamPolicy",
        ):
            if resource not in w.policies:
                kind = resource.split("/")[0]
                return 403, permission_denied(f"resourcemanager.{kind}.getIamPolicy", resource)
            return 200, w.policies[resource]
        if call == "resourcemanager:GetProject":
            project = self._project(g[0])
            if project is None:
                return 403, permission_denied("resourcemanager.projects.get", f"projects/{g[0]}")
            return 200, project
        if call == "resourcemanager:GetIamPolicy":
            if g[0] not in w.policies:
                return 403, permission_denied(
                    "resourcemanager.projects.getIamPolicy", f"projects/{g[0]}"
                )
            return 200, w.policies[g[0]]
        if call == "resourcemanager:ListProjects":
            parent = query.get("parent", "")
            found = [p for p in w.projects.values() if p.get("parent") == parent]
            return 200, self._page(found, "projects", query, {})
        parent = query.get("parent", "")
        folders = [f for f in w.folders.values() if f.get("parent") == parent]
        return 200, self._page(folders, "folders", query, {})

    def _regional(self, project: str, region: str, reference: str) -> tuple[int, JSON]:
        """What the regional call returns: the network's VPC rules and global policies again
        (typed as the regional message types them, which has no ``shortName``), plus the
        regional network firewall policies of ``region``."""
        if not reference:
            return 400, {"error": {"code": 400, "message": "network is required"}}
        path = f"projects/{project}/global/networks/{reference.rsplit('/', 1)[-1]}"
        if project not in self.world.firewalls:
            return 404, not_found(f"network {path} not found")
        rules = [r for r in self.world.firewalls[project] if str(r.get("network")).endswith(path)]
        policies = [_as_regional(p) for p in self.world.firewall_policies.get(path, [])]
        policies.extend(self.world.regional_policies.get((path, region), []))
        body: JSON = {"firewalls": rules}
        if policies:
            body["firewallPolicys"] = policies
        return 200, body

    def _project(self, key: str) -> JSON | None:
        for project_id, project in self.world.projects.items():
            if key in (project_id, str(project.get("name", "")).removeprefix("projects/")):
                return project
        return None

    def _page(self, items: list[JSON], key: str, query: Mapping[str, str], extra: JSON) -> JSON:
        start = int(query.get("pageToken") or 0)
        size = self.world.page_size
        body: JSON = {**extra, key: items[start : start + size]}
        if start + size < len(items):
            body["nextPageToken"] = str(start + size)
        return body


def _as_regional(policy: JSON) -> JSON:
    """A global response's policy as the regional response shows it."""
    out = {k: v for k, v in policy.items() if k != "shortName"}
    if out.get("type") == "SYSTEM":
        out["type"] = "SYSTEM_GLOBAL"
    return out


def _handler(api: FakeGoogleApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self._answer("POST")

        def _answer(self, method: str) -> None:
            try:
                status, body = api.handle(method, self.path, dict(self.headers.items()))
            except Exception as exc:  # a fixture bug: make it loud in the client's error
                status, body = 500, {"error": {"code": 500, "message": f"fake: {exc!r}"}}
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


# -- error bodies shaped as Google returns them ----------------------------------------------


def permission_denied(permission: str, resource: str) -> JSON:
    return {
        "error": {
            "code": 403,
            "message": f"Permission '{permission}' denied on resource '{resource}' "
            "(or it may not exist).",
            "status": "PERMISSION_DENIED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "IAM_PERMISSION_DENIED",
                    "domain": "iam.googleapis.com",
                    "metadata": {"permission": permission, "resource": resource},
                }
            ],
        }
    }


def service_disabled(service: str, title: str, project_number: str) -> JSON:
    """403 for an API that is off in the project (the newer ErrorInfo + Help shape)."""
    url = (
        f"https://console.developers.google.com/apis/api/{service}/overview"
        f"?project={project_number}"
    )
    return {
        "error": {
            "code": 403,
            "message": f"{title} has not been used in project {project_number} before or it is "
            f"disabled. Enable it by visiting {url} then retry. If you enabled this API "
            "recently, wait a few minutes for the action to propagate to our systems and retry.",
            "status": "PERMISSION_DENIED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "SERVICE_DISABLED",
                    "domain": "googleapis.com",
                    "metadata": {
                        "consumer": f"projects/{project_number}",
                        "service": service,
                        "serviceTitle": title,
                        "activationUrl": url,
                        "containerInfo": project_number,
                    },
                },
                {
                    "@type": "type.googleapis.com/google.rpc.Help",
                    "links": [
                        {"description": "Google developers console API activation", "url": url}
                    ],
                },
            ],
        }
    }


def compute_disabled(project_number: str) -> JSON:
    """Compute's older shape: errors[].reason accessNotConfigured (no ErrorInfo)."""
    message = (
        f"Compute Engine API has not been used in project {project_number} before or it is "
        "disabled."
    )
    return {
        "error": {
            "code": 403,
            "message": message,
            "errors": [
                {"message": message, "domain": "usageLimits", "reason": "accessNotConfigured"}
            ],
        }
    }


def unavailable() -> JSON:
    return {
        "error": {
            "code": 503,
            "message": "The service is currently unavailable.",
            "status": "UNAVAILABLE",
        }
    }


def throttled() -> JSON:
    return {
        "error": {
            "code": 429,
            "message": "Quota exceeded for quota metric 'Read requests' of service "
            "'container.googleapis.com'.",
            "status": "RESOURCE_EXHAUSTED",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "RATE_LIMIT_EXCEEDED",
                    "domain": "googleapis.com",
                    "metadata": {"service": "container.googleapis.com"},
                }
            ],
        }
    }


def not_found(message: str) -> JSON:
    return {"error": {"code": 404, "message": message, "status": "NOT_FOUND"}}
