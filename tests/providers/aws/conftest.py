"""The emulated AWS (ThreadedMotoServer + the EKS front) seeded with the demo clusters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cloudposture_aws.demo import emulated_aws
from cloudposture_aws.emulator import EksFront

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
def front() -> Iterator[EksFront]:
    with emulated_aws() as running:
        yield running


@pytest.fixture
def clean_front(front: EksFront) -> Iterator[EksFront]:
    """The shared front, with any denial a test adds removed afterwards."""
    yield front
    front.extras.denied_regions.clear()
    front.extras.denied_actions.clear()
