"""A small HTTP front for a moto server, adding the EKS facts moto does not model.

moto (5.x) has no EKS add-ons and no eks:DescribeClusterVersions, does not echo
``accessConfig`` or an EKS-created ``clusterSecurityGroupId``, and gives every node group a
``remoteAccess`` and a remote-access security group that does not exist; its KMS
GetKeyRotationStatus leaves out ``RotationPeriodInDays``. The demo and the end-to-end tests
need all of those to look like AWS, so this front answers the missing operations from seeded
data, merges seeded fields into moto's DescribeCluster / DescribeNodegroup answers (JSON merge
patch: ``None`` removes a field) and the seeded rotation period into GetKeyRotationStatus, and
forwards every other request to moto untouched. It can also refuse EKS and EC2 in chosen
regions, or chosen IAM / EC2 / STS / KMS actions, with AccessDenied, as an SCP does. Binds
127.0.0.1 only.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
_CLUSTER = re.compile(r"^/clusters/([^/]+)$")
_NODEGROUP = re.compile(r"^/clusters/([^/]+)/node-groups/([^/]+)$")
_ADDONS = re.compile(r"^/clusters/([^/]+)/addons(?:/([^/]+))?$")
_HOP_BY_HOP = {"transfer-encoding", "connection", "content-length", "keep-alive"}


@dataclass
class EksExtras:
    """Seeded EKS data moto lacks, keyed by region and cluster name."""

    cluster_patches: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    nodegroup_patches: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    addons: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)
    cluster_versions: list[dict[str, Any]] = field(default_factory=list)
    rotation_periods: dict[str, int] = field(default_factory=dict)
    """KMS key id -> the RotationPeriodInDays its rotation was enabled with."""
    denied_regions: set[str] = field(default_factory=set)
    denied_actions: set[str] = field(default_factory=set)
    """``service:Action`` (IAM, EC2, STS, KMS ...; not EKS) to refuse everywhere."""


def merge_patch(target: dict[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """RFC 7386 JSON merge patch."""
    out = dict(target)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = merge_patch(out[key], value)
        else:
            out[key] = value
    return out


class UpstreamServer(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that relays to one upstream (moto, or the EKS front)."""

    daemon_threads = True

    def __init__(
        self, handler: type[BaseHTTPRequestHandler], upstream_host: str, upstream_port: int
    ) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.upstream_host = upstream_host
        self.upstream_port = upstream_port


class ForwardingHandler(BaseHTTPRequestHandler):
    """Relays a request to the server's upstream and its answer back, hop-by-hop headers
    dropped: what the EKS front does for everything it does not answer itself, and what the
    tests' fault proxy does for every request it lets through."""

    server: UpstreamServer

    def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection(self.server.upstream_host, self.server.upstream_port)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
            conn.request(self.command, self.path, body=body or None, headers=headers)
            answer = conn.getresponse()
            return answer.status, answer.getheaders(), answer.read()
        finally:
            conn.close()

    def _send(self, status: int, headers: list[tuple[str, str]], payload: bytes) -> None:
        self.send_response(status)
        for key, value in headers:
            if key.lower() not in _HOP_BY_HOP:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


class _Handler(ForwardingHandler):
    server: _FrontServer

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: the demo prints its own summary

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_GET

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        match = _SCOPE.search(self.headers.get("Authorization", ""))
        region, service = match.groups() if match else ("", "")
        extras = self.server.extras
        path = unquote(urlsplit(self.path).path)
        if region in extras.denied_regions and service in ("eks", "ec2"):
            self._denied(service, f"{service} in {region}")
            return
        target = self.headers.get("X-Amz-Target", "")  # JSON protocols: KMS, ...
        action = target.rsplit(".", 1)[-1] if target else ""
        action = action or parse_qs(body.decode(errors="replace")).get("Action", [""])[0]
        if f"{service}:{action}" in extras.denied_actions:
            self._denied(service, f"{service}:{action}", json_protocol=bool(target))
            return
        if service == "eks" and self.command == "GET":
            if path == "/cluster-versions":
                self._json(200, {"clusterVersions": extras.cluster_versions})
                return
            addon = _ADDONS.match(path)
            if addon:
                self._addons(region, addon.group(1), addon.group(2))
                return
        status, headers, payload = self._forward(body)
        if service == "eks" and self.command == "GET" and status == 200:
            payload = self._patched(region, path, payload)
        if service == "kms" and action == "GetKeyRotationStatus" and status == 200:
            payload = self._with_rotation_period(body, payload)
        self._send(status, headers, payload)

    def _patched(self, region: str, path: str, payload: bytes) -> bytes:
        extras = self.server.extras
        cluster = _CLUSTER.match(path)
        nodegroup = _NODEGROUP.match(path)
        if cluster and (region, cluster.group(1)) in extras.cluster_patches:
            doc = json.loads(payload)
            patch = extras.cluster_patches[(region, cluster.group(1))]
            doc["cluster"] = merge_patch(doc["cluster"], patch)
            return json.dumps(doc).encode()
        ng_key = (region, nodegroup.group(1), nodegroup.group(2)) if nodegroup else None
        if ng_key and ng_key in extras.nodegroup_patches:
            doc = json.loads(payload)
            patch = extras.nodegroup_patches[ng_key]
            doc["nodegroup"] = merge_patch(doc["nodegroup"], patch)
            return json.dumps(doc).encode()
        return payload

    def _with_rotation_period(self, request: bytes, payload: bytes) -> bytes:
        """KMS answers RotationPeriodInDays whenever rotation is on; moto never does."""
        key_id = str(json.loads(request or b"{}").get("KeyId", "")).rsplit("/", 1)[-1]
        period = self.server.extras.rotation_periods.get(key_id)
        doc = json.loads(payload)
        if period is None or doc.get("KeyRotationEnabled") is not True:
            return payload
        return json.dumps(doc | {"RotationPeriodInDays": period}).encode()

    def _addons(self, region: str, cluster: str, name: str | None) -> None:
        installed = self.server.extras.addons.get((region, cluster), {})
        if name is None:
            self._json(200, {"addons": sorted(installed)})
        elif name in installed:
            addon = {"addonName": name, "clusterName": cluster, "status": "ACTIVE"}
            self._json(200, {"addon": addon | installed[name]})
        else:
            message = f"No addon: {name} found in cluster: {cluster}"
            self._json(404, {"message": message}, error="ResourceNotFoundException")

    def _denied(self, service: str, what: str, json_protocol: bool = False) -> None:
        message = f"access to {what} is denied by an organization policy"
        if json_protocol:
            self._json(400, {"__type": "AccessDeniedException", "message": message})
            return
        if service == "eks":
            self._json(403, {"message": message}, error="AccessDeniedException")
            return
        if service == "ec2":
            xml = (
                "<Response><Errors><Error><Code>UnauthorizedOperation</Code>"
                f"<Message>{message}</Message></Error></Errors>"
                "<RequestID>cloudposture-emulator</RequestID></Response>"
            )
        else:
            xml = (
                "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                f"<Message>{message}</Message></Error>"
                "<RequestId>cloudposture-emulator</RequestId></ErrorResponse>"
            )
        self._send(403, [("Content-Type", "text/xml")], xml.encode())

    def _json(self, status: int, doc: Mapping[str, Any], error: str = "") -> None:
        headers = [("Content-Type", "application/json")]
        if error:
            headers.append(("x-amzn-ErrorType", error))
        self._send(status, headers, json.dumps(doc, default=str).encode())


class _FrontServer(UpstreamServer):
    def __init__(self, backend_host: str, backend_port: int, extras: EksExtras) -> None:
        super().__init__(_Handler, backend_host, backend_port)
        self.extras = extras


class EksFront:
    """Start/stop the front for a moto server at ``backend_url``."""

    def __init__(self, backend_url: str, extras: EksExtras) -> None:
        parts = urlsplit(backend_url)
        self._server = _FrontServer(parts.hostname or "127.0.0.1", parts.port or 80, extras)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def extras(self) -> EksExtras:
        return self._server.extras

    @extras.setter
    def extras(self, extras: EksExtras) -> None:
        """What the front adds, replaced when the world behind it is seeded again."""
        self._server.extras = extras

    @property
    def backend_url(self) -> str:
        """The moto server behind the front: moto's own answers, without the EKS extras."""
        return f"http://{self._server.upstream_host}:{self._server.upstream_port}"

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> EksFront:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
