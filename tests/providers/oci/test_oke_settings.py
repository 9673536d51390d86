"""Settings and credentials fail early with one line that names the file, never a value."""

from __future__ import annotations

from pathlib import Path

import pytest
from cloudposture_oci.clients import resolve_options
from cloudposture_oci.settings import OciSettings

from cloudposture.model import ConfigurationError
from tests.providers.oci.conftest import Credentials
from tests.providers.oci.oke_world import TENANCY


def settings(**values: object) -> OciSettings:
    return OciSettings.from_mapping(values, environ={})


def test_defaults_and_the_environment() -> None:
    plain = settings()
    assert (plain.auth, plain.config_file, plain.profile) == ("api_key", "~/.oci/config", "DEFAULT")
    from_env = OciSettings.from_mapping(
        {}, environ={"OCI_CONFIG_FILE": "/etc/oci.cfg", "OCI_CLI_PROFILE": "PROD"}
    )
    assert (from_env.config_file, from_env.profile) == ("/etc/oci.cfg", "PROD")
    chosen = OciSettings.from_mapping(
        {"config_file": "/x", "region": ("a", "b,a"), "auth": "instance-principal"},
        environ={"OCI_CONFIG_FILE": "/etc/oci.cfg"},
    )
    assert (chosen.config_file, chosen.regions, chosen.auth) == (
        "/x",
        ("a", "b"),
        "instance_principal",
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"auth": "password"}, "--auth must be one of"),
        ({"compartment": ["prod"]}, "compartment OCID"),
        ({"endpoint": "http://oci.example.com"}, "plain http"),
        ({"endpoint": "ftp://127.0.0.1"}, "https URL"),
    ],
)
def test_bad_settings_are_configuration_errors(values: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        settings(**values)


def test_a_region_placeholder_endpoint_is_accepted() -> None:
    url = "https://containerengine.{region}.example.com/"
    assert settings(endpoint=url).endpoint == url.rstrip("/")


def test_api_key_options_come_from_the_config_file(credentials: Credentials) -> None:
    options = resolve_options(settings(config_file=str(credentials.config_file)))
    assert options.tenancy_id == TENANCY
    assert options.signer is not None


def _problem(config_file: Path, profile: str = "DEFAULT") -> str:
    with pytest.raises(ConfigurationError) as caught:
        resolve_options(settings(config_file=str(config_file), profile=profile))
    return str(caught.value)


def test_config_problems_name_the_file_and_never_a_value(
    credentials: Credentials, tmp_path: Path
) -> None:
    assert "not found" in _problem(tmp_path / "missing")
    assert "profile 'PROD' not found" in _problem(credentials.config_file, "PROD")
    text = credentials.config_file.read_text()
    no_fingerprint = tmp_path / "no-fingerprint"
    no_fingerprint.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("fingerprint"))
    )
    message = _problem(no_fingerprint)
    assert "fingerprint" in message
    assert "ocid1.user" not in message
    bad_key = tmp_path / "bad-key.pem"
    bad_key.write_text(
        "-----BEGIN RSA PRIVATE KEY-----\nnot a key\n-----END RSA PRIVATE KEY-----\n"
    )
    broken = tmp_path / "broken"
    broken.write_text(
        text.replace(f"key_file={credentials.config['key_file']}", f"key_file={bad_key}")
    )
    message = _problem(broken)
    assert "cannot load the API signing key" in message
    assert "not a key" not in message


def test_resource_principal_without_its_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OCI_RESOURCE_PRINCIPAL_VERSION", "OCI_RESOURCE_PRINCIPAL_RPST"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError, match="resource principal"):
        resolve_options(settings(auth="resource_principal"))
