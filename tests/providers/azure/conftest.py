"""Fixtures: a fake ARM on 127.0.0.1, and the same serving the issue's cluster set."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.providers.azure.aks_fake import FakeArm, Running
from tests.providers.azure.aks_world import serve_world


@pytest.fixture
def fake() -> Iterator[FakeArm]:
    arm = FakeArm()
    with Running(arm):
        yield arm


@pytest.fixture
def world(fake: FakeArm) -> FakeArm:
    serve_world(fake)
    return fake
