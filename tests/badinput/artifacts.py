"""Broken inputs the corpus feeds the CLI, built once per session in one directory."""

from __future__ import annotations

import itertools
import shutil
import sqlite3
from pathlib import Path

CANARY = "cnry-7f3a9c1e-do-not-leak"
"""A secret every case can reach (``$CP_TOKEN``); it must appear in no output and no file."""

GOOD_CONFIG = """\
targets:
  aws:
    - profile: prod
"""


def alias_bomb() -> str:
    """Nine levels of nine aliases: 9**9 values from a 318-byte file."""
    levels = "abcdefghi"
    lines = ["a: &a [x,x,x,x,x,x,x,x,x]"]
    for prev, cur in itertools.pairwise(levels):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join([*lines, "targets: *i"]) + "\n"


def config_with(extra: str) -> str:
    return GOOD_CONFIG + extra


CONFIGS: dict[str, str | bytes] = {
    "good.yaml": GOOD_CONFIG,
    "latin1.yaml": "targets:\n  aws:\n    - name: caf\xe9\n".encode("latin-1"),
    "binary.yaml": b"targets:\n  aws: [{profile: p}]\n\x00\x01\x02\x03",
    "random.yaml": bytes(range(128, 256)) * 3,
    "bomb.yaml": alias_bomb(),
    "deep.yaml": "[" * 3000 + "]" * 3000 + "\n",
    "empty.yaml": "",
    "list.yaml": "- a\n- b\n",
    "dup.yaml": "targets:\n  aws: [{profile: p}]\ntargets:\n  gcp: []\n",
    "typo.yaml": config_with("supressions: []\n"),
    "syntax.yaml": "targets:\n  aws: [\n",
    "bad-date.yaml": config_with(
        "suppressions:\n  - rule: CP-001\n    reason: r\n    owner: o\n    expires: 2024-02-30\n"
    ),
    "fail-on.yaml": config_with("fail_on: urgent\n"),
    "unset-env.yaml": config_with("store: ${CP_NOT_SET_ANYWHERE}\n"),
    "store-mysql.yaml": config_with("store: mysql://db/x\n"),
    "sink-plain-http.yaml": config_with(
        "sinks: ['splunk+http://10.9.9.9:8088?token_env=CP_TOKEN']\n"
    ),
    "sink-unset-token.yaml": config_with(
        "sinks: ['splunk+https://hec.example.com?token_env=CP_NOT_SET_ANYWHERE']\n"
    ),
    "sink-unknown-option.yaml": config_with(
        "sinks: ['splunk+https://hec.example.com?token_env=CP_TOKEN&indx=main']\n"
    ),
    "sink-sentinel-no-dcr.yaml": config_with("sinks: ['sentinel://dce.example.com']\n"),
    "sink-timeout.yaml": config_with(
        "sinks: ['splunk+https://hec.example.com?token_env=CP_TOKEN&timeout=-1']\n"
    ),
    "sink-ca-file.yaml": config_with(
        "sinks: ['splunk+https://hec.example.com?token_env=CP_TOKEN&ca_file=/nonexistent/ca.pem']\n"
    ),
    "sink-clear-token.yaml": config_with(
        f"sinks: ['splunk+https://hec.example.com?token={CANARY}']\n"
    ),
    "formats-yaml.yaml": config_with("output:\n  formats: [yaml]\n"),
    "directory-is-file.yaml": config_with(
        "output:\n  formats: [json]\n  directory: /proc/version\n"
    ),
}


def build(root: Path) -> Path:
    """Every artifact under ``root``; returns ``root``."""
    from cloudposture.store import Store

    for name, content in CONFIGS.items():
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    Store.open(str(root / "good.db")).close()
    (root / "random.db").write_bytes(bytes(range(256)) * 40)
    data = (root / "good.db").read_bytes()
    (root / "truncated.db").write_bytes(data[: len(data) // 2])
    shutil.copy(root / "good.db", root / "newer.db")
    with sqlite3.connect(root / "newer.db") as conn:
        conn.execute("UPDATE cloudposture_alembic_version SET version_num = '9999_future'")
    (root / "a-file").write_text("not a directory\n")
    return root
