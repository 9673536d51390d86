"""The custom role file and permissions.py agree, and every call the adapter makes is listed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import cloudposture_azure
from cloudposture_azure.permissions import ACTIONS, CALLS, GRAPH_CALLS, custom_role_json

ROOT = Path(__file__).resolve().parents[3]
ROLE_FILE = ROOT / "docs" / "permissions" / "azure-custom-role.json"
CALL_PATTERN = re.compile(r'"((?:subscription|managementgroups|containerservice|network|'
                          r'authorization|monitor|keyvault|graph):'
                          r'[A-Za-z]+\.[A-Za-z]+)')  # fmt: skip


def test_shipped_role_file_matches_permissions_py() -> None:
    assert ROLE_FILE.read_text() == custom_role_json()
    role = json.loads(ROLE_FILE.read_text())
    assert role["Actions"] == list(ACTIONS)
    assert role["DataActions"] == []
    assert all(a.endswith("/read") for a in role["Actions"])


def test_every_call_named_in_the_adapter_is_listed() -> None:
    package = Path(cloudposture_azure.__file__).parent
    named = {
        m
        for path in package.glob("*.py")
        if path.name != "permissions.py"
        for m in CALL_PATTERN.findall(path.read_text())
    }
    assert named, "the pattern must find the adapter's calls"
    assert named <= {*CALLS, *GRAPH_CALLS}, named - {*CALLS, *GRAPH_CALLS}
    assert "graph:ServicePrincipals.GetByAppId" in named


def test_the_role_names_the_graph_permission() -> None:
    role = json.loads(ROLE_FILE.read_text())
    assert set(GRAPH_CALLS.values()) == {"Application.Read.All"}
    assert "Application.Read.All" in role["Description"]
    assert "Directory.Read.All" in role["Description"]
