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
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
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
from cloudposture.model.spool import FindingSpool
from cloudposture.plugin import PartialListing, ProviderScanner, Target
from cloudposture.rules.base import Rule, RuleSettings
from cloudposture.rules.evaluate import error_findings, evaluate_all
from cloudposture.rules.guidance import GuidanceCatalog, with_guidance
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
    findings: FindingSpool
    coverage: list[CoverageEntry] = field(default_factory=list)

    def record_cluster(self, ref: ClusterRef, posture: ClusterPosture) -> None:
        self.findings.add(
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
        self.findings.add(
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


@dataclass(frozen=True)
class SpooledScan:
    """A finished scan whose findings wait in a spool (see :mod:`cloudposture.model.spool`)
    instead of the heap: what a large scan keeps while it is written out."""

    scan: ScanInfo
    findings: FindingSpool
    guidance: GuidanceCatalog | None = None

    def completed(self) -> Iterator[Finding]:
        """The findings in report order as they are written out: each with its rule's
        remediation and references for its provider (findings do not carry them while the
        scan runs; they are filled in here, at serialisation)."""
        return (with_guidance(f, self.guidance) for f in self.findings)

    def result(self) -> ScanResult:
        """Everything in one :class:`ScanResult` (for formats that render a whole document)."""
        return ScanResult.model_construct(scan=self.scan, findings=list(self.completed()))

    def failing(self, at_or_above: Severity) -> bool:
        """Whether a FAIL reaches ``at_or_above`` (from the spool's counters)."""
        return self.findings.fails_at_or_above(at_or_above)

    @cached_property
    def whole(self) -> ScanResult:
        """:meth:`result`, built once however many formats ask for it."""
        return self.result()

    def close(self) -> None:
        self.findings.close()

    def __enter__(self) -> SpooledScan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_scan(
    scanners: Sequence[ProviderScanner],
    options: ScanOptions,
    progress: ProgressListener | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ScanResult:
    """Scan everything the scanners can reach; never raises for a cloud-side failure."""
    spooled = spool_scan(scanners, options, progress, clock)
    try:
        return spooled.result()
    finally:
        spooled.close()


def spool_scan(
    scanners: Sequence[ProviderScanner],
    options: ScanOptions,
    progress: ProgressListener | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> SpooledScan:
    """:func:`run_scan` with the findings left in a spool: memory stays flat in the number of
    clusters. The caller closes the result."""
    started = clock()
    spool = FindingSpool()
    try:
        info = _scan_into(spool, scanners, options, progress, clock, started)
    except BaseException:
        spool.close()
        raise
    return SpooledScan(info, spool, options.guidance)


def _scan_into(
    spool: FindingSpool,
    scanners: Sequence[ProviderScanner],
    options: ScanOptions,
    progress: ProgressListener | None,
    clock: Callable[[], datetime],
    started: datetime,
) -> ScanInfo:
    run = _Run(options, str(uuid.uuid4()), started, progress or SilentProgress(), spool)
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
    return ScanInfo(
        id=run.scan_id,
        tool_version=__version__,
        providers=sorted({s.name for s in scanners}),
        started_at=started,
        finished_at=clock(),
        coverage=sorted(run.coverage, key=_coverage_key),
        complete=is_complete(run.coverage),
    )


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
