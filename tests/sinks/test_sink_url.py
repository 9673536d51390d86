"""Sink URLs: secrets by reference only, strict options, loopback-only clear text, redaction."""

from __future__ import annotations

from pathlib import Path

import pytest
import trustme

from cloudposture.endpoints import is_loopback
from cloudposture.model import ConfigurationError, Status
from cloudposture.sinks.registry import (
    available_schemes,
    sink_from_url,
    sinks_from_urls,
)
from cloudposture.sinks.url import SinkUrl, redact

TOKEN = "6a1c0b9e-3c4f-4d27-9f0e-hec-secret-value"


def test_redact_removes_the_real_token_and_keeps_one_line() -> None:
    text = f"POST failed: Authorization: Splunk {TOKEN}\nbody said {TOKEN}"
    out = redact(text, [TOKEN])
    assert TOKEN not in out
    assert out == "POST failed: Authorization: Splunk *** body said ***"


def test_redact_handles_overlapping_secrets_longest_first() -> None:
    assert redact("abcdef", ["abc", "abcdef"]) == "***"


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("splunk+https://h:8088?token=abc", "token_env"),
        ("webhook+https://h/p?secret=abc", "secret_env"),
        ("webhook+https://h/p?password=abc", "password_env"),
        ("splunk+https://user:pw@h:8088?token_env=X", "must not carry credentials"),
        ("splunk+https://h:8088?token_env=A&token_env=B", "repeats option"),
        ("not a url", "invalid sink URL"),
        ("splunk+https://h:notaport", "invalid sink URL"),
    ],
)
def test_bad_urls_are_refused_with_a_clear_reason(url: str, fragment: str) -> None:
    with pytest.raises(ConfigurationError, match=fragment):
        SinkUrl.parse(url)


def test_clear_secret_is_never_echoed_in_the_error() -> None:
    with pytest.raises(ConfigurationError) as err:
        SinkUrl.parse(f"splunk+https://h:8088?token={TOKEN}")
    assert TOKEN not in str(err.value)


def test_canonical_name_sorts_options_and_holds_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEC_TOKEN", TOKEN)
    sink = sink_from_url("splunk+https://hec.example.com:8088?token_env=HEC_TOKEN&index=sec")
    assert sink.name == "splunk+https://hec.example.com:8088?index=sec&token_env=HEC_TOKEN"
    assert TOKEN not in sink.name
    assert sink.secrets == (TOKEN,)


def test_token_from_file_is_read_and_stripped(tmp_path: Path) -> None:
    path = tmp_path / "hec.token"
    path.write_text(TOKEN + "\n")
    sink = sink_from_url(f"splunk+https://hec.example.com?token_file={path}")
    assert sink.secrets == (TOKEN,)


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("splunk+https://h?index=x", "needs a token"),
        ("splunk+https://h?token_env=CP_TEST_UNSET_VARIABLE", "CP_TEST_UNSET_VARIABLE"),
        ("splunk+https://h?token_file=/nonexistent/token", "cannot read token_file"),
        ("splunk+https://h?token_env=X&token_file=/x", "not both"),
        ("splunk+https://h?token_env=HOME&indx=typo", "does not know option 'indx'"),
        ("splunk+https://h?token_env=HOME&ack=yes", "ack=yes"),
        ("splunk+https://h?token_env=HOME&ca_file=/nonexistent.pem", "no such file"),
        ("splunk+https://h?token_env=HOME&status=failed", "status=failed"),
        ("splunk+https://h?token_env=HOME&ocsf_class=network", "unknown OCSF class"),
        ("splunk+http://hec.example.com?token_env=HOME", "loopback"),
        ("webhook+http://10.0.0.8/hook", "loopback"),
        ("syslog+tcp://siem.example.com:514", "loopback"),
        ("syslog+tls://h?format=leef", "format=leef"),
        ("kafka://broker:9092", "unknown sink scheme 'kafka'"),
    ],
)
def test_sink_configuration_errors(url: str, fragment: str) -> None:
    with pytest.raises(ConfigurationError, match=fragment):
        sink_from_url(url)


def test_plain_text_variants_work_on_loopback() -> None:
    assert sink_from_url("webhook+http://127.0.0.1:9/hook").name.startswith("webhook+http://")
    assert sink_from_url("syslog+tcp://localhost:514").name == "syslog+tcp://localhost:514"
    assert sink_from_url("syslog+tcp://[::1]:514").name == "syslog+tcp://[::1]:514"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("::1", True),
        ("10.0.0.1", False),
        ("localhost.example.com", False),
        ("0.0.0.0", False),
    ],
)
def test_is_loopback_uses_no_dns(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


def test_status_filter_defaults_to_all_and_takes_a_list() -> None:
    from cloudposture.reporters.example import example_findings

    findings = example_findings()
    every = sink_from_url("webhook+http://127.0.0.1/h")
    assert all(every.accepts(f) for f in findings)
    failing = sink_from_url("webhook+http://127.0.0.1/h?status=fail,error")
    assert {f.status for f in findings if failing.accepts(f)} == {Status.FAIL, Status.ERROR}


def test_the_same_sink_twice_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="given twice"):
        sinks_from_urls(["syslog+tcp://localhost:514", "syslog+tcp://localhost:514"])


def test_plugin_schemes_come_from_entry_points_and_hint_when_missing() -> None:
    schemes = available_schemes()
    core = {"splunk+https", "splunk+http", "syslog+tls", "syslog+tcp", "webhook+https"}
    assert core | {"webhook+http"} <= set(schemes)
    # the provider distributions are installed in the dev environment
    assert {"securityhub", "s3", "sentinel"} <= set(schemes)


def test_the_name_rebuilds_the_same_sink(tmp_path: Path, ca: trustme.CA) -> None:
    """``outbox flush`` rebuilds sinks from their queue key, so the name must round-trip."""
    ca_file = tmp_path / "my ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    url = f"syslog+tls://siem.example.com:6514?format=cef&ca_file={ca_file}&status=fail,error"
    name = sink_from_url(url).name
    assert sink_from_url(name).name == name
    assert SinkUrl.parse(name).options == SinkUrl.parse(url).options


def test_a_file_that_is_no_certificate_is_a_configuration_error(tmp_path: Path) -> None:
    bogus = tmp_path / "ca.pem"
    bogus.write_text("not a certificate")
    with pytest.raises(ConfigurationError, match="cannot use TLS files"):
        sink_from_url(f"syslog+tls://siem.example.com?ca_file={bogus}")
    with pytest.raises(ConfigurationError, match="cannot use TLS files"):
        sink_from_url(f"syslog+tls://siem.example.com?cert_file={bogus}")
