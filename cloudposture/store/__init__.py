"""The state store (SQLite by default, PostgreSQL for shared fleets): scans, findings, outbox."""

from cloudposture.store.db import (
    STATE_ENV,
    QueueStatus,
    Store,
    StoreUnavailable,
    default_state_url,
    normalize_state_url,
    parse_state_url,
)

__all__ = [
    "STATE_ENV",
    "QueueStatus",
    "Store",
    "StoreUnavailable",
    "default_state_url",
    "normalize_state_url",
    "parse_state_url",
]
