"""Scan many scanners (accounts, projects, subscriptions) under three concurrency bounds.

Why one ``run_scan`` per scanner, run side by side, rather than one ``run_scan`` over all of
them: ``run_scan``'s pool bounds the *total* calls in flight, but its queue is first come,
first served, so one account with 500 clusters would have every worker calling that one
account's API (the throttling a nightly estate scan must avoid). Here each scanner gets its
own small pool (``per_account`` workers), at most ``per_provider // per_account`` scanners of
one cloud run at once, and at most ``max_workers // per_account`` scanners run overall, so no
worker ever sits blocked on a semaphore while other accounts wait.

The per-scanner results are merged into one ScanResult under the run's id.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from cloudposture import __version__
from cloudposture.config.models import Concurrency
from cloudposture.engine import (
    ScanOptions,
    is_complete,
    run_scan,
    setup_entry,
    unexpected_error,
)
from cloudposture.model import ANY_PROVIDER, CoverageEntry, Finding, ScanInfo, ScanResult
from cloudposture.plugin import ProviderScanner
from cloudposture.workers import worker_pool

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Slots:
    """How many scanners may run at once, overall and per provider, and workers each."""

    per_scanner: int
    overall: int
    per_provider: int

    @classmethod
    def from_config(cls, bounds: Concurrency) -> Slots:
        per_scanner = min(bounds.per_account, bounds.max_workers, bounds.per_provider)
        return cls(
            per_scanner=per_scanner,
            overall=max(1, bounds.max_workers // per_scanner),
            per_provider=max(1, bounds.per_provider // per_scanner),
        )


def scan_bounded(
    scanners: Sequence[ProviderScanner],
    options: ScanOptions,
    slots: Slots,
    clock: Clock = lambda: datetime.now(UTC),
) -> list[ScanResult]:
    """One ScanResult per scanner, never more than the slots allow in flight."""
    one = replace(options, max_workers=slots.per_scanner, setup_errors="record")
    queue = list(enumerate(scanners))
    results: dict[int, ScanResult] = {}
    running: dict[Future[ScanResult], tuple[int, str]] = {}
    busy: dict[str, int] = {}
    with worker_pool(slots.overall, "fanout") as pool:
        while queue or running:
            for item in list(queue):
                index, scanner = item
                if len(running) >= slots.overall:
                    break
                if busy.get(scanner.name, 0) >= slots.per_provider:
                    continue
                queue.remove(item)
                busy[scanner.name] = busy.get(scanner.name, 0) + 1
                future = pool.submit(run_scan, [scanner], one, None, clock)
                running[future] = (index, scanner.name)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                index, provider = running.pop(future)
                busy[provider] -= 1
                results[index] = _result_or_error(future, scanners[index], clock)
    return [results[i] for i in range(len(scanners))]


def _result_or_error(
    future: Future[ScanResult], scanner: ProviderScanner, clock: Clock
) -> ScanResult:
    """run_scan records cloud failures itself; anything else still becomes coverage."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a broken scanner is coverage, not a lost run
        entry = setup_entry(scanner, unexpected_error("scan", exc, scanner.name))
        now = clock()
        info = ScanInfo(
            id=str(uuid.uuid4()),
            tool_version=__version__,
            providers=[scanner.name],
            started_at=now,
            finished_at=now,
            coverage=[entry],
            complete=False,
        )
        return ScanResult(scan=info, findings=[])


def merge_results(
    parts: Sequence[ScanResult],
    run_id: str,
    started_at: datetime,
    finished_at: datetime,
    extra_coverage: Sequence[CoverageEntry] = (),
    rule_order: Sequence[str] = (),
) -> ScanResult:
    """One result for the whole run: findings re-labelled with ``run_id``, coverage joined.

    A uid seen twice (two config entries reaching the same account) is kept once.
    """
    findings: dict[str, Finding] = {}
    for part in parts:
        for finding in part.findings:
            findings.setdefault(finding.uid, finding.model_copy(update={"scan_id": run_id}))
    coverage = list(extra_coverage) + [c for part in parts for c in part.scan.coverage]
    info = ScanInfo(
        id=run_id,
        tool_version=__version__,
        providers=sorted(
            {p for part in parts for p in part.scan.providers}
            | {c.provider for c in coverage if c.provider != ANY_PROVIDER}
        ),
        started_at=started_at,
        finished_at=finished_at,
        coverage=sorted(coverage, key=_coverage_key),
        complete=is_complete(coverage),
    )
    order = {rule_id: i for i, rule_id in enumerate(rule_order)}
    ordered = sorted(findings.values(), key=lambda f: _finding_key(f, order))
    return ScanResult(scan=info, findings=ordered)


def _coverage_key(entry: CoverageEntry) -> tuple[str, str, str, str]:
    return (entry.provider, entry.account, entry.region, entry.cluster or "")


def _finding_key(finding: Finding, order: dict[str, int]) -> tuple[str, str, str, str, int, str]:
    r = finding.resource
    return (
        r.provider,
        r.account,
        r.region,
        r.cluster,
        order.get(finding.rule_id, len(order)),
        finding.rule_id,
    )
