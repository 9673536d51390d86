"""The bad-input corpus: careless and hostile inputs, each a clear error, nothing leaked.

Every case runs the real CLI entry point (``cloudposture.cli.main``) in process and asserts:
the exit code it deserves, one line on stderr naming the problem (``FILE:LINE`` where there
is a file), no traceback, no partial or temporary file left beside an output, and the canary
secret (reachable by every case as ``$CP_TOKEN``) in no output and no file, state database
included. Interrupts and real subprocess behaviour live in test_interrupts.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.badinput.artifacts import CANARY
from tests.badinput.servers import BadServer

SCAN = ("scan", "fake", "--scenario", "clean", "-q")
HEC = "splunk+https://hec.example.com?token_env=CP_TOKEN"
HEC_LOCAL = "splunk+http://127.0.0.1:{port}?token_env=CP_TOKEN&timeout=0.3"


@dataclass(frozen=True)
class Case:
    id: str
    args: tuple[str, ...]
    code: int
    message: str
    """Text the (single) error line must contain; placeholders as in ``args``."""
    env: dict[str, str] = field(default_factory=dict)
    lines: int = 1
    """At most this many stderr lines (a scan that ran may add its summary lines)."""
    server: str = ""
    """Which misbehaving server ``{port}`` points at."""
    previous: str = ""
    """An output file (relative to the case directory) holding a valid report beforehand,
    which must be left exactly as it was."""


def scan(*extra: str) -> tuple[str, ...]:
    return (*SCAN, *extra)


def validate(name: str) -> tuple[str, ...]:
    return ("config", "validate", "{art}/" + name)


CASES: list[Case] = [
    # --- CLI arguments ---------------------------------------------------------------------
    Case("rule-empty", scan("--rule", ""), 2, "empty rule id"),
    Case("rule-unknown", scan("--rule", "NOPE-001"), 2, "unknown rule id(s): NOPE-001"),
    Case("skip-rule-empty", scan("--skip-rule", " "), 2, "empty rule id"),
    Case("skip-everything", scan("--rule", "CP-001", "--skip-rule", "CP-001"), 2, "no rules left"),
    Case("format-unknown", scan("--format", "xml"), 2, "unknown format 'xml'"),
    Case("format-empty", scan("--format", ""), 2, "unknown format ''"),
    Case("two-formats-no-dir", scan("--format", "json", "--format", "csv"), 2, "--output-dir"),
    Case("asff-for-fake", scan("--format", "asff"), 2, "holds aws findings only"),
    Case("output-and-dir", scan("-o", "x.json", "--output-dir", "d"), 2, "not both"),
    Case("output-empty", scan("-o", ""), 2, "'--output' / '-o': is empty"),
    Case("output-dot", scan("-o", "."), 2, "File '.' is a directory"),
    Case("output-missing-dir", scan("-o", "missing-dir/x.json"), 2, "missing-dir does not exist"),
    Case("output-proc", scan("-o", "/proc/x.json"), 2, "/proc/x.json: cannot write there"),
    Case("output-dev-full", scan("-o", "/dev/full"), 2, "/dev/full is not a regular file"),
    Case("output-is-dir", scan("-o", "{art}"), 2, "is a directory"),
    Case("output-dir-is-file", scan("--output-dir", "{art}/a-file"), 2, "a-file' is a file"),
    Case("output-dir-proc", scan("--output-dir", "/proc/cp"), 2, "--output-dir /proc/cp"),
    Case("output-dir-empty", scan("--output-dir", ""), 2, "'--output-dir': is empty"),
    Case("fail-on-bogus", scan("--fail-on", "urgent"), 2, "Invalid value for '--fail-on'"),
    Case("broad-prefix-range", scan("--broad-prefix", "200"), 2, "--broad-prefix"),
    Case("max-workers-zero", scan("--max-workers", "0"), 2, "--max-workers"),
    Case("max-workers-text", scan("--max-workers", "many"), 2, "--max-workers"),
    Case("ocsf-class-bogus", scan("--ocsf-class", "alert"), 2, "--ocsf-class"),
    Case("unknown-provider", ("scan", "nosuchcloud"), 2, "No such command 'nosuchcloud'"),
    Case("missing-option", ("scan", "fake"), 2, "Missing option '--scenario'"),
    Case("unknown-option", scan("--frobnicate"), 2, "No such option '--frobnicate'"),
    Case("unknown-command", ("frobnicate",), 2, "No such command 'frobnicate'"),
    Case("rules-show-unknown", ("rules", "show", "XX-999"), 2, "unknown rule id 'XX-999'"),
    # --- state store URLs and state databases ---------------------------------------------
    Case("state-mysql", scan("--state", "mysql://x"), 2, "must be SQLite or PostgreSQL, not mysql"),
    Case("state-empty", scan("--state", ""), 2, "the state store is empty"),
    Case("state-garbage-url", scan("--state", "://"), 2, "state"),
    Case(
        "state-missing-folder",
        scan("--state", "sqlite:///nonexistent/dir/x.db"),
        2,
        "nonexistent/dir does not exist",
    ),
    Case(
        "state-password-hidden",
        scan("--state", f"postgresql://u:{CANARY}@127.0.0.1:1/db"),
        2,
        "cannot use the state store postgresql+psycopg://u:***@127.0.0.1:1/db",
    ),
    Case("state-random", scan("--state", "{art}/random.db"), 2, "random.db is corrupt"),
    Case("state-truncated", scan("--state", "{art}/truncated.db"), 2, "truncated.db is corrupt"),
    Case("state-newer", scan("--state", "{art}/newer.db"), 2, "written by a newer cloudposture"),
    Case("state-a-folder", scan("--state", "{art}"), 2, "is not a regular file"),
    Case(
        "state-read-only-with-sink",
        scan("--state", "sqlite:///file:{art}/good.db?mode=ro&uri=true", "--sink", HEC),
        2,
        "readonly database",
    ),
    Case(
        "state-env-mysql",
        scan("--sink", HEC),
        2,
        "not mysql",
        env={"CLOUDPOSTURE_STATE": "mysql://db/x"},
    ),
    Case("outbox-status-random", ("outbox", "status", "--state", "{art}/random.db"), 2, "corrupt"),
    Case("outbox-status-newer", ("outbox", "status", "--state", "{art}/newer.db"), 2, "newer"),
    Case("outbox-flush-mysql", ("outbox", "flush", "--state", "mysql://x"), 2, "not mysql"),
    Case("history-truncated", ("history", "list", "--store", "{art}/truncated.db"), 2, "corrupt"),
    Case("history-show-missing", ("history", "show", "nope", "--store", "{tmp}/s.db"), 2, "nope"),
    Case("diff-one-run", ("diff", "only-one", "--store", "{tmp}/s.db"), 2, "exactly two"),
    Case("diff-missing-runs", ("diff", "a", "b", "--store", "{tmp}/s.db"), 2, "no complete run"),
    # --- sink URLs --------------------------------------------------------------------------
    Case("sink-unknown-scheme", scan("--sink", "ftp://x"), 2, "unknown sink scheme 'ftp'"),
    Case("sink-no-host", scan("--sink", "splunk+https://"), 2, "invalid sink URL"),
    Case("sink-bad-port", scan("--sink", "splunk+https://h:99999"), 2, "invalid sink URL"),
    Case(
        "sink-token-in-clear",
        scan("--sink", f"splunk+https://h?token={CANARY}"),
        2,
        "has 'token=' in clear",
    ),
    Case(
        "sink-userinfo",
        scan("--sink", f"splunk+https://admin:{CANARY}@h"),
        2,
        "must not carry credentials",
    ),
    Case(
        "sink-plain-http-remote",
        scan("--sink", "splunk+http://10.9.9.9:8088?token_env=CP_TOKEN"),
        2,
        "accepted only for loopback hosts",
    ),
    Case(
        "sink-token-env-unset",
        scan("--sink", "splunk+https://h?token_env=CP_NOT_SET_ANYWHERE"),
        2,
        "CP_NOT_SET_ANYWHERE (from token_env) is not set",
    ),
    Case("sink-no-token", scan("--sink", "splunk+https://h"), 2, "needs a token"),
    Case("sink-unknown-option", scan("--sink", HEC + "&indx=main"), 2, "does not know option"),
    Case("sink-timeout-negative", scan("--sink", HEC + "&timeout=-1"), 2, "timeout=-1"),
    Case("sink-timeout-nan", scan("--sink", HEC + "&timeout=nan"), 2, "timeout=nan"),
    Case("sink-timeout-inf", scan("--sink", HEC + "&timeout=inf"), 2, "timeout=inf"),
    Case("sink-ca-missing", scan("--sink", HEC + "&ca_file=/nonexistent/ca.pem"), 2, "no such"),
    Case("sink-status-bogus", scan("--sink", HEC + "&status=bad"), 2, "status=bad"),
    Case("sink-twice", scan("--sink", HEC, "--sink", HEC), 2, "sink given twice"),
    Case("sink-repeated-option", scan("--sink", HEC + "&index=a&index=b"), 2, "repeats option"),
    Case("syslog-format", scan("--sink", "syslog+tls://h?format=xml"), 2, "format=xml"),
    Case("syslog-facility", scan("--sink", "syslog+tls://h?facility=x"), 2, "facility=x"),
    Case(
        "webhook-secret-path",
        scan("--sink", f"webhook+https://hooks.example.com/services/T0AB12CD3/{CANARY}x9"),
        2,
        "looks like a secret in its path",
    ),
    Case(
        "webhook-path-env-unset",
        scan("--sink", "webhook+https://hooks.example.com?path_env=CP_NOT_SET_ANYWHERE"),
        2,
        "CP_NOT_SET_ANYWHERE (from path_env) is not set",
    ),
    Case("sentinel-no-dcr", scan("--sink", "sentinel://dce.example.com"), 2, "dcr"),
    # --- environment variables --------------------------------------------------------------
    Case(
        "retry-env-nan",
        scan("--sink", HEC, "--state", "{tmp}/s.db"),
        2,
        "CLOUDPOSTURE_SINK_RETRY_SECONDS=nan",
        env={"CLOUDPOSTURE_SINK_RETRY_SECONDS": "nan"},
    ),
    Case(
        "retention-env-inf",
        scan("--sink", HEC, "--state", "{tmp}/s.db"),
        2,
        "CLOUDPOSTURE_OUTBOX_RETENTION_DAYS=inf",
        env={"CLOUDPOSTURE_OUTBOX_RETENTION_DAYS": "inf"},
    ),
    Case(
        "retention-env-huge",
        scan("--sink", HEC, "--state", "{tmp}/s.db"),
        2,
        "CLOUDPOSTURE_OUTBOX_RETENTION_DAYS=1e12",
        env={"CLOUDPOSTURE_OUTBOX_RETENTION_DAYS": "1e12"},
    ),
    Case(
        "retention-env-nan-flush",
        ("outbox", "flush", "--state", "{tmp}/s.db"),
        2,
        "CLOUDPOSTURE_OUTBOX_RETENTION_DAYS=nan",
        env={"CLOUDPOSTURE_OUTBOX_RETENTION_DAYS": "nan"},
    ),
    Case("flush-retry-nan", ("outbox", "flush", "--retry-seconds", "nan"), 2, "--retry-seconds"),
    Case("flush-retry-inf", ("outbox", "flush", "--retry-seconds", "inf"), 2, "--retry-seconds"),
    Case("flush-retry-neg", ("outbox", "flush", "--retry-seconds", "-1"), 2, "--retry-seconds"),
    Case("flush-bad-sink", ("outbox", "flush", "--sink", "bogus://x"), 2, "unknown sink scheme"),
    # --- config files -------------------------------------------------------------------------
    Case("config-latin1", validate("latin1.yaml"), 2, "latin1.yaml:3: the file is not UTF-8"),
    Case("config-binary", validate("binary.yaml"), 2, "binary.yaml:3: invalid YAML"),
    Case("config-random", validate("random.yaml"), 2, "random.yaml:1: the file is not UTF-8"),
    Case("config-alias-bomb", validate("bomb.yaml"), 2, "aliases expand to more than"),
    Case("config-deep", validate("deep.yaml"), 2, "deep.yaml:0: invalid YAML: nested too deeply"),
    Case("config-empty", validate("empty.yaml"), 2, "empty.yaml:1: (top level): the file is empty"),
    Case("config-list", validate("list.yaml"), 2, "list.yaml:1: (top level): the file must be"),
    Case("config-duplicate", validate("dup.yaml"), 2, "dup.yaml:3: targets: duplicate key"),
    Case("config-typo", validate("typo.yaml"), 2, "typo.yaml:4: supressions: unknown key"),
    Case("config-syntax", validate("syntax.yaml"), 2, "syntax.yaml:3: invalid YAML"),
    Case("config-bad-date", validate("bad-date.yaml"), 2, "bad-date.yaml:8: invalid YAML: invalid"),
    Case("config-fail-on", validate("fail-on.yaml"), 2, "fail-on.yaml:4: fail_on: Input should be"),
    Case("config-unset-env", validate("unset-env.yaml"), 2, "CP_NOT_SET_ANYWHERE is not set"),
    Case("config-store-mysql", validate("store-mysql.yaml"), 2, "store-mysql.yaml:4: store"),
    Case("config-missing", ("config", "validate", "{tmp}/nope.yaml"), 2, "nope.yaml:0: cannot"),
    Case("config-is-dir", ("config", "validate", "{art}"), 2, "is a directory"),
    Case(
        "config-sink-plain-http",
        validate("sink-plain-http.yaml"),
        2,
        "sink-plain-http.yaml:4: sinks[0]: splunk+http sends in clear text",
    ),
    Case(
        "config-sink-unset-token",
        validate("sink-unset-token.yaml"),
        2,
        "sink-unset-token.yaml:4: sinks[0]: splunk+https sink: environment variable",
    ),
    Case(
        "config-sink-unknown-option",
        validate("sink-unknown-option.yaml"),
        2,
        "sink-unknown-option.yaml:4: sinks[0]: splunk+https sink does not know option 'indx'",
    ),
    Case("config-sentinel-no-dcr", validate("sink-sentinel-no-dcr.yaml"), 2, "sinks[0]: sentinel"),
    Case("config-sink-timeout", validate("sink-timeout.yaml"), 2, "sinks[0]: splunk+https sink"),
    Case("config-sink-ca-file", validate("sink-ca-file.yaml"), 2, "no such file /nonexistent"),
    Case("config-sink-clear", validate("sink-clear-token.yaml"), 2, "has 'token=' in clear"),
    Case("config-formats-yaml", validate("formats-yaml.yaml"), 2, "unknown format 'yaml'"),
    Case(
        "config-directory-is-file",
        validate("directory-is-file.yaml"),
        2,
        "directory-is-file.yaml:6: output.directory: /proc/version is not a directory",
    ),
    # --- nightly run arguments ------------------------------------------------------------------
    Case(
        "shard-huge",
        (
            "run",
            "--config",
            "{art}/good.yaml",
            "--shard",
            "0/99999999999999999999999",
            "--run-id",
            "r",
        ),
        2,
        "--shard",
    ),
    Case("shard-reversed", ("run", "--config", "{art}/good.yaml", "--shard", "5/3"), 2, "--shard"),
    Case("shard-text", ("run", "--config", "{art}/good.yaml", "--shard", "a/b"), 2, "--shard"),
    Case(
        "shard-without-run-id",
        ("run", "--config", "{art}/good.yaml", "--shard", "0/2", "--store", "{tmp}/s.db"),
        2,
        "--shard needs --run-id",
    ),
    Case(
        "shard-and-finalize",
        ("run", "--config", "{art}/good.yaml", "--shard", "0/2", "--finalize", "r"),
        2,
        "not both",
    ),
    Case(
        "finalize-typo-no-wait",
        (
            "run",
            "--config",
            "{art}/good.yaml",
            "--finalize",
            "TYPO",
            "--wait",
            "600",
            "--store",
            "{tmp}/s.db",
        ),
        2,
        "no run 'TYPO'",
    ),
    Case(
        "run-store-corrupt",
        ("run", "--config", "{art}/good.yaml", "--store", "{art}/random.db"),
        2,
        "random.db is corrupt",
    ),
    # --- receivers that misbehave: the scan is complete, the events stay queued (exit 0) ----
    Case(
        "hec-silent",
        scan("--sink", HEC_LOCAL, "--state", "{tmp}/s.db"),
        0,
        "pending",
        server="silent",
        lines=4,
    ),
    Case(
        "hec-drip",
        scan("--sink", HEC_LOCAL, "--state", "{tmp}/s.db"),
        0,
        "no complete reply within 0.3s",
        server="drip",
        lines=4,
    ),
    Case(
        "hec-reset",
        scan("--sink", HEC_LOCAL, "--state", "{tmp}/s.db"),
        0,
        "pending",
        server="reset",
        lines=4,
    ),
    Case(
        "hec-junk",
        scan("--sink", HEC_LOCAL, "--state", "{tmp}/s.db"),
        0,
        "pending",
        server="junk",
        lines=4,
    ),
    Case(
        "webhook-reset",
        scan("--sink", "webhook+http://127.0.0.1:{port}?timeout=0.3", "--state", "{tmp}/s.db"),
        0,
        "pending",
        server="reset",
        lines=4,
    ),
    Case(
        "syslog-silent-tls",
        scan("--sink", "syslog+tls://localhost:{port}?timeout=0.3", "--state", "{tmp}/s.db"),
        0,
        "pending",
        server="silent",
        lines=4,
    ),
    # --- credential setups -------------------------------------------------------------------
    Case("aws-profile-missing", ("scan", "aws", "--profile", "nope", "-q"), 2, "profile not found"),
    Case(
        "aws-no-credentials",
        ("scan", "aws", "--region", "us-east-1", "-q"),
        2,
        "no AWS credentials found",
    ),
    Case(
        "gcp-key-file-missing",
        ("scan", "gcp", "--project", "p", "-q"),
        2,
        "no Google credentials found",
        env={"GOOGLE_APPLICATION_CREDENTIALS": "/nonexistent/key.json"},
    ),
    Case(
        "gcp-key-file-junk",
        ("scan", "gcp", "--project", "p", "-q"),
        2,
        "no Google credentials found",
        env={"GOOGLE_APPLICATION_CREDENTIALS": "{art}/random.yaml"},
    ),
    # --- cloud endpoints that answer junk or reset: coverage errors, exit 3 ----------------
    Case(
        "aws-endpoint-junk",
        ("scan", "aws", "--region", "us-east-1", "--max-attempts", "1", "-q"),
        3,
        "scan incomplete",
        env={
            "AWS_ENDPOINT_URL": "http://127.0.0.1:{port}",
            "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
            "AWS_SECRET_ACCESS_KEY": CANARY,
        },
        server="junk",
    ),
    Case(
        "aws-endpoint-reset",
        ("scan", "aws", "--region", "us-east-1", "--max-attempts", "1", "-q"),
        3,
        "scan incomplete",
        env={
            "AWS_ENDPOINT_URL": "http://127.0.0.1:{port}",
            "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
            "AWS_SECRET_ACCESS_KEY": CANARY,
        },
        server="reset",
    ),
    # --- an output that cannot be replaced keeps the previous report ----------------------
    Case(
        "previous-report-kept",
        scan("-o", "prev.json", "--state", "{art}/random.db"),
        2,
        "corrupt",
        previous="prev.json",
    ),
]


def fill(text: str, art: Path, tmp: Path, port: int) -> str:
    return text.replace("{art}", str(art)).replace("{tmp}", str(tmp)).replace("{port}", str(port))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(
    case: Case,
    artifacts: Path,
    servers: dict[str, BadServer],
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cloudposture.cli import main

    port = servers[case.server].port if case.server else 9
    for name, value in case.env.items():
        monkeypatch.setenv(name, fill(value, artifacts, cli_env, port))
    previous = b'{"scan": {}, "findings": []}\n'
    if case.previous:
        (cli_env / case.previous).write_bytes(previous)
    before = {p for p in cli_env.rglob("*")}
    code = main([fill(a, artifacts, cli_env, port) for a in case.args])
    out, err = capsys.readouterr()
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == case.code, err
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    assert fill(case.message, artifacts, cli_env, port) in " ".join(err.split()), err
    assert 1 <= len(lines) <= case.lines, err
    if case.code == 2:
        assert lines[0].startswith(("error: ", "Error: ", "Usage: ")), err
    assert CANARY not in out
    assert CANARY not in err
    for path in cli_env.rglob("*"):
        assert not path.name.endswith(".tmp"), f"temporary file left: {path}"
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), f"canary in {path}"
        if path.suffix == ".json" and path not in before:
            assert path.read_bytes().strip(), f"empty output {path}"
    if case.previous:
        assert (cli_env / case.previous).read_bytes() == previous


def test_the_corpus_is_large_and_ids_are_unique() -> None:
    assert len(CASES) >= 80
    assert len({c.id for c in CASES}) == len(CASES)
