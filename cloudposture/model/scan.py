"""A scan's result: what was attempted (coverage), what was found, and whether it is complete."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cloudposture.model.errors import CollectionError
from cloudposture.model.finding import Finding, Severity, Status


class CoverageEntry(BaseModel):
    """One unit the scan tried to read: an account x region, or one cluster inside it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    provider: str
    account: str
    region: str
    cluster: str | None = Field(default=None, description="set for a per-cluster entry")
    status: Literal["ok", "error"]
    clusters_found: int | None = Field(default=None, description="per region: clusters listed")
    errors: list[CollectionError] = Field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(e.one_line() for e in self.errors)


class ScanInfo(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    tool: str = "cloudposture"
    tool_version: str
    providers: list[str]
    started_at: datetime
    finished_at: datetime
    coverage: list[CoverageEntry]
    complete: bool = Field(description="every coverage entry is ok: nothing was left unread")


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
