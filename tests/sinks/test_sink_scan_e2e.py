"""The issue's bar, end to end: a real ``scan aws`` (the demo EKS estate on a local moto server)
with ``--sink`` at a local HEC receiver and a local TLS syslog collector.

Receivers down: the scan exits with its normal code and says delivery is pending; receivers
up, ``cloudposture outbox flush`` delivers every finding once. A second scan with both up
delivers every finding to both directly.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import trustme
from click.testing import CliRunner
from rich.console import Console

from cloudposture.cli import cli
from cloudposture.plugin import load_provider
from cloudposture.scan_command import CommonOptions, execute_scan
from cloudposture.sinks.events import event_id
from tests.sinks.receivers import HttpReceiver, SyslogReceiver, server_context
from tests.sinks.test_sink_outbox import hec_event_ids, syslog_event_ids

pytestmark = pytest.mark.slow


def expected_ids(report: dict[str, Any]) -> Counter[str]:
    return Counter(event_id(f["uid"], f["status"], f["scan_id"]) for f in report["findings"])


def test_scan_with_sinks_survives_an_outage_and_flush_delivers_once(
    ca: trustme.CA, ca_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CP_E2E_HEC_TOKEN", "e2e-hec-token")
    monkeypatch.setenv("CLOUDPOSTURE_SINK_RETRY_SECONDS", "0.2")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    hec = HttpReceiver()
    collector = SyslogReceiver(server_context(ca)).start()
    hec.stop()
    collector.stop()
    state = str(tmp_path / "state.db")
    sinks = (
        f"splunk+http://127.0.0.1:{hec.port}?token_env=CP_E2E_HEC_TOKEN",
        f"syslog+tls://localhost:{collector.port}?format=json&ca_file={ca_file}",
    )
    plugin = load_provider("aws")

    def scan(out: Path, console: Console) -> int:
        common = CommonOptions(
            formats=("json",), output=out, fail_on=None, quiet=True, sinks=sinks, state=state
        )
        return execute_scan(plugin, settings, common, console)

    with plugin.demo() as settings:  # type: ignore[attr-defined]
        down_console = Console(record=True, width=300)
        down_exit = scan(tmp_path / "down.json", down_console)
        down = json.loads((tmp_path / "down.json").read_text())

        hec.start()
        collector.start()
        try:
            flushed = CliRunner().invoke(cli, ["outbox", "flush", "--state", state])
            flushed_syslog = collector.wait_for(len(down["findings"]))
            hec_after_flush = hec_event_ids(hec)

            up_exit = scan(tmp_path / "up.json", Console(record=True, width=300))
            up = json.loads((tmp_path / "up.json").read_text())
            all_syslog = collector.wait_for(len(down["findings"]) + len(up["findings"]))
        finally:
            hec.stop()
            collector.stop()

    assert len(down["findings"]) > 50
    assert down_exit == up_exit == 0  # --fail-on none: a dead SIEM changes nothing
    said = down_console.export_text()
    assert f"delivery pending: {2 * len(down['findings'])} events stay queued" in said
    assert flushed.exit_code == 0, flushed.output
    assert Counter(hec_after_flush) == expected_ids(down)
    assert Counter(syslog_event_ids(flushed_syslog)) == expected_ids(down)
    # the second scan went straight through, to both, once each
    assert Counter(hec_event_ids(hec)) == expected_ids(down) + expected_ids(up)
    assert Counter(syslog_event_ids(all_syslog)) == expected_ids(down) + expected_ids(up)
