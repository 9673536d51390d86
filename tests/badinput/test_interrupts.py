"""What only a real process shows: Ctrl-C during a blocked scan, and a full disk.

Ctrl-C: a scan whose cloud endpoint accepted the connection and never answers is blocked
inside the SDK; SIGINT must end the process within a second or two with exit 130 (it used to
wait for the blocked worker, and click reported Abort as exit 2). Full disk: RLIMIT_FSIZE makes
every write past a few bytes fail with EFBIG, as a full file system fails with ENOSPC; the
previous report must stay exactly as it was, with no temporary file left beside it.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.badinput.artifacts import CANARY
from tests.badinput.servers import BadServer, silent

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_SITE = ROOT / "tests" / "core" / "plugin_site"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CLOUDPOSTURE_"))}
    env.update(
        HOME=str(tmp_path),
        PYTHONPATH=os.pathsep.join([str(ROOT), str(PLUGIN_SITE)]),
        AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE",
        AWS_SECRET_ACCESS_KEY=CANARY,
        **extra,
    )
    return env


def test_ctrl_c_stops_a_blocked_scan_at_once_with_exit_130(tmp_path: Path) -> None:
    with BadServer(silent) as server:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cloudposture", "scan", "aws", "--region", "us-east-1", "-q"],
            env=_env(tmp_path, AWS_ENDPOINT_URL=server.url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while server.connections == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.connections > 0, "the scan never reached the endpoint"
        time.sleep(0.3)  # blocked in the SDK's read now
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
        took = time.monotonic() - sent
    assert proc.returncode == 130, err
    assert took < 2.5, f"took {took:.1f}s after SIGINT"
    assert err.strip().splitlines()[-1] == "error: interrupted"
    assert "Traceback" not in err
    assert CANARY not in out + err


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_full_disk_never_replaces_a_valid_report_with_part_of_one(tmp_path: Path) -> None:
    previous = tmp_path / "prev.json"
    previous.write_text('{"scan": {"id": "earlier"}, "findings": []}\n')
    before = previous.read_bytes()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cloudposture",
            "scan",
            "fake",
            "--scenario",
            "public",
            "--format",
            "json",
            "-o",
            str(previous),
            "-q",
        ],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_file_size,
        check=False,
    )
    # the finding spool moves to memory when its file hits the limit; the report cannot: one
    # line naming the file, exit 2
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert proc.stderr.startswith("error: ")
    assert proc.stderr.strip() == f"error: cannot write {previous}: File too large"
    assert previous.read_bytes() == before
    assert json.loads(before)["scan"]["id"] == "earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prev.json"]


def test_a_write_failing_halfway_leaves_the_previous_report_and_no_temporary_file(
    tmp_path: Path,
) -> None:
    import errno

    import pytest

    from cloudposture.atomic_files import write_atomic
    from cloudposture.model import ConfigurationError

    previous = tmp_path / "report.json"
    previous.write_text('{"valid": true}\n')

    def half_then_full(out: object) -> None:
        assert hasattr(out, "write")
        out.write('{"findings": [' + "1, " * 10_000)
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(ConfigurationError, match=f"cannot write {previous}: No space left"):
        write_atomic(previous, half_then_full)  # type: ignore[arg-type]
    assert previous.read_text() == '{"valid": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def _limit_file_size_to_nothing() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))


def test_a_full_temporary_directory_costs_memory_not_the_scan(tmp_path: Path) -> None:
    """The findings spool cannot write a byte: the scan still reports every finding (to a
    pipe, which the limit does not touch) and says once where it could not write."""
    proc = subprocess.run(
        [sys.executable, "-m", "cloudposture", "scan", "fake", "--scenario", "public"],
        env=_env(tmp_path, TMPDIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_file_size_to_nothing,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr  # the public scenario fails rules
    report = json.loads(proc.stdout)
    assert report["findings"], "no finding reached the report"
    assert {f["status"] for f in report["findings"]} >= {"FAIL", "PASS"}
    assert proc.stderr.strip().splitlines()[0] == (
        f"warning: cannot write temporary files in {tmp_path} (File too large); "
        "findings are kept in memory"
    )
    assert "Traceback" not in proc.stderr
