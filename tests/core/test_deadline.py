"""The per-call deadline's setting: seconds from CLOUDPOSTURE_CALL_DEADLINE, checked early."""

from __future__ import annotations

import pytest

from cloudposture.model import ConfigurationError
from cloudposture.plugin.deadline import DEFAULT_SECONDS, deadline_seconds


def test_default_and_a_given_value() -> None:
    assert deadline_seconds({}) == DEFAULT_SECONDS
    assert deadline_seconds({"CLOUDPOSTURE_CALL_DEADLINE": " 2.5 "}) == 2.5


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "abc", "1e12"])
def test_values_that_are_no_deadline_are_refused(value: str) -> None:
    with pytest.raises(ConfigurationError, match="CLOUDPOSTURE_CALL_DEADLINE"):
        deadline_seconds({"CLOUDPOSTURE_CALL_DEADLINE": value})
