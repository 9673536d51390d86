"""Transport-level failures of the real clients become one-line CollectionErrors."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from cloudposture_gcp.adapter import GcpScanner
from cloudposture_gcp.clients import ClientOptions, GoogleClients
from cloudposture_gcp.errors import to_collection_error
from cloudposture_gcp.settings import GcpSettings
from google.api_core import exceptions as gexc

from cloudposture.model import CollectionFailure
from cloudposture.plugin import Target
from tests.providers.gcp.conftest import anonymous


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A listener that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.05)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    for conn in accepted:
        conn.close()
    server.close()


def _scanner(endpoint: str, timeout: float) -> GcpScanner:
    options = ClientOptions(anonymous(), endpoint=endpoint, retry=None, timeout=timeout)
    return GcpScanner(GcpSettings(projects=("p",)), GoogleClients(options))


def test_a_server_that_never_answers_is_a_timeout(silent_port: int) -> None:
    scanner = _scanner(f"http://127.0.0.1:{silent_port}", timeout=0.3)
    with pytest.raises(CollectionFailure) as info:
        scanner.discover(Target(provider="gcp", account="p", region="-"))
    assert info.value.error.kind == "timeout"
    assert info.value.error.call == "container:ListClusters"


def test_connection_refused_is_unavailable() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(CollectionFailure) as info:
        _scanner(f"http://127.0.0.1:{port}", timeout=2).discover(
            Target(provider="gcp", account="p", region="-")
        )
    assert info.value.error.kind == "unavailable"
    assert "\n" not in info.value.error.one_line()


def test_retry_exhaustion_reports_the_last_real_failure() -> None:
    last = gexc.ServiceUnavailable("backend down")  # type: ignore[no-untyped-call]
    exhausted = gexc.RetryError("Deadline of 120.0s exceeded", last)  # type: ignore[no-untyped-call]
    error = to_collection_error(exhausted, "c:Op", "r")
    assert (error.kind, error.message) == ("unavailable", "backend down")
    deadline = gexc.RetryError("Deadline exceeded", None)  # type: ignore[no-untyped-call]
    bare = to_collection_error(deadline, "c:Op", "r")
    assert bare.kind == "timeout"
