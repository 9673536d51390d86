from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.badinput.artifacts import CANARY, build
from tests.badinput.servers import BadServer, drip, junk, reset, silent

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_SITE = ROOT / "tests" / "core" / "plugin_site"


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("artifacts"))


@pytest.fixture(scope="session")
def servers() -> Iterator[dict[str, BadServer]]:
    made = {
        "silent": BadServer(silent),
        "drip": BadServer(drip(0.05)),
        "reset": BadServer(reset),
        "junk": BadServer(junk),
    }
    yield made
    for server in made.values():
        server.stop()


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A clean environment: the fake provider installed, the canary secret reachable, no
    state file outside the case's directory, the case's directory as working directory."""
    for name in list(__import__("os").environ):
        if name.startswith(("CLOUDPOSTURE_", "AWS_", "AZURE_", "GOOGLE_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CP_TOKEN", CANARY)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CLOUDPOSTURE_SINK_RETRY_SECONDS", "0.3")
    monkeypatch.syspath_prepend(str(PLUGIN_SITE))
    monkeypatch.chdir(tmp_path)
    if str(ROOT) not in sys.path:
        monkeypatch.syspath_prepend(str(ROOT))
    return tmp_path
