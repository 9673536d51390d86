"""A provider written outside this repository works with no change to ``cloudposture/``.

The test writes a minimal provider distribution for a made-up cloud, ``acme``, into a
temporary directory (its settings, config target and scan units, guidance for the rules it
applies and NOT_APPLICABLE reasons for the rest, permissions with a shipped document, an OCSF
mapping, and a scanner that reads a fake JSON API), packs it as a wheel (by hand: the venv's
setuptools may lack ``bdist_wheel``, and a wheel is only a zip with metadata), installs it for
real with pip into a ``--target`` directory, and drives the real CLI in subprocesses with
that directory on PYTHONPATH: the entry point is found through importlib.metadata exactly as
for an installed wheel. The fake API is served by this test on 127.0.0.1.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from cloudposture.nightly.history_sql import SqlHistoryStore
from cloudposture.store import Store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "acme-1234"
CLUSTERS: list[dict[str, Any]] = [
    {"name": "open", "zone": "acme-east", "public": True, "allow": ["0.0.0.0/0"]},
    {"name": "narrow", "zone": "acme-east", "public": True, "allow": ["203.0.113.0/24"]},
    {"name": "private", "zone": "acme-west", "public": False, "allow": []},
]
EXPECTED_FAILS = {"open": {"CP-001", "CP-002", "CP-003"}, "narrow": {"CP-002"}, "private": set()}
APPLIES = {"CP-001", "CP-002", "CP-003"}

METADATA = """\
Metadata-Version: 2.1
Name: cloudposture-acme
Version: 0.0.1
Requires-Dist: cloudposture
"""
WHEEL = """\
Wheel-Version: 1.0
Generator: cloudposture-contract-test
Root-Is-Purelib: true
Tag: py3-none-any
"""
ENTRY_POINTS = """\
[cloudposture.providers]
acme = cloudposture_acme.plugin:plugin
"""

PLUGIN = '''\
"""The acme provider: everything the core needs to know about the cloud, and nothing more."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import click
from pydantic import BaseModel

from cloudposture.plugin.interface import OcsfCloud, Permissions, ProviderPlugin, ScanUnit
from cloudposture.plugin.settings import HttpUrl, NonEmpty, TargetEntry
from cloudposture.rules.catalog import ALL_RULES
from cloudposture.rules.guidance import guide

APPLIES = ("CP-001", "CP-002", "CP-003")
GUIDANCE = {
    rule_id: guide(
        evidence=f"acme ListClusters .apiServer.allow ({rule_id})",
        summary="Close the acme API server to the internet",
        console="Acme console > Clusters > Access",
        cli="acmectl cluster update --private",
        terraform="acme_cluster.public = false",
        docs=["https://docs.acme.invalid/clusters/access"],
    )
    for rule_id in APPLIES
}
NOT_APPLICABLE = {
    r.meta.id: "acme clusters expose no such setting" for r in ALL_RULES if r.meta.id not in APPLIES
}


class AcmeTarget(TargetEntry):
    account: NonEmpty
    endpoint: HttpUrl


class AcmePlugin(ProviderPlugin):
    name = "acme"
    summary = "Acme Kubernetes Engine: API server access"
    title = "Acme (AKE)"
    guidance = GUIDANCE
    not_applicable = NOT_APPLICABLE
    sdk_loggers = ("acme_sdk",)
    ocsf = OcsfCloud("Acme Cloud", 99, "Other", "Acme::AKE::Cluster")
    permissions = Permissions(
        calls={"acme:ListClusters": ("clusters.list",)}, document="acme-readonly.json"
    )
    target_model = AcmeTarget
    config_example = """\\
    - account: acme-1234
      endpoint: https://api.acme.invalid
"""

    def cli_options(self) -> Sequence[click.Parameter]:
        return [
            click.Option(["--account"], required=True, help="Acme account."),
            click.Option(["--endpoint"], required=True, help="Acme API base URL."),
        ]

    def scanners(self, settings: Mapping[str, Any], max_workers: int) -> Sequence[Any]:
        from cloudposture_acme.scanner import AcmeScanner

        return [AcmeScanner(settings["account"], settings["endpoint"])]

    def scan_units(
        self, entry: BaseModel, origin: str, default_regions: tuple[str, ...]
    ) -> list[ScanUnit]:
        assert isinstance(entry, AcmeTarget)
        settings = {"account": entry.account, "endpoint": entry.endpoint}
        return [ScanUnit("acme", entry.account, settings, (), origin)]


plugin = AcmePlugin()
'''

SCANNER = '''\
"""Reads the acme JSON API (the part a real provider would do with its SDK)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from cloudposture.model import ClusterPosture, ClusterRef, CollectionError, CollectionFailure
from cloudposture.model.posture import EndpointAccess
from cloudposture.plugin.interface import Target


class AcmeScanner:
    name = "acme"

    def __init__(self, account: str, endpoint: str) -> None:
        self.account = account
        self.label = account
        self._endpoint = endpoint.rstrip("/")
        self._clusters: dict[str, dict[str, Any]] = {}

    def targets(self) -> list[Target]:
        return [Target(provider="acme", account=self.account, region="-")]

    def discover(self, target: Target) -> list[ClusterRef]:
        url = f"{self._endpoint}/v1/accounts/{target.account}/clusters"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                items = json.load(response)["clusters"]
        except OSError as exc:
            raise CollectionFailure(
                CollectionError(call="acme:ListClusters", message=str(exc), resource=url)
            ) from None
        refs = []
        for item in items:
            self._clusters[item["name"]] = item
            refs.append(
                ClusterRef(
                    provider="acme",
                    account=target.account,
                    region=item["zone"],
                    name=item["name"],
                    native_id=f"acme://{target.account}/{item['name']}",
                )
            )
        return refs

    def collect(self, ref: ClusterRef) -> ClusterPosture:
        item = self._clusters[ref.name]
        where = {f: f"ListClusters.clusters[].{f}" for f in ("public_enabled", "authorized_cidrs")}
        endpoint = EndpointAccess(
            public_enabled=item["public"],
            private_enabled=not item["public"],
            authorized_cidrs=item["allow"],
            provider_ranges_allowed=False,
            sources=where,
        )
        return ClusterPosture(ref=ref, endpoint=endpoint)
'''


class _AcmeApi(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path != f"/v1/accounts/{ACCOUNT}/clusters":
            self.send_error(404)
            return
        body = json.dumps({"clusters": CLUSTERS}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads the CLI's output, not the server's."""


@pytest.fixture(scope="module")
def api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AcmeApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The acme distribution, built and installed by pip into its own site directory."""
    base = tmp_path_factory.mktemp("acme")
    wheel = base / "cloudposture_acme-0.0.1-py3-none-any.whl"
    info = "cloudposture_acme-0.0.1.dist-info"
    files = {
        "cloudposture_acme/__init__.py": '"""cloudposture provider for Acme."""\n',
        "cloudposture_acme/plugin.py": PLUGIN,
        "cloudposture_acme/scanner.py": SCANNER,
        "cloudposture_acme/permissions/acme-readonly.json": '{"permissions": ["clusters.list"]}',
        f"{info}/METADATA": METADATA,
        f"{info}/WHEEL": WHEEL,
        f"{info}/entry_points.txt": ENTRY_POINTS,
    }
    record = [f"{name},{_digest(text)},{len(text.encode())}" for name, text in files.items()]
    files[f"{info}/RECORD"] = "\n".join([*record, f"{info}/RECORD,,"]) + "\n"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    target = base / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--target", str(target), str(wheel)],
        check=True, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert (target / info / "entry_points.txt").is_file()
    return target


def _digest(text: str) -> str:
    raw = hashlib.sha256(text.encode()).digest()
    return "sha256=" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _python(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` with the acme site directory on the path, as an installed wheel is."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(ROOT)]))
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True, text=True, env=env, timeout=60, check=False, cwd=ROOT,
    )  # fmt: skip


def _cli(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _python(site, "-m", "cloudposture", *args)


def _fails(findings: list[dict[str, Any]]) -> dict[str, set[str]]:
    fails: dict[str, set[str]] = {name: set() for name in EXPECTED_FAILS}
    for finding in findings:
        assert finding["resource"]["provider"] == "acme"
        if finding["status"] == "FAIL":
            fails[finding["resource"]["cluster"]].add(finding["rule_id"])
    return fails


def test_scan_reports_the_exact_fail_set(site: Path, api: str, tmp_path: Path) -> None:
    out = tmp_path / "acme.json"
    done = _cli(site, "scan", "acme", "--account", ACCOUNT, "--endpoint", api,
                "--format", "json", "--output", str(out), "--quiet")  # fmt: skip
    assert done.returncode == 1, done.stderr
    report = json.loads(out.read_text())
    assert _fails(report["findings"]) == EXPECTED_FAILS
    assert report["scan"]["complete"] is True
    statuses = {f["rule_id"]: f["status"] for f in report["findings"]}
    assert {r for r, s in statuses.items() if s != "NOT_APPLICABLE"} == APPLIES
    fix = next(f for f in report["findings"] if f["status"] == "FAIL")["remediation"]
    assert fix["cli"] == "acmectl cluster update --private"
    assert "Traceback" not in done.stderr


def test_ocsf_export_carries_the_acme_mapping(site: Path, api: str, tmp_path: Path) -> None:
    out = tmp_path / "acme.ocsf.json"
    done = _cli(site, "scan", "acme", "--account", ACCOUNT, "--endpoint", api,
                "--format", "ocsf", "--output", str(out), "--quiet")  # fmt: skip
    assert done.returncode == 1, done.stderr
    text = out.read_text()
    events = (
        json.loads(text)
        if text.lstrip().startswith("[")
        else [json.loads(line) for line in text.splitlines() if line.strip()]
    )
    assert events
    assert {e["cloud"]["provider"] for e in events} == {"Acme Cloud"}
    assert {e["cloud"]["account"]["type_id"] for e in events} == {99}
    assert {r["type"] for e in events for r in e["resources"]} == {"Acme::AKE::Cluster"}


def test_run_from_a_config_with_an_acme_target(site: Path, api: str, tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'state.db'}"
    config = tmp_path / "acme.yaml"
    config.write_text(
        f"name: acme-nightly\ntargets:\n  acme:\n    - account: {ACCOUNT}\n"
        f"      endpoint: {api}\nstore: {store}\n"
    )
    done = _cli(site, "run", "--config", str(config))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "targets 1 ok" in done.stdout, done.stdout
    with Store.open(store) as opened:
        history = SqlHistoryStore(opened)
        stored = history.load_run(history.list_runs(None, 1)[0].id)
    assert stored is not None
    findings = json.loads(stored.model_dump_json())["result"]["findings"]
    assert _fails(findings) == EXPECTED_FAILS


def test_rules_show_and_the_docs_include_acme_guidance(site: Path, tmp_path: Path) -> None:
    shown = _cli(site, "rules", "show", "CP-001")
    assert shown.returncode == 0, shown.stderr
    assert "Acme (AKE)" in shown.stdout
    assert "acmectl cluster update --private" in shown.stdout
    docs = tmp_path / "rules"
    built = _python(site, "-m", "cloudposture.rules.docs", str(docs))
    assert built.returncode == 0, built.stderr
    page = (docs / "CP-001.md").read_text()
    assert "## Acme (AKE)" in page
    assert "acme_cluster.public = false" in page
    assert (
        "Not applicable: acme clusters expose no such setting" in (docs / "ENC-001.md").read_text()
    )
