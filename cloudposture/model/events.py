"""What the outbox holds: one event per (finding, sink), under an id SIEMs can de-duplicate on.

The event id is a hash of (finding uid, status, scan id): the same verdict from the same scan is
the same event however often it is delivered, so a redelivery after a lost acknowledgement is
harmless on the SIEM side; a new scan, or a changed status, is a new event.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from cloudposture.model import Status


def event_id(finding_uid: str, status: Status | str, scan_id: str) -> str:
    """The stable id of one delivered verdict (also OCSF ``metadata.uid`` and CEF externalId)."""
    key = "\x1f".join((finding_uid, str(status), scan_id))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


class OutboxEvent(BaseModel):
    """One finding encoded for one sink, waiting for that sink's acknowledgement."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str
    sink: str = Field(description="the sink's name: its URL without secrets, also the queue key")
    payload: str = Field(description="exactly what is sent: OCSF JSON, CEF line, ASFF JSON, ...")
    finding_uid: str
    status: Status
    scan_id: str
    attempts: int = 0
    next_attempt_at: datetime
    last_error: str = ""
    created_at: datetime
