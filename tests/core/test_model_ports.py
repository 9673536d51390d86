"""Port interval subtraction, shared by the NODE-003 split and the Azure NSG evaluation."""

from __future__ import annotations

import pytest

from cloudposture.model.ports import Interval, subtract


@pytest.mark.parametrize(
    ("span", "taken", "left"),
    [
        ((0, 65535), [], [(0, 65535)]),
        ((22, 22), [(22, 22)], []),
        ((20, 25), [(22, 22)], [(20, 21), (23, 25)]),
        ((1, 100), [(50, 200)], [(1, 49)]),
        ((1, 100), [(0, 10)], [(11, 100)]),
        ((1, 100), [(200, 300)], [(1, 100)]),
        ((0, 65535), [(0, 65535)], []),
        # unordered, overlapping cuts: the result is still ascending and exact
        ((0, 100), [(60, 70), (10, 20), (15, 30)], [(0, 9), (31, 59), (71, 100)]),
        ((10, 10), [(0, 9), (11, 20)], [(10, 10)]),
    ],
)
def test_subtract(span: Interval, taken: list[Interval], left: list[Interval]) -> None:
    assert subtract(span, taken) == left


def test_subtract_agrees_with_a_port_by_port_count() -> None:
    span = (1000, 3000)
    taken = [(900, 1100), (1500, 1500), (2999, 4000), (2000, 2100)]
    expected = {p for p in range(span[0], span[1] + 1)} - {
        p for low, high in taken for p in range(low, high + 1)
    }
    got = {p for low, high in subtract(span, taken) for p in range(low, high + 1)}
    assert got == expected
