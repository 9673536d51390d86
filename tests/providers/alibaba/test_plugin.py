"""The ``alibaba`` plugin: cheap to import, settings checked before any SDK loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cloudposture_alibaba.plugin import plugin
from cloudposture_alibaba.settings import AlibabaSettings

from cloudposture.model import ConfigurationError
from cloudposture.plugin import ProviderPlugin, load_provider

ROOT = Path(__file__).resolve().parents[3]


def test_the_entry_point_is_a_plugin_with_the_issue_s_options() -> None:
    loaded = load_provider("alibaba")
    assert isinstance(loaded, ProviderPlugin)
    names = {p.name for p in loaded.cli_options()}
    assert names == {"profile", "role_arn", "region", "endpoint"}


def test_importing_the_plugin_loads_no_sdk() -> None:
    code = (
        "import sys, cloudposture_alibaba.plugin as p; p.plugin.cli_options(); "
        "p.plugin.guidance; p.plugin.not_applicable; "
        "print(sorted(m for m in sys.modules if m.startswith(('alibabacloud', 'darabonba', "
        "'Tea'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"


def test_settings_from_cli_options_and_from_a_config_entry() -> None:
    cli = AlibabaSettings.from_mapping(
        {"region": ("cn-hangzhou", "cn-beijing"), "endpoint": "http://127.0.0.1:8080/"}
    )
    assert cli.regions == ("cn-hangzhou", "cn-beijing")
    assert (cli.endpoint_host, cli.protocol) == ("127.0.0.1:8080", "http")
    config = AlibabaSettings.from_mapping(
        {"regions": ["ap-southeast-1"], "role_arn": "acs:ram::1234567890123456:role/audit"}
    )
    assert config.regions == ("ap-southeast-1",)
    assert config.endpoint_host is None
    assert config.protocol == "https"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"endpoint": "http://ecs.example.com"}, "plain http to a non-loopback host"),
        ({"endpoint": "https://proxy.example.com/api"}, "base URL"),
        ({"role_arn": "arn:aws:iam::123456789012:role/x"}, "not a RAM role ARN"),
        ({"region": "Hangzhou"}, "not a region id"),
    ],
)
def test_bad_settings_fail_in_one_line(settings: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as caught:
        plugin.scanners(settings, max_workers=4)
    assert "\n" not in str(caught.value)
