"""The scan engine: targets -> discover -> collect -> evaluate, with bounded concurrency.

Why one thread pool for both phases: a region's clusters start collecting as soon as that
region is listed, so a slow region never holds the others back, and ``max_workers`` bounds the
total number of API calls in flight (what the cloud's rate limits care about).

Nothing is lost: every target and every cluster either yields findings or a coverage error
plus ERROR findings for each rule, and an unexpected exception in a provider is recorded the
same way instead of ending the scan.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal, Protocol, cast

from cloudposture import __version__
from cloudposture.model import (
    ClusterPosture,
    ClusterRef,
    CollectionError,
    CollectionFailure,
    ConfigurationError,
    CoverageEntry,
    Finding,
    ScanInfo,
    ScanResult,
    Severity,
)
from cloudposture.plugin import PartialListing, ProviderScanner, Target
from cloudposture.rules.base import Rule, RuleSettings
from cloudposture.rules.evaluate import error_findings, evaluate_all
from cloudposture.rules.guidance import GuidanceCatalog
from cloudposture.workers import worker_pool


class ProgressListener(Protocol):
    """Told about progress from worker threads' results (always on the engine's thread)."""

    def targets_planned(self, count: int) -> None: ...

    def target_done(self, target: Target, clusters: int, failed: bool) -> None: ...

    def cluster_done(self, ref: ClusterRef, failed: bool) -> None: ...


class SilentProgress:
    def targets_planned(self, count: int) -> None:
        pass

    def target_done(self, target: Target, clusters: int, failed: bool) -> None:
        pass

    def cluster_done(self, ref: ClusterRef, failed: bool) -> None:
        pass


@dataclass(frozen=True)
class ScanOptions:
    rules: Sequence[Rule]
    settings: RuleSettings = field(default_factory=RuleSettings)
    max_workers: int = 16
    severity_overrides: Mapping[str, Severity] = field(default_factory=dict)
    setup_errors: Literal["raise", "record"] = "raise"
    """'raise': a scanner whose targets() hits a ConfigurationError stops the scan (CLI, exit
    2); 'record': it becomes a coverage error and the other scanners go on (nightly job)."""
    guidance: GuidanceCatalog | None = None
    """NOT_APPLICABLE reasons and fixes per provider; the installed plugins' by default."""


def unexpected_error(call: str, exc: BaseException, resource: str) -> CollectionError:
    """A provider bug is still a recorded, visible failure rather than a lost cluster."""
    return CollectionError(
        call=call,
        kind="other",
        code=type(exc).__name__,
        message=f"internal error: {exc}".splitlines()[0][:500],
        resource=resource,
    )


@dataclass
class _Run:
    options: ScanOptions
    scan_id: str
    now: datetime
    progress: ProgressListener
    coverage: list[CoverageEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def record_cluster(self, ref: ClusterRef, posture: ClusterPosture) -> None:
        self.findings.extend(
            evaluate_all(
                posture,
                self.options.rules,
                self.options.settings,
                scan_id=self.scan_id,
                now=self.now,
                severity_overrides=self.options.severity_overrides,
                guidance=self.options.guidance,
            )
        )
        if posture.collection_errors:
            self.coverage.append(_cluster_entry(ref, posture.collection_errors))
        self.progress.cluster_done(ref, failed=bool(posture.collection_errors))

    def record_unreadable_cluster(self, ref: ClusterRef, error: CollectionError) -> None:
        self.findings.extend(
            error_findings(
                ref,
                self.options.rules,
                error.one_line(),
                scan_id=self.scan_id,
                now=self.now,
                severity_overrides=self.options.severity_overrides,
                guidance=self.options.guidance,
            )
        )
        self.coverage.append(_cluster_entry(ref, [error]))
        self.progress.cluster_done(ref, failed=True)


def _cluster_entry(ref: ClusterRef, errors: Sequence[CollectionError]) -> CoverageEntry:
    return CoverageEntry(
        provider=ref.provider,
        account=ref.account,
        region=ref.region,
        cluster=ref.name,
        status="error",
        errors=list(errors),
    )


def _failure(exc: BaseException, call: str, resource: str) -> CollectionError:
    if isinstance(exc, CollectionFailure):
        return exc.error
    return unexpected_error(call, exc, resource)


def run_scan(
    scanners: Sequence[ProviderScanner],
    options: ScanOptions,
    progress: ProgressListener | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ScanResult:
    """Scan everything the scanners can reach; never raises for a cloud-side failure."""
    started = clock()
    run = _Run(options, str(uuid.uuid4()), started, progress or SilentProgress())
    with worker_pool(options.max_workers, "scan") as pool:
        targets = _plan_targets(scanners, pool, run)
        run.progress.targets_planned(len(targets))
        pending: dict[Future[object], tuple[str, ProviderScanner, Target | ClusterRef]] = {}
        for scanner, target in targets:
            if target.skipped is not None:
                run.coverage.append(skipped_entry(target))
                continue
            pending[pool.submit(scanner.discover, target)] = ("discover", scanner, target)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                phase, scanner, item = pending.pop(future)
                if phase == "discover":
                    assert isinstance(item, Target)
                    for ref in _discovered(future, item, run):
                        pending[pool.submit(scanner.collect, ref)] = ("collect", scanner, ref)
                else:
                    assert isinstance(item, ClusterRef)
                    _collected(future, item, run)
    info = ScanInfo(
        id=run.scan_id,
        tool_version=__version__,
        providers=sorted({s.name for s in scanners}),
        started_at=started,
        finished_at=clock(),
        coverage=sorted(run.coverage, key=_coverage_key),
        complete=is_complete(run.coverage),
    )
    return ScanResult(scan=info, findings=_sorted_findings(run.findings, options.rules))


def _plan_targets(
    scanners: Sequence[ProviderScanner], pool: ThreadPoolExecutor, run: _Run
) -> list[tuple[ProviderScanner, Target]]:
    """Ask every scanner for its targets concurrently (each may call STS or list regions)."""
    futures = [(scanner, pool.submit(scanner.targets)) for scanner in scanners]
    planned: list[tuple[ProviderScanner, Target]] = []
    for scanner, future in futures:
        try:
            planned.extend((scanner, t) for t in future.result())
        except ConfigurationError as exc:
            if run.options.setup_errors == "raise":
                raise
            error = CollectionError(call="setup", kind="invalid", message=str(exc))
            run.coverage.append(setup_entry(scanner, error))
        except Exception as exc:  # noqa: BLE001 - recorded as coverage, never lost
            run.coverage.append(setup_entry(scanner, _failure(exc, "targets", scanner.name)))
    return planned


def is_complete(coverage: Sequence[CoverageEntry]) -> bool:
    """Nothing failed: every unit was read or skipped on purpose."""
    return all(c.status != "error" for c in coverage)


def skipped_entry(target: Target) -> CoverageEntry:
    return CoverageEntry(
        provider=target.provider,
        account=target.account,
        region=target.region,
        status="skipped",
        note=target.skipped,
    )


def setup_entry(scanner: ProviderScanner, error: CollectionError) -> CoverageEntry:
    """Coverage for a scanner that failed before it had targets (credentials, role, setup)."""
    label = scanner.label or "*"
    return CoverageEntry(
        provider=scanner.name, account=str(label), region="*", status="error", errors=[error]
    )


def _discovered(future: Future[object], target: Target, run: _Run) -> Sequence[ClusterRef]:
    try:
        refs = future.result()
    except Exception as exc:  # noqa: BLE001 - a failed region is coverage, the rest goes on
        error = _failure(exc, "discover", f"{target.account}/{target.region}")
        run.coverage.append(
            CoverageEntry(
                provider=target.provider,
                account=target.account,
                region=target.region,
                status="error",
                errors=[error],
            )
        )
        run.progress.target_done(target, 0, failed=True)
        return []
    refs = cast(Sequence[ClusterRef], refs)
    partial = refs.errors if isinstance(refs, PartialListing) else []
    run.coverage.append(
        CoverageEntry(
            provider=target.provider,
            account=target.account,
            region=target.region,
            status="error" if partial else "ok",
            clusters_found=len(refs),
            errors=partial,
        )
    )
    run.progress.target_done(target, len(refs), failed=bool(partial))
    return refs


def _collected(future: Future[object], ref: ClusterRef, run: _Run) -> None:
    try:
        posture = future.result()
    except Exception as exc:  # noqa: BLE001 - an unreadable cluster still gets its findings
        run.record_unreadable_cluster(ref, _failure(exc, "collect", ref.native_id))
        return
    assert isinstance(posture, ClusterPosture)
    run.record_cluster(ref, posture)


def _coverage_key(entry: CoverageEntry) -> tuple[str, str, str, str]:
    return (entry.provider, entry.account, entry.region, entry.cluster or "")


def _sorted_findings(findings: list[Finding], rules: Sequence[Rule]) -> list[Finding]:
    order = {rule.meta.id: i for i, rule in enumerate(rules)}
    return sorted(
        findings,
        key=lambda f: (
            f.resource.provider,
            f.resource.account,
            f.resource.region,
            f.resource.cluster,
            order.get(f.rule_id, len(order)),
        ),
    )
