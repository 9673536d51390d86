"""``cloudposture run --config FILE``: scan an estate, store the run, diff it, deliver, report.

One run, three shapes:
- unsharded: scan every unit, save, finalize, all in this process;
- ``--shard I/N``: scan only the units this shard owns and save them under the shared run id
  (exit 0 once saved: coverage errors are the finalizer's to report, and a non-zero exit
  would only make Kubernetes retry a pod that did its job);
- ``--finalize RUN``: merge the shards, diff against the previous complete run of the same
  config, store the result, send it to the sinks, print the summary, set the exit code.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from rich.console import Console

from cloudposture.config.loader import check_config
from cloudposture.config.models import NightlyConfig
from cloudposture.config.units import scan_units
from cloudposture.engine import ScanOptions
from cloudposture.exit_codes import exit_code
from cloudposture.model import (
    ANY_PROVIDER,
    CollectionError,
    ConfigurationError,
    CoverageEntry,
    Finding,
    ScanResult,
    Severity,
    Status,
)
from cloudposture.nightly.fanout import Slots, merge_results, scan_bounded
from cloudposture.nightly.history import RunDiff, diff_run, merge_previous_open
from cloudposture.nightly.history_store import HistoryStore
from cloudposture.nightly.report_history import run_history
from cloudposture.nightly.sharding import Shard, partition
from cloudposture.nightly.suppressions import apply_suppressions
from cloudposture.plugin import ProviderPlugin, ProviderScanner, ScanUnit, load_provider
from cloudposture.region_filter import RegionFilter
from cloudposture.reporters.html.history import HistoryView
from cloudposture.reporters.output import write_to_directory
from cloudposture.rules.base import Rule, RuleSettings
from cloudposture.rules.catalog import select_rules


class Deliver(Protocol):
    def __call__(
        self,
        result: ScanResult,
        sink_urls: Sequence[str],
        state_url: str | None,
        console_err: Console | None,
        *,
        config_key: str | None = None,
    ) -> object: ...


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class RunEnv:
    """Everything a run touches outside itself: the seam tests replace."""

    store: HistoryStore
    store_url: str
    stdout: Console
    stderr: Console
    clock: Callable[[], datetime] = utc_now
    load_plugin: Callable[[str], ProviderPlugin] = load_provider
    deliver: Deliver | None = None
    """None: ``cloudposture.sinks.deliver_scan`` is used when the config names sinks."""


@dataclass(frozen=True)
class Plan:
    rules: list[Rule]
    options: ScanOptions
    slots: Slots

    @classmethod
    def from_config(cls, config: NightlyConfig) -> Plan:
        rules = select_rules(config.rules.only, config.rules.skip)
        overrides = {k.upper(): v for k, v in config.rules.severity.items()}
        options = ScanOptions(
            rules=rules,
            settings=RuleSettings(broad_prefix=config.rules.broad_prefix),
            max_workers=config.concurrency.max_workers,
            severity_overrides=overrides,
            setup_errors="record",
        )
        return cls(rules, options, Slots.from_config(config.concurrency))

    @property
    def rule_ids(self) -> list[str]:
        return [r.meta.id for r in self.rules]


@dataclass(frozen=True)
class Finalized:
    result: ScanResult
    diff: RunDiff
    previous_id: str | None
    summary: Mapping[str, int]
    warnings: list[str] = field(default_factory=list)


def config_key(config: NightlyConfig, path: Path) -> str:
    """What makes two runs "the same config": its name, else the file's name."""
    return config.name or path.stem


def build_scanners(
    units: Sequence[ScanUnit],
    load_plugin: Callable[[str], ProviderPlugin],
    max_workers: int,
    shard: Shard | None,
) -> tuple[list[ProviderScanner], list[CoverageEntry]]:
    """Scanners for the units this shard owns; a unit that cannot be set up is coverage."""
    scanners: list[tuple[str, ProviderScanner]] = []
    setup_errors: list[tuple[str, CoverageEntry]] = []
    for unit in units:
        try:
            plugin = load_plugin(unit.provider)
            made = list(plugin.scanners(unit.settings, max_workers))
        except Exception as exc:  # noqa: BLE001 - one broken target never stops the run
            setup_errors.append((unit.key, _unit_error(unit, exc)))
            continue
        for index, scanner in enumerate(made):
            label = scanner.label
            key = f"{unit.provider}:{label}" if label else f"{unit.key}#{index}"
            wrapped = RegionFilter(scanner, unit.regions) if unit.regions else scanner
            scanners.append((key, wrapped))
    owned = partition(scanners, lambda pair: pair[0], shard)
    errors = partition(setup_errors, lambda pair: pair[0], shard)
    return [s for _, s in owned], [e for _, e in errors]


def _unit_error(unit: ScanUnit, exc: BaseException) -> CoverageEntry:
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    kind = "invalid" if isinstance(exc, ConfigurationError) else "other"
    error = CollectionError(call="setup", kind=kind, message=message[:500], resource=unit.origin)
    return CoverageEntry(
        provider=unit.provider, account=unit.label, region="*", status="error", errors=[error]
    )


def scan_shard(
    config: NightlyConfig, key: str, env: RunEnv, run_id: str, shard: Shard | None
) -> tuple[ScanResult, list[str]]:
    """Scan what this process owns, mute suppressed FAILs, and save it under ``run_id``."""
    plan = Plan.from_config(config)
    started = env.clock()
    env.store.start_run(run_id, key, started, shard.count if shard else 1)
    scanners, setup = build_scanners(
        scan_units(config), env.load_plugin, plan.slots.per_scanner, shard
    )
    parts = scan_bounded(scanners, plan.options, plan.slots, env.clock)
    merged = merge_results(parts, run_id, started, env.clock(), setup, plan.rule_ids)
    muted = apply_suppressions(merged.findings, config.suppressions, started.date())
    result = ScanResult(scan=merged.scan, findings=muted.findings)
    env.store.save_shard(run_id, shard.index if shard else 0, result)
    return result, muted.warnings


def finalize_run(config: NightlyConfig, key: str, env: RunEnv, run_id: str) -> Finalized:
    """Merge the shards, diff against the previous complete run, and store it all."""
    record = env.store.get_run(run_id)
    if record is None:
        raise ConfigurationError(f"no run '{run_id}' in the store (did any shard start?)")
    if record.config_key != key:
        raise ConfigurationError(
            f"run '{run_id}' belongs to config '{record.config_key}', not '{key}'"
        )
    plan = Plan.from_config(config)
    shards = env.store.shard_results(run_id)
    missing = [
        CoverageEntry(
            provider=ANY_PROVIDER,
            account=f"shard {i}/{record.shard_count}",
            region="*",
            status="error",
            errors=[CollectionError(call="shard", kind="unavailable", message="never reported")],
        )
        for i in range(record.shard_count)
        if i not in shards
    ]
    parts = [shards[i] for i in sorted(shards)]
    finished = max((p.scan.finished_at for p in parts), default=env.clock())
    merged = merge_results(parts, run_id, record.started_at, finished, missing, plan.rule_ids)
    previous = env.store.previous_complete_run(key, before=record.started_at)
    previous_open: list[Finding] = []
    if previous is not None:
        stored = env.store.load_run(previous.id)
        if stored is not None:
            previous_open = merge_previous_open(stored.result.findings, stored.stale)
    ledger = env.store.ledger(key, before=record.started_at)
    diff = diff_run(
        merged.findings,
        merged.scan.coverage,
        previous_open,
        ledger,
        record.started_at,
        plan.rule_ids,
    )
    result = ScanResult(scan=merged.scan, findings=diff.findings)
    summary = summarize(result, diff)
    env.store.finish_run(run_id, result, diff, summary)
    return Finalized(result, diff, previous.id if previous else None, summary)


def wait_for_shards(
    env: RunEnv, run_id: str, seconds: float, sleep: Callable[[float], None], poll: float = 5.0
) -> None:
    """Block until every shard of ``run_id`` saved its part, or ``seconds`` passed (then the
    finalizer reports the missing shards as coverage errors rather than waiting forever)."""
    waited = 0.0
    while True:
        record = env.store.get_run(run_id)
        saved = len(env.store.shard_results(run_id)) if record is not None else 0
        if record is not None and saved >= record.shard_count:
            return
        if waited >= seconds:
            expected = record.shard_count if record is not None else "?"
            env.stderr.print(
                f"warning: run {run_id}: {saved} of {expected} shard(s) reported after "
                f"{seconds:.0f}s; finalizing without the rest",
                style="yellow",
            )
            return
        step = min(poll, seconds - waited)
        sleep(step)
        waited += step


def summarize(result: ScanResult, diff: RunDiff) -> dict[str, int]:
    units = [c for c in result.scan.coverage if c.cluster is None]
    out: dict[str, int] = {
        "targets_ok": sum(c.status == "ok" for c in units),
        "targets_failed": sum(c.status == "error" for c in units),
        "targets_skipped": sum(c.status == "skipped" for c in units),
        "clusters": len({f.resource.id for f in result.findings}),
    }
    for status in Status:
        out[status.value.lower()] = sum(f.status is status for f in result.findings)
    for severity in Severity:
        out[f"fail_{severity.value}"] = sum(
            f.status is Status.FAIL and f.severity is severity for f in result.findings
        )
    out.update(diff.counts())
    return out


def for_sinks(result: ScanResult, diff: RunDiff, now: datetime) -> ScanResult:
    """What the sinks receive: this run's findings plus one closing finding for every resolved
    problem whose cluster is gone (a PASS already closes the others: OCSF status Resolved)."""
    present = {f.uid for f in result.findings}
    closing = [
        old.model_copy(
            update={
                "status": Status.NOT_APPLICABLE,
                "message": "resolved: the cluster is no longer present in a region this run "
                f"listed successfully (last seen failing {old.last_seen or old.created_at})",
                "suppression": None,
                "scan_id": result.scan.id,
                "created_at": now,
            }
        )
        for old in diff.resolved
        if old.uid not in present
    ]
    return ScanResult(scan=result.scan, findings=[*result.findings, *closing])


def deliver(
    config: NightlyConfig, key: str, env: RunEnv, result: ScanResult, diff: RunDiff
) -> None:
    """Queue and send the run through the outbox (a dead SIEM is retried next run)."""
    if not config.sinks:
        return
    send = env.deliver
    if send is None:
        from cloudposture.outbox.delivery import deliver_scan

        send = deliver_scan
    send(
        for_sinks(result, diff, env.clock()),
        list(config.sinks),
        env.store_url,
        env.stderr,
        config_key=key,
    )


def write_reports(
    config: NightlyConfig, result: ScanResult, stderr: Console, history: HistoryView | None = None
) -> None:
    output = config.output
    if output.formats:
        directory = Path(output.directory or ".")
        write_to_directory(result, output.formats, directory, output.ocsf_class, stderr, history)


def print_summary(done: Finalized, key: str, out: Console) -> None:
    s = done.summary
    info = done.result.scan
    skipped = f", {s['targets_skipped']} skipped" if s.get("targets_skipped") else ""
    out.print(
        f"run {info.id} (config {key}): targets {s['targets_ok']} ok, "
        f"{s['targets_failed']} failed{skipped}"
    )
    for entry in info.coverage:
        if entry.status != "ok" and entry.cluster is None:
            label = "failed" if entry.status == "error" else entry.status
            out.print(f"  {label}: {entry.provider} {entry.account}/{entry.region}: {entry.reason}")
    by_severity = ", ".join(
        f"{s[f'fail_{sev.value}']} {sev.value}"
        for sev in reversed(list(Severity))
        if s[f"fail_{sev.value}"]
    )
    out.print(
        f"findings: {s['fail']} failing ({by_severity or 'none'}), {s['muted']} muted, "
        f"{s['error']} error, {s['pass']} pass, {s['not_applicable']} not applicable"
    )
    since = f"since run {done.previous_id}" if done.previous_id else "(first run of this config)"
    out.print(
        f"changes {since}: {s['new']} new, {s['regressed']} regressed, {s['persisting']} "
        f"persisting, {s['resolved']} resolved, {s['stale']} stale"
    )


def execute_run(
    config: NightlyConfig,
    key: str,
    env: RunEnv,
    *,
    shard: Shard | None = None,
    run_id: str | None = None,
    finalize: str | None = None,
    wait_seconds: float = 0,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """The whole ``cloudposture run``; returns the exit code."""
    Plan.from_config(config)  # unknown rules etc. fail before anything is scanned
    check_config(config)  # what `config validate` checks: sinks, formats, output, store
    if finalize is None:
        if shard is not None and not run_id:
            raise ConfigurationError(
                "--shard needs --run-id (or CLOUDPOSTURE_RUN_ID) shared by every shard and "
                "the finalizer"
            )
        run_id = run_id or str(uuid.uuid4())
        result, warnings = scan_shard(config, key, env, run_id, shard)
        for warning in warnings:
            env.stderr.print(f"warning: {warning}", style="yellow")
        if shard is not None:
            env.stdout.print(
                f"shard {shard} of run {run_id}: {len(result.findings)} findings from "
                f"{sum(c.cluster is None for c in result.scan.coverage)} targets saved; "
                f"finalize with: cloudposture run --config FILE --finalize {run_id}"
            )
            return 0
        finalize = run_id
    else:
        if env.store.get_run(finalize) is None:  # a typo fails now, not after --wait seconds
            raise ConfigurationError(f"no run '{finalize}' in the store (did any shard start?)")
        if wait_seconds:
            wait_for_shards(env, finalize, wait_seconds, sleep)
    done = finalize_run(config, key, env, finalize)
    deliver(config, key, env, done.result, done.diff)
    history = None
    if "html" in config.output.formats:  # the page shows the changes and the trend
        history = run_history(env.store, done.result.scan.id, done.diff)
    write_reports(config, done.result, env.stderr, history)
    print_summary(done, key, env.stdout)
    return exit_code(done.result, config.fail_on_severity, env.stderr)
