"""The entry point: cheap to import, options, settings checks, credentials."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points

import pytest
from cloudposture_azure.clients import StaticTokenCredential, make_credential
from cloudposture_azure.clouds import CLOUDS, check_endpoint
from cloudposture_azure.plugin import AzurePlugin

from cloudposture.cli import main
from cloudposture.model import ConfigurationError
from cloudposture.plugin import ProviderPlugin, load_provider


def test_registered_under_the_entry_point_group() -> None:
    names = {ep.name: ep.value for ep in entry_points(group="cloudposture.providers")}
    assert names["azure"] == "cloudposture_azure.plugin:plugin"
    assert isinstance(load_provider("azure"), ProviderPlugin)


def test_importing_the_plugin_loads_no_azure_module() -> None:
    code = (
        "import json, sys; import cloudposture_azure.plugin as p; p.plugin.cli_options(); "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'azure')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(out.stdout) == []


def test_cli_options() -> None:
    options = {p.name: p for p in AzurePlugin().cli_options()}
    assert set(options) == {
        "subscription",
        "management_group",
        "cloud",
        "arm_endpoint",
        "graph_endpoint",
    }
    assert options["subscription"].multiple is True
    assert options["management_group"].multiple is True
    assert options["cloud"].default == "AzurePublicCloud"


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "https://arm.example"]
)
def test_accepted_endpoints(url: str) -> None:
    assert check_endpoint(url + "/") == url


@pytest.mark.parametrize("url", ["http://10.0.0.5", "http://arm.example", "ftp://x", "nonsense"])
def test_refused_endpoints(url: str) -> None:
    with pytest.raises(ConfigurationError):
        check_endpoint(url)


def test_scanner_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDPOSTURE_AZURE_TOKEN", "tok")
    (scanner,) = AzurePlugin().scanners(
        {"subscription": ("a", "b", "a"), "cloud": "AzureChinaCloud", "arm_endpoint": None}, 4
    )
    assert scanner.name == "azure"
    assert [t.account for t in scanner.targets()] == ["a", "b"]  # static token: no sign-in
    clients = scanner._clients  # type: ignore[attr-defined]
    assert clients.arm_endpoint == "https://management.chinacloudapi.cn"
    assert clients.scope == "https://management.chinacloudapi.cn/.default"


@pytest.mark.parametrize(
    ("cloud", "graph"),
    [
        ("AzurePublicCloud", "https://graph.microsoft.com"),
        ("AzureChinaCloud", "https://microsoftgraph.chinacloudapi.cn"),
        ("AzureUSGovernment", "https://graph.microsoft.us"),
    ],
)
def test_graph_endpoint_and_scope_follow_the_cloud(
    cloud: str, graph: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOUDPOSTURE_AZURE_TOKEN", "arm-tok")
    monkeypatch.setenv("CLOUDPOSTURE_AZURE_GRAPH_TOKEN", "graph-tok")
    (scanner,) = AzurePlugin().scanners({"subscription": ("a",), "cloud": cloud}, 4)
    clients = scanner._clients  # type: ignore[attr-defined]
    assert (clients.graph_endpoint, clients.graph_scope) == (graph, f"{graph}/.default")
    assert clients.graph_credential.get_token(clients.graph_scope).token == "graph-tok"
    override = AzurePlugin().scanners(
        {"subscription": ("a",), "cloud": cloud, "graph_endpoint": "http://127.0.0.1:9/"}, 4
    )[0]
    graph_clients = override._clients  # type: ignore[attr-defined]
    assert graph_clients.graph_endpoint == "http://127.0.0.1:9"
    assert graph_clients.graph_scope == f"{graph}/.default"  # the audience stays the cloud's


def test_a_static_arm_token_is_never_sent_to_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDPOSTURE_AZURE_TOKEN", "arm-tok")
    monkeypatch.delenv("CLOUDPOSTURE_AZURE_GRAPH_TOKEN", raising=False)
    (scanner,) = AzurePlugin().scanners({"subscription": ("a",)}, 4)
    assert scanner._clients.graph_credential is None  # type: ignore[attr-defined]


def test_a_plain_http_graph_endpoint_off_loopback_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLOUDPOSTURE_AZURE_TOKEN", "arm-tok")
    with pytest.raises(ConfigurationError, match="--graph-endpoint"):
        AzurePlugin().scanners({"subscription": ("a",), "graph_endpoint": "http://10.1.1.1"}, 4)


def test_config_file_style_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDPOSTURE_AZURE_TOKEN", "tok")
    (scanner,) = AzurePlugin().scanners({"subscriptions": "only-one"}, 4)
    assert [t.account for t in scanner.targets()] == ["only-one"]


@pytest.mark.parametrize(
    "settings",
    [{"cloud": "AzureGermanCloud"}, {"arm_endpoint": "http://203.0.113.9:8080"}],
)
def test_bad_settings_are_configuration_errors(settings: dict[str, str]) -> None:
    with pytest.raises(ConfigurationError):
        AzurePlugin().scanners(settings, 4)


def test_static_token_from_the_environment_is_never_shown() -> None:
    credential = make_credential(CLOUDS["AzurePublicCloud"], {"CLOUDPOSTURE_AZURE_TOKEN": "s3cret"})
    assert isinstance(credential, StaticTokenCredential)
    assert credential.get_token("scope").token == "s3cret"
    assert "s3cret" not in repr(credential)


def test_default_credential_signs_in_at_the_clouds_authority(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {"AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AZURE_CLIENT_SECRET", "not-a-real-secret")
    credential = make_credential(CLOUDS["AzureUSGovernment"], {})
    assert type(credential).__name__ == "DefaultAzureCredential"
    environment = credential.credentials[0]._credential  # type: ignore[attr-defined]
    assert environment._authority == "https://login.microsoftonline.us"


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://admin:Pa55-word@127.0.0.1:9/",
        "http://admin:Pa55-word@10.9.9.9/",
        "https://admin:Pa55-word@[bad/",
    ],
)
def test_an_arm_endpoint_with_a_password_is_refused_without_echoing_it(
    endpoint: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLOUDPOSTURE_AZURE_TOKEN", "tok")
    code = main(["scan", "azure", "--subscription", "s", "--arm-endpoint", endpoint])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert "Pa55-word" not in out + err
    assert "--arm-endpoint" in err
    assert len(err.strip().splitlines()) == 1
