"""Whether a scan touches the state store at all, decided without importing it.

A one-off scan with no ``--sink`` and no ``--state`` (nor ``$CLOUDPOSTURE_STATE``) writes
nothing and must not pay for SQLAlchemy and Alembic either: the scan command asks here first.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

STATE_ENV = "CLOUDPOSTURE_STATE"


def store_wanted(sink_urls: Sequence[str], state_url: str | None) -> bool:
    """True when the scan must be recorded: a sink to queue for, or a state store asked for."""
    return bool(sink_urls) or state_url is not None or bool(os.environ.get(STATE_ENV))
