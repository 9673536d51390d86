"""The finding model every reporter and SIEM sink receives (DESIGN.md section 4).

Field names here are a public contract: SIEM users key on them. Add fields; never rename.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Status(StrEnum):
    PASS = "PASS"  # noqa: S105 - a status word, not a password
    FAIL = "FAIL"
    ERROR = "ERROR"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    MUTED = "MUTED"


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_ORDER.index(self)

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank


_SEVERITY_ORDER = [Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Resource(_Model):
    """The cluster a finding is about."""

    provider: str
    account: str
    region: str
    cluster: str
    id: str = Field(description="native id: ARN, GKE self-link, ARM resource id")
    tags: dict[str, str] = Field(default_factory=dict)


class Evidence(_Model):
    """One fact the verdict rests on, with the API path it was read from."""

    fact: str = Field(description="dotted path in the neutral model, e.g. endpoint.public_enabled")
    value: Any
    source: str = Field(default="", description="raw API path, e.g. eks:DescribeCluster...")


class Remediation(_Model):
    """How to fix it on one provider: console words, CLI command, Terraform attribute."""

    summary: str
    console: str = ""
    cli: str = ""
    terraform: str = ""
    docs: list[str] = Field(default_factory=list)


class Reference(_Model):
    """A benchmark control this rule maps to (CIS EKS / GKE / AKS)."""

    benchmark: str = Field(description="e.g. CIS Amazon EKS Benchmark")
    version: str = Field(description="e.g. v1.7.0")
    control: str = Field(description="control id, e.g. 5.4.2")
    title: str = ""


class Suppression(_Model):
    """Why a FAIL is muted, by whom, and until when."""

    reason: str
    owner: str = ""
    expires: date | None = None


class Finding(_Model):
    """One verdict: one cluster against one rule, in one scan."""

    uid: str = Field(description="stable across runs: hash of provider, account, cluster, rule")
    rule_id: str
    title: str
    row: str = Field(description="infrastructure table row: 1-5 or + (logging, version, ...)")
    status: Status
    severity: Severity
    message: str = Field(description="one sentence saying why this status")
    resource: Resource
    evidence: list[Evidence] = Field(default_factory=list)
    remediation: Remediation | None = None
    references: list[Reference] = Field(default_factory=list)
    suppression: Suppression | None = None
    scan_id: str
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    created_at: datetime


def finding_uid(provider: str, account: str, native_id: str, rule_id: str) -> str:
    """The stable id of (cluster, rule): the same problem keeps the same uid across runs."""
    key = "\x1f".join((provider, account, native_id, rule_id))
    return hashlib.sha256(key.encode()).hexdigest()[:32]
