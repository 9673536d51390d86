"""The issue's bar, end to end: a real ``scan aws`` (the demo EKS estate on a local moto server)
with ``--sink`` at a local HEC receiver and a local TLS syslog collector.

Receivers down: the scan exits with its normal code and says delivery is pending; receivers
up, ``cloudposture outbox flush`` delivers every finding once. A second scan with both up
delivers every finding to both directly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import trustme
from click.testing import CliRunner

from cloudposture.cli import cli
from cloudposture.model.events import event_id
from tests.sinks.receivers import HttpReceiver, SyslogReceiver, server_context
from tests.sinks.test_sink_outbox import hec_event_ids, syslog_event_ids

pytestmark = pytest.mark.slow
ROOT = Path(__file__).parents[2]


def expected_ids(report: dict[str, Any]) -> Counter[str]:
    return Counter(event_id(f["uid"], f["status"], f["scan_id"]) for f in report["findings"])


def test_scan_with_sinks_survives_an_outage_and_flush_delivers_once(
    ca: trustme.CA, ca_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CP_E2E_HEC_TOKEN", "e2e-hec-token")
    hec = HttpReceiver()
    collector = SyslogReceiver(server_context(ca)).start()
    hec.stop()  # both SIEMs down during the first scan
    collector.stop()
    state = str(tmp_path / "state.db")
    sinks = [
        f"splunk+http://127.0.0.1:{hec.port}?token_env=CP_E2E_HEC_TOKEN",
        f"syslog+tls://localhost:{collector.port}?format=json&ca_file={ca_file}",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        CP_E2E_HEC_TOKEN="e2e-hec-token",
        CLOUDPOSTURE_SINK_RETRY_SECONDS="0.2",
    )
    driver = subprocess.Popen(
        [sys.executable, "-m", "tests.sinks.scan_driver", str(tmp_path), state, *sinks],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert driver.stdout is not None
        assert driver.stdin is not None
        first = driver.stdout.readline().split()
        down = json.loads((tmp_path / "scan1.json").read_text())
        hec.start()
        collector.start()
        flushed = CliRunner().invoke(cli, ["outbox", "flush", "--state", state])
        flushed_syslog = collector.wait_for(len(down["findings"]))
        hec_after_flush = hec_event_ids(hec)
        driver.stdin.write("go\n")
        driver.stdin.flush()
        second = driver.stdout.readline().split()
        stderr = driver.communicate(timeout=60)[1]
        up = json.loads((tmp_path / "scan2.json").read_text())
        all_syslog = collector.wait_for(len(down["findings"]) + len(up["findings"]))
    finally:
        driver.kill()
        hec.stop()
        collector.stop()

    assert len(down["findings"]) > 50
    assert first == ["scanned", "1", "0"]  # --fail-on none: a dead SIEM changes nothing
    assert second == ["scanned", "2", "0"]
    assert f"delivery pending: {2 * len(down['findings'])} events stay queued" in stderr
    assert "e2e-hec-token" not in stderr
    assert flushed.exit_code == 0, flushed.output
    assert Counter(hec_after_flush) == expected_ids(down)
    assert Counter(syslog_event_ids(flushed_syslog)) == expected_ids(down)
    # the second scan went straight through, to both, once each
    assert Counter(hec_event_ids(hec)) == expected_ids(down) + expected_ids(up)
    assert Counter(syslog_event_ids(all_syslog)) == expected_ids(down) + expected_ids(up)
