"""Port intervals: the one piece of port arithmetic both the rules and the providers need.

It lives in the model (not in ``cloudposture.rules``) because providers may import the model
but never the rules: an NSG normalizer subtracts the ports a higher-priority Deny already
decided, and NODE-003 subtracts the ports NODE-002 owns, with the same arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable

Interval = tuple[int, int]
"""An inclusive port range (low, high)."""


def subtract(span: Interval, taken: Iterable[Interval]) -> list[Interval]:
    """The parts of ``span`` that no interval of ``taken`` covers, in ascending order."""
    remaining = [span]
    for cut_low, cut_high in sorted(taken):
        pieces: list[Interval] = []
        for low, high in remaining:
            if cut_high < low or cut_low > high:
                pieces.append((low, high))
                continue
            if low < cut_low:
                pieces.append((low, cut_low - 1))
            if high > cut_high:
                pieces.append((cut_high + 1, high))
        remaining = pieces
    return remaining
