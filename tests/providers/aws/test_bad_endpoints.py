"""Bad AWS endpoints and region names: each a clear one-line error, never a hang or a trace.

The endpoints are small servers on 127.0.0.1: one answering an HTML page, one dripping a byte
every two seconds. The CLI runs in-process (click's runner) with the standard AWS variables.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cloudposture_aws.plugin import plugin

from cloudposture.cli.main import main
from cloudposture.engine import ScanOptions, run_scan
from cloudposture.model import ConfigurationError
from cloudposture.rules.catalog import ALL_RULES

from .support import KEYS, scanner

PAGE = b"<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>"


class _HtmlHandler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    do_GET = do_POST


@contextmanager
def html_endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HtmlHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def dripping_endpoint() -> Iterator[str]:
    """Accepts, reads the request, then sends a valid-looking reply one byte every 2 s."""
    stop = threading.Event()
    listener = socket.create_server(("127.0.0.1", 0))
    reply = b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 4000\r\n\r\n"

    def serve(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            for byte in reply:
                if stop.wait(2):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in ("AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    return monkeypatch


def run_cli(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], endpoint: str, *args: str
) -> tuple[int, str]:
    """``cloudposture scan aws ARGS`` in-process, as the console script runs it."""
    env.setenv("AWS_ENDPOINT_URL", endpoint)
    code = main(["scan", "aws", "--quiet", *args])
    return code, capsys.readouterr().err


def test_an_endpoint_answering_html_is_a_clear_one_line_error(
    cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with html_endpoint() as url:
        code, err = run_cli(cli_env, capsys, url, "--region", "us-east-1")
    assert code == 2, err
    [line] = err.strip().splitlines()
    assert "answered an HTML page (HTTP 200), not an AWS API reply" in line
    assert "GetCallerIdentityResult" not in err


@pytest.mark.parametrize("region", ["", "mars-1", "us-east-1 "])
def test_a_region_that_is_not_one_exits_2_before_any_call(
    cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], region: str
) -> None:
    with html_endpoint() as url:  # any call made would fail differently
        code, err = run_cli(cli_env, capsys, url, "--region", "us-east-1", "--region", region)
    assert code == 2, err
    [line] = err.strip().splitlines()
    assert f"--region {region!r} is not a region" in line


@pytest.mark.parametrize(
    "url", ["http://10.9.9.9:5000", "http://eks.internal.example:80", "ftp://127.0.0.1/"]
)
def test_plain_http_off_loopback_is_refused_like_the_other_providers(url: str) -> None:
    with pytest.raises(ConfigurationError, match="endpoint_url"):
        plugin.scanners({"endpoint_url": url, "region": ("us-east-1",), **KEYS}, 1)


def test_loopback_and_https_endpoints_are_accepted() -> None:
    for url in ("http://127.0.0.1:5000", "http://localhost:5000", "https://10.9.9.9"):
        assert plugin.scanners({"endpoint_url": url, "region": ("us-east-1",), **KEYS}, 1)


def test_an_endpoint_dripping_bytes_ends_at_the_call_deadline() -> None:
    """botocore's read timeout restarts at each byte; the call deadline does not."""
    with dripping_endpoint() as url:
        aws = scanner({"endpoint_url": url, "region": ("us-east-1",), "call_deadline": 1})
        done: dict[str, Any] = {}
        worker = threading.Thread(
            target=lambda: done.update(result=run_scan([aws], ScanOptions(rules=ALL_RULES))),
            daemon=True,
        )
        worker.start()
        worker.join(30)
        assert not worker.is_alive(), "the scan hung on a dripping endpoint"
    [entry] = done["result"].scan.coverage
    assert entry.status == "error"
    [error] = entry.errors
    assert (error.call, error.kind) == ("sts:GetCallerIdentity", "timeout")
    assert "call deadline of 1 s" in error.message


def test_a_nightly_target_with_plain_http_off_loopback_fails_validation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "nightly.yaml"
    config.write_text(
        "targets:\n  aws:\n    - name: lab\n      regions: [us-east-1]\n"
        "      endpoint_url: http://10.9.9.9:5000\n"
    )
    assert main(["config", "validate", str(config)]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert f"{config}:5: targets.aws[0].endpoint_url" in line
    assert "plain http to a non-loopback host" in line
