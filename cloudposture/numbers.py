"""Numbers users type (options, environment variables, URL options), checked in one place.

Why: ``float()`` accepts ``nan``, ``inf`` and ``1e300``. A retry budget of ``nan`` never
expires (every comparison with it is false), ``inf`` waits forever, and a retention of
``1e12`` days overflows ``timedelta`` into a traceback. Each is a usage error said in one line.
"""

from __future__ import annotations

import math

from cloudposture.model import ConfigurationError


def bounded_number(raw: str | float, what: str, low: float, high: float) -> float:
    """``raw`` as a finite float in ``[low, high]``; ConfigurationError naming ``what``."""
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ConfigurationError(f"{what}={raw}: not a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ConfigurationError(f"{what}={raw}: must be a number from {low:g} to {high:g}")
    return value
