"""Collection failures as data: which call failed, with which code, on which resource.

A failure is never a log line: it travels with the posture (so the rules that needed the
missing facts report ERROR with this reason) and with the scan's coverage (so the exit code
says the scan was partial).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ErrorKind = Literal[
    "denied", "throttled", "not-found", "timeout", "api-disabled", "unavailable", "invalid", "other"
]


class CollectionError(BaseModel):
    """One failed read against a cloud API."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    call: str = Field(description="service:Operation, e.g. eks:DescribeCluster")
    kind: ErrorKind = "other"
    code: str = Field(default="", description="the provider's error code, e.g. AccessDenied")
    message: str = Field(default="", description="one line, with secrets already removed")
    resource: str = Field(default="", description="what was being read")
    affects: list[str] = Field(
        default_factory=list,
        description="posture facts left unknown by this failure (dotted paths)",
    )

    def one_line(self) -> str:
        code = f" ({self.code})" if self.code else ""
        where = f" on {self.resource}" if self.resource else ""
        msg = f": {self.message}" if self.message else ""
        return f"{self.call}{where} failed{code}{msg}".replace("\n", " ")


class CollectionFailure(Exception):
    """Raised by a provider when a whole unit (a region, a cluster) could not be read."""

    def __init__(self, error: CollectionError) -> None:
        super().__init__(error.one_line())
        self.error = error


class ConfigurationError(Exception):
    """The user asked for something that cannot work (bad flag, missing credentials): exit 2."""
