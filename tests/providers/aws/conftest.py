"""The emulated AWS (ThreadedMotoServer + the EKS front) seeded with the demo clusters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cloudposture_aws.demo import ACCOUNT, emulated_aws, seed_into
from cloudposture_aws.emulator import EksFront
from moto import mock_aws
from moto.eks.models import eks_backends

# The FAIL set each demo cluster deserves (see cloudposture_aws/demo.py for the scenarios).
EXPECTED_FAILS: dict[str, set[str]] = {
    "payments-prod": set(),
    "analytics-dev": {
        "CP-001",
        "CP-002",
        "CP-003",
        "CP-004",
        "NODE-001",
        "NODE-002",
        "NODE-004",
        "IAM-001",
        "IAM-004",
        "IAM-005",
        "ENC-001",
        "LOG-001",
        "LOG-002",
        "VER-001",
        "NET-001",
        "PATH-001",
    },
    "ml-training": {"CP-002", "NODE-003", "IAM-001", "IAM-004", "ENC-002", "LOG-002"},
    "legacy-batch": {
        "CP-001",
        "CP-002",
        "CP-003",
        "NODE-002",
        "IAM-002",
        "IAM-004",
        "IAM-005",
        "ENC-001",
        "LOG-001",
        "LOG-002",
        "VER-001",
        "NET-001",
    },
    "edge-gateway": set(),
}


@pytest.fixture(scope="session")
def _running_front() -> Iterator[EksFront]:
    with emulated_aws() as running:
        yield running


@pytest.fixture
def front(_running_front: EksFront) -> EksFront:
    """The session's seeded emulator, as the demo built it.

    moto keeps one set of backends per process, and entering ``mock_aws`` (test_adapter,
    test_assumed_role, test_self_managed_identities) resets all of them, this server's world
    included; under xdist any of those may run on this worker between two tests that use the
    front. A reset replaces moto's backend objects, so when the account's backends are no
    longer the ones the demo was seeded into, the world is reset once more (dropping whatever
    an in-process test left there) and seeded again.
    """
    if not _still_seeded():
        with mock_aws():
            pass  # a reset: the world is rebuilt from nothing, as at the session's start
        _running_front.extras = seed_into(_running_front.backend_url)
        _SEEDED[0] = _account_backends()
    elif _SEEDED[0] is None:
        _SEEDED[0] = _account_backends()
    return _running_front


_SEEDED: list[object | None] = [None]
"""The demo account's moto EKS backends as seeded (None: not looked at yet)."""


def _account_backends() -> object | None:
    return dict.get(eks_backends, ACCOUNT)


def _still_seeded() -> bool:
    current = _account_backends()
    return current is not None and (_SEEDED[0] is None or current is _SEEDED[0])


@pytest.fixture
def clean_front(front: EksFront) -> Iterator[EksFront]:
    """The shared front, with any denial a test adds removed afterwards."""
    yield front
    front.extras.denied_regions.clear()
    front.extras.denied_actions.clear()
