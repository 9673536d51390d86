"""A scan's result: what was attempted (coverage), what was found, and whether it is complete."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cloudposture.model.errors import CollectionError
from cloudposture.model.finding import Finding, Severity, Status

CoverageStatus = Literal["ok", "error", "skipped"]
ANY_PROVIDER = "*"
"""The provider of a coverage entry that belongs to no single provider (a shard that never
reported): never a provider of the scan itself."""


class CoverageEntry(BaseModel):
    """One unit the scan was asked for: an account x region, or one cluster inside it.

    ``skipped`` is a unit not scanned on purpose (a disabled subscription): it is listed, with
    the ``note`` saying why, so a report shows what was not looked at, but it does not make
    the scan incomplete the way an ``error`` does.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    provider: str
    account: str
    region: str
    cluster: str | None = Field(default=None, description="set for a per-cluster entry")
    status: CoverageStatus
    note: str | None = Field(default=None, description="why a skipped unit was not scanned")
    clusters_found: int | None = Field(default=None, description="per region: clusters listed")
    errors: list[CollectionError] = Field(default_factory=list)

    @property
    def reason(self) -> str:
        """Why the unit is not ok: its errors, or the note of a skipped unit."""
        return "; ".join(e.one_line() for e in self.errors) or (self.note or "")


class ScanInfo(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    tool: str = "cloudposture"
    tool_version: str
    providers: list[str]
    started_at: datetime
    finished_at: datetime
    coverage: list[CoverageEntry]
    complete: bool = Field(
        description="no coverage entry is an error: everything asked for was read or skipped "
        "on purpose"
    )


class ScanResult(BaseModel):
    """What ``--format json`` writes and every reporter and sink reads."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scan: ScanInfo
    findings: list[Finding]

    def failing(self, at_or_above: Severity) -> list[Finding]:
        return [f for f in self.findings if f.status is Status.FAIL and f.severity >= at_or_above]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {s.value: 0 for s in Status}
        for f in self.findings:
            out[f.status.value] += 1
        return out
