"""The entry point: cheap to import, options, credentials, and one-line configuration errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from cloudposture_gcp.adapter import GcpScanner
from cloudposture_gcp.clients import resolve_credentials
from cloudposture_gcp.plugin import plugin
from google.auth import impersonated_credentials
from google.oauth2 import credentials as oauth2_credentials

from cloudposture.cli import main
from cloudposture.model import ConfigurationError
from cloudposture.plugin import ProviderPlugin, load_provider

ROOT = Path(__file__).resolve().parents[3]


def test_importing_the_plugin_loads_no_google_module() -> None:
    code = (
        "import sys; import cloudposture_gcp.plugin as p; "
        "print(p.plugin.name, sorted(m for m in sys.modules if m.split('.')[0] == 'google'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=ROOT,
    )
    assert out.stdout.strip() == "gcp []"


def test_registered_under_the_entry_point_group() -> None:
    loaded = load_provider("gcp")
    assert loaded is plugin
    assert isinstance(loaded, ProviderPlugin)


def test_cli_options_match_the_settings_names() -> None:
    names = {p.name for p in plugin.cli_options()}
    assert names == {"project", "organization", "folder", "endpoint", "impersonate_service_account"}
    multiple = {p.name for p in plugin.cli_options() if isinstance(p, click.Option) and p.multiple}
    assert multiple == {"project", "folder"}


def test_static_token_from_the_environment() -> None:
    creds = resolve_credentials(environ={"GOOGLE_OAUTH_ACCESS_TOKEN": "ya29.test-token"})
    assert isinstance(creds, oauth2_credentials.Credentials)
    assert creds.token == "ya29.test-token"
    wrapped = resolve_credentials(
        "scanner@p.iam.gserviceaccount.com", {"GOOGLE_OAUTH_ACCESS_TOKEN": "t"}
    )
    assert isinstance(wrapped, impersonated_credentials.Credentials)


def test_no_credentials_anywhere_is_a_one_line_configuration_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("GOOGLE_OAUTH_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path))  # no gcloud ADC file
    monkeypatch.setenv("NO_GCE_CHECK", "True")  # do not probe a metadata server
    with pytest.raises(ConfigurationError) as info:
        plugin.scanners({"project": ("p",)}, max_workers=4)
    message = str(info.value)
    assert "GOOGLE_OAUTH_ACCESS_TOKEN" in message
    assert "\n" not in message


def test_scanners_build_a_gcp_scanner_with_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_OAUTH_ACCESS_TOKEN", "x")
    (scanner,) = plugin.scanners({"project": ("p",), "endpoint": "http://127.0.0.1:9"}, 4)
    assert isinstance(scanner, GcpScanner)
    assert scanner.name == "gcp"


def test_plain_http_endpoint_off_loopback_is_refused_before_any_credential_lookup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GOOGLE_OAUTH_ACCESS_TOKEN", "secret-token-value")
    with pytest.raises(ConfigurationError) as info:
        plugin.scanners({"project": ("p",), "endpoint": "http://203.0.113.9:8080"}, 4)
    assert "plain http" in str(info.value)
    assert "secret-token-value" not in str(info.value)


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://u:Pa55-word@127.0.0.1:9/",
        "http://u:Pa55-word@203.0.113.9/",
        "https://u:Pa55-word@[bad/",
        "https://u:Pa55-word/x@proxy.example/",
    ],
)
def test_an_endpoint_with_a_password_is_refused_without_echoing_it(
    endpoint: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GOOGLE_OAUTH_ACCESS_TOKEN", "x")
    code = main(["scan", "gcp", "--project", "p", "--endpoint", endpoint])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert "Pa55-word" not in out + err
    assert "--endpoint" in err
    assert len(err.strip().splitlines()) == 1
