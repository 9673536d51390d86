"""Click commands of the nightly job: ``run``, ``config validate|example``, ``history list|show``,
``diff``. Registered on the main CLI by ``cli.add_command``; every heavy import is lazy.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cloudposture.exit_codes import ExitCode

if TYPE_CHECKING:
    from cloudposture.config import NightlyConfig
    from cloudposture.nightly.history_store import HistoryStore, StoredRun
    from cloudposture.store import Store

RUN_ID_ENV = "CLOUDPOSTURE_RUN_ID"


def _load(path: Path) -> NightlyConfig:
    """The config, or every problem on its own line and exit 2 before anything is scanned."""
    from cloudposture.config import ConfigFileError, load_config

    try:
        return load_config(path)
    except ConfigFileError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        raise SystemExit(ExitCode.USAGE) from None


def _open_store(url: str | None) -> tuple[Store, HistoryStore, str]:
    from cloudposture.nightly.history_sql import SqlHistoryStore
    from cloudposture.store import Store, normalize_state_url

    normalized = normalize_state_url(url)
    store = Store.open(normalized)  # every reason it cannot be used is one line (exit 2)
    return store, SqlHistoryStore(store), normalized


_store_option = click.option(
    "--store",
    "store_url",
    metavar="URL",
    default=None,
    help="History store: a file path, sqlite:///RELATIVE or sqlite:////ABSOLUTE, or "
    "postgresql://... (default: the config's store, else $CLOUDPOSTURE_STATE, else "
    "~/.cloudposture/state.db).",
)


@click.command("run")
@click.option(
    "--config",
    "config_path",
    required=True,
    envvar="CLOUDPOSTURE_CONFIG",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The nightly config file (see 'cloudposture config example'; $CLOUDPOSTURE_CONFIG).",
)
@click.option("--shard", metavar="INDEX/COUNT", help="Scan only this shard's units (0-based).")
@click.option(
    "--run-id", envvar=RUN_ID_ENV, metavar="ID", help=f"Run id shared by shards (${RUN_ID_ENV})."
)
@click.option("--finalize", metavar="RUN", help="Merge RUN's shards, diff, deliver, report.")
@click.option(
    "--wait",
    type=click.IntRange(0, 86400),
    default=0,
    metavar="SECONDS",
    help="With --finalize: wait up to SECONDS for every shard to report first.",
)
@_store_option
def run(
    config_path: Path,
    shard: str | None,
    run_id: str | None,
    finalize: str | None,
    wait: int,
    store_url: str | None,
) -> None:
    """Scan every target of a config, store the run, diff it against the previous run of the
    same config, send it to the sinks and print a summary.

    Exit codes: 0 ok, 1 FAIL at or above fail_on, 2 configuration error, 3 some target could
    not be read. A shard (--shard) exits 0 once its part is saved; the finalizer reports.
    """
    from rich.console import Console

    from cloudposture.model import ConfigurationError
    from cloudposture.nightly.run_command import RunEnv, config_key, execute_run
    from cloudposture.nightly.sharding import parse_shard

    config = _load(config_path)
    if shard is not None and finalize is not None:
        raise ConfigurationError("use --shard or --finalize, not both")
    parsed = parse_shard(shard) if shard is not None else None
    store, history, url = _open_store(store_url or config.store)
    with store:
        store.check_writable()  # a read-only store fails now, not after the scan
        if config.sinks:
            from cloudposture.outbox.outbox import RetryPolicy, retention_from_env

            RetryPolicy.from_env()
            retention_from_env()
        env = RunEnv(
            store=history,
            store_url=url,
            stdout=Console(highlight=False, soft_wrap=True),
            stderr=Console(stderr=True, highlight=False, soft_wrap=True),
        )
        code = execute_run(
            config,
            config_key(config, config_path),
            env,
            shard=parsed,
            run_id=run_id,
            finalize=finalize,
            wait_seconds=wait,
        )
    raise SystemExit(code)


@click.group("config")
def config_group() -> None:
    """The nightly config file."""


@config_group.command("validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def config_validate(file: Path) -> None:
    """Check FILE; every problem is printed as FILE:LINE: key: message (exit 2)."""
    from cloudposture.config.units import scan_units

    config = _load(file)
    units = scan_units(config)
    providers = sorted({u.provider for u in units})
    click.echo(
        f"{file}: ok ({len(units)} scan unit(s) over {', '.join(providers)}, "
        f"{len(config.suppressions)} suppression(s), {len(config.sinks)} sink(s))"
    )


@config_group.command("example")
def config_example() -> None:
    """Print a commented example covering every key."""
    from cloudposture.config.example import EXAMPLE

    click.echo(EXAMPLE, nl=False)


@click.group("history")
def history_group() -> None:
    """Past runs kept in the history store."""


@history_group.command("list")
@click.option("--config-name", metavar="NAME", help="Only runs of this config.")
@click.option("--limit", type=click.IntRange(1, 10000), default=20, show_default=True)
@_store_option
def history_list(config_name: str | None, limit: int, store_url: str | None) -> None:
    """The newest runs: id, config, start, state, targets and findings."""
    store, history, _ = _open_store(store_url)
    with store:
        records = history.list_runs(config_name, limit)
    if not records:
        click.echo("no runs")
        return
    for r in records:
        s = r.summary
        counts = (
            f"targets {s.get('targets_ok', 0)} ok/{s.get('targets_failed', 0)} failed, "
            f"{s.get('fail', 0)} failing, {s.get('new', 0)} new, {s.get('resolved', 0)} resolved"
            if r.state == "complete"
            else f"{r.shard_count} shard(s)"
        )
        click.echo(
            f"{r.id}  {r.config_key}  {r.started_at:%Y-%m-%d %H:%M:%S}Z  {r.state:<10}  {counts}"
        )


@history_group.command("show")
@click.argument("run_id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_store_option
def history_show(run_id: str, fmt: str, store_url: str | None) -> None:
    """One run: coverage, changes since its previous run, and its open findings."""
    from cloudposture.model import ConfigurationError

    store, history, _ = _open_store(store_url)
    with store:
        stored = history.load_run(run_id)
        record = history.get_run(run_id)
    if stored is None:
        state = f"is {record.state}" if record is not None else "does not exist"
        raise ConfigurationError(f"run '{run_id}' {state}")
    if fmt == "json":
        sys.stdout.write(stored.model_dump_json(indent=2) + "\n")
        return
    _print_run(stored)


def _print_run(stored: StoredRun) -> None:
    record, info = stored.record, stored.result.scan
    click.echo(f"run {record.id} (config {record.config_key}), {record.state}")
    click.echo(
        f"started {info.started_at:%Y-%m-%d %H:%M:%S}Z, finished "
        f"{info.finished_at:%Y-%m-%d %H:%M:%S}Z"
    )
    click.echo("summary: " + json.dumps(record.summary, sort_keys=True))
    for entry in info.coverage:
        if entry.status != "ok":
            where = f"{entry.account}/{entry.region}" + (
                f"/{entry.cluster}" if entry.cluster else ""
            )
            label = "coverage error" if entry.status == "error" else entry.status
            click.echo(f"  {label}: {entry.provider} {where}: {entry.reason}")
    for change in ("new", "regressed", "resolved", "stale", "persisting"):
        for f in stored.changes.get(change, []):
            click.echo(f"  {change:<10} {_line(f)}")


def _line(f: object) -> str:
    from cloudposture.model import Finding

    assert isinstance(f, Finding)
    r = f.resource
    first = f" first seen {f.first_seen:%Y-%m-%d}" if f.first_seen else ""
    return (
        f"{f.rule_id:<9} {f.severity.value:<8} {f.status.value:<6} {r.provider}/{r.account}/"
        f"{r.region}/{r.cluster}{first}"
    )


@click.command("diff")
@click.argument("runs", nargs=-1)
@click.option("--config-name", metavar="NAME", help="With no RUNs: the last two runs of NAME.")
@_store_option
def diff(runs: tuple[str, ...], config_name: str | None, store_url: str | None) -> None:
    """What changed between RUN_A and RUN_B (default: the last two complete runs)."""
    from cloudposture.model import ConfigurationError
    from cloudposture.nightly.history import diff_run, merge_previous_open

    if len(runs) not in (0, 2):
        raise ConfigurationError("diff takes no run ids (the last two runs) or exactly two")
    store, history, _ = _open_store(store_url)
    with store:
        if runs:
            older, newer = history.load_run(runs[0]), history.load_run(runs[1])
            missing = [r for r, s in zip(runs, (older, newer), strict=True) if s is None]
            if missing:
                raise ConfigurationError(f"no complete run '{missing[0]}' in the store")
            assert older is not None
            assert newer is not None
            keys = (older.record.config_key, newer.record.config_key)
            if keys[0] != keys[1]:
                raise ConfigurationError(
                    f"runs '{runs[0]}' and '{runs[1]}' belong to different configs ('{keys[0]}' "
                    f"and '{keys[1]}'): a diff compares two runs of one config, since targets "
                    "the other config never scanned would all look new or resolved"
                )
        else:
            complete = [r for r in history.list_runs(config_name, 1000) if r.state == "complete"]
            if complete and config_name is None:
                complete = [r for r in complete if r.config_key == complete[0].config_key]
            if len(complete) < 2:
                raise ConfigurationError("diff needs two complete runs of the same config")
            newer, older = history.load_run(complete[0].id), history.load_run(complete[1].id)
        assert older is not None
        assert newer is not None
        if older.record.started_at > newer.record.started_at:
            older, newer = newer, older
        ledger = history.ledger(newer.record.config_key, before=newer.record.started_at)
    changes = diff_run(
        newer.result.findings,
        newer.result.scan.coverage,
        merge_previous_open(older.result.findings, older.stale),
        ledger,
        newer.record.started_at,
    )
    click.echo(f"diff {older.record.id} -> {newer.record.id} (config {newer.record.config_key})")
    counts = changes.counts()
    click.echo(", ".join(f"{n} {change}" for change, n in counts.items()))
    for change in ("new", "regressed", "resolved", "stale"):
        for f in getattr(changes, change):
            click.echo(f"  {change:<10} {_line(f)}")


COMMANDS = (run, config_group, history_group, diff)
