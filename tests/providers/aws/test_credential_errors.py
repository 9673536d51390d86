"""A credential source that cannot work is a one-line ConfigurationError at setup (exit 2 on
the CLI, a setup coverage error in the nightly run), never an "internal error".

Every case is a real config file (AWS_CONFIG_FILE) or variable that botocore itself reads;
the lookup fails inside botocore before any request, so no endpoint is needed.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
from cloudposture_aws.plugin import plugin

from cloudposture.cli import main
from cloudposture.engine import ScanOptions, run_scan
from cloudposture.model import ConfigurationError
from cloudposture.rules.catalog import RULES_BY_ID

REGION = "us-east-1"
ROLE = "arn:aws:iam::111122223333:role/cloudposture-audit"
PYTHON = shlex.quote(sys.executable)
PREFIX = "cannot load AWS credentials (profile broken, credential_process): "

# credential_process values that break in different places inside botocore
BROKEN_PROCESSES = {
    "unclosed quote": "/bin/echo 'never closed",  # shlex.split: ValueError
    "not JSON": "/bin/echo this is not json",  # json.loads: ValueError
    "missing program": "/nonexistent/cloudposture-credentials",  # FileNotFoundError
    "failing program": (  # CredentialRetrievalError carrying the program's stderr
        f"{PYTHON} -c \"import sys; sys.stderr.write('first line\\nsecond line\\n'); sys.exit(3)\""
    ),
    "wrong version": f'{PYTHON} -c "print(\'{{\\"Version\\": 7}}\')"',
}


@pytest.fixture
def aws_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No credentials from the environment, no instance metadata: only the config file."""
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    config = tmp_path / "config"
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    return config


def broken_profile(config: Path, process: str) -> None:
    config.write_text(f"[profile broken]\nregion = {REGION}\ncredential_process = {process}\n")


@pytest.mark.parametrize("process", BROKEN_PROCESSES.values(), ids=BROKEN_PROCESSES.keys())
def test_broken_credential_process_is_a_configuration_error(aws_env: Path, process: str) -> None:
    broken_profile(aws_env, process)
    [scan] = plugin.scanners({"profile": "broken", "region": (REGION,)}, 2)
    with pytest.raises(ConfigurationError) as caught:
        scan.targets()
    message = str(caught.value)
    assert message.startswith(PREFIX)
    assert "\n" not in message
    assert len(message) < 400


def test_the_program_stderr_is_kept_on_one_line(aws_env: Path) -> None:
    broken_profile(aws_env, BROKEN_PROCESSES["failing program"])
    [scan] = plugin.scanners({"profile": "broken", "region": (REGION,)}, 2)
    with pytest.raises(ConfigurationError, match="custom-process: first line second line"):
        scan.targets()


def test_refused_container_credentials_uri_is_a_configuration_error(
    aws_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/credentials")
    [scan] = plugin.scanners({"region": (REGION,)}, 2)
    with pytest.raises(ConfigurationError) as caught:
        scan.targets()
    assert str(caught.value).startswith(
        "cannot load AWS credentials (default chain, AWS_CONTAINER_CREDENTIALS_FULL_URI): "
        "Unsupported host 'example.com'"
    )


def test_broken_source_of_an_assumed_role_fails_before_assuming(aws_env: Path) -> None:
    broken_profile(aws_env, BROKEN_PROCESSES["not JSON"])
    [scan] = plugin.scanners({"profile": "broken", "region": (REGION,), "role_arn": ROLE}, 2)
    with pytest.raises(ConfigurationError, match=r"^cannot load AWS credentials \(profile broken"):
        scan.targets()


def test_broken_management_credentials_stop_the_organization_setup(aws_env: Path) -> None:
    broken_profile(aws_env, BROKEN_PROCESSES["unclosed quote"])
    settings = {"profile": "broken", "region": (REGION,), "organization_role": "audit"}
    with pytest.raises(ConfigurationError, match="No closing quotation"):
        plugin.scanners(settings, 2)


def test_nightly_run_records_a_setup_error_not_an_internal_error(aws_env: Path) -> None:
    broken_profile(aws_env, BROKEN_PROCESSES["missing program"])
    scanners = plugin.scanners({"profile": "broken", "region": (REGION,)}, 2)
    options = ScanOptions(rules=[RULES_BY_ID["CP-002"]], max_workers=2, setup_errors="record")
    result = run_scan(scanners, options)
    [entry] = result.scan.coverage
    [error] = entry.errors
    assert (entry.status, error.call, error.kind) == ("error", "setup", "invalid")
    assert error.message.startswith(
        "cannot load AWS credentials (profile broken, credential_process): "
    )
    assert "internal error" not in error.message


def test_cli_exits_2_with_one_line(aws_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken_profile(aws_env, BROKEN_PROCESSES["unclosed quote"])
    code = main(["scan", "aws", "--profile", "broken", "--region", REGION, "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        "error: cannot load AWS credentials (profile broken, credential_process): "
        "No closing quotation\n"
    )


def test_a_region_name_botocore_refuses_is_a_configuration_error(
    aws_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A --region is checked before any client exists; a region from the environment reaches
    the first STS client, which raises a BotoCoreError that is also a ValueError."""
    keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    with pytest.raises(ConfigurationError, match="--region 'not a region' is not a region"):
        plugin.scanners({**keys, "region": ("not a region",)}, 2)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "not a region")
    monkeypatch.delenv("AWS_REGION", raising=False)
    [scan] = plugin.scanners(keys, 2)
    with pytest.raises(ConfigurationError, match=r"^AWS setup failed \(InvalidRegionError\): "):
        scan.targets()
