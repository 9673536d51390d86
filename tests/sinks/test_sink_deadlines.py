"""Receivers that hang: every delivery ends within its deadline, and nothing is lost.

A receiver that accepts and never answers, one that answers a byte every few hundred
milliseconds (no single read ever times out), and a TLS port that never completes the
handshake: each costs at most the retry budget plus one call's timeout, and the events stay
queued. The flush runs on a thread joined with a timeout so a regression fails, not hangs.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from cloudposture.model import ConfigurationError, ScanResult
from cloudposture.outbox.outbox import RetryPolicy, SinkReport, enqueue, flush, retention_from_env
from cloudposture.sinks.registry import sink_from_url
from cloudposture.sinks.url import SinkUrl
from cloudposture.store import Store
from tests.badinput.servers import BadServer, drip, silent

TOKEN = "hec-deadline-token-5150"


def flush_within(
    state: str, url: str, result: ScanResult, limit: float
) -> tuple[SinkReport, float]:
    sink = sink_from_url(url)
    reports: list[SinkReport] = []
    with Store.open(state) as store:
        enqueue(store, result, [sink])
        policy = RetryPolicy(budget_seconds=0.6, first_delay=0.05, max_delay=0.1)
        worker = threading.Thread(
            target=lambda: reports.extend(flush(store, [sink], policy)), daemon=True
        )
        start = time.monotonic()
        worker.start()
        worker.join(limit)
        took = time.monotonic() - start
        assert not worker.is_alive(), f"flush still running after {limit}s"
    (report,) = reports
    return report, took


def test_a_hec_that_accepts_and_never_answers_ends_within_the_budget(
    result: ScanResult, state: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CP_HEC_TOKEN", TOKEN)
    with BadServer(silent) as server:
        url = f"splunk+http://127.0.0.1:{server.port}?token_env=CP_HEC_TOKEN&timeout=0.3"
        report, took = flush_within(state, url, result, limit=8)
    # an attempt (0.3 s) longer than the largest backoff (0.1 s) once made every event due
    # again at once and the budget was never looked at
    assert took < 3
    assert report.delivered == 0
    assert report.pending == len(result.findings)
    # the socket's own timeout or the whole-call deadline, whichever fires first
    assert "timed out" in report.last_error or "within 0.3s" in report.last_error


def test_a_hec_answering_one_byte_at_a_time_ends_at_the_call_deadline(
    result: ScanResult, state: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CP_HEC_TOKEN", TOKEN)
    with BadServer(drip(0.05)) as server:
        url = f"splunk+http://127.0.0.1:{server.port}?token_env=CP_HEC_TOKEN&timeout=0.5"
        report, took = flush_within(state, url, result, limit=8)
    assert took < 4
    assert report.pending == len(result.findings)
    assert "no complete reply within 0.5s" in report.last_error


def test_a_tls_syslog_port_that_never_completes_the_handshake_ends(
    result: ScanResult, state: str, ca_file: Path
) -> None:
    with BadServer(silent) as server:
        url = f"syslog+tls://localhost:{server.port}?ca_file={ca_file}&timeout=0.3"
        report, took = flush_within(state, url, result, limit=8)
    assert took < 3
    assert report.pending == len(result.findings)
    assert "syslog send" in report.last_error


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e300", "soon"])
def test_retry_budget_from_the_environment_must_be_a_finite_number(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOUDPOSTURE_SINK_RETRY_SECONDS", value)
    with pytest.raises(ConfigurationError, match="CLOUDPOSTURE_SINK_RETRY_SECONDS"):
        RetryPolicy.from_env()


@pytest.mark.parametrize("value", ["inf", "nan", "1e12", "-3"])
def test_outbox_retention_must_be_a_sensible_number_of_days(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOUDPOSTURE_OUTBOX_RETENTION_DAYS", value)
    with pytest.raises(ConfigurationError, match="CLOUDPOSTURE_OUTBOX_RETENTION_DAYS"):
        retention_from_env()


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_sink_time_options_are_finite_and_positive(value: str) -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        SinkUrl.parse(f"syslog+tcp://127.0.0.1:1?timeout={value}").number("timeout", 1.0)
