from __future__ import annotations

from pathlib import Path

import pytest
import trustme

from cloudposture.model import ScanResult
from cloudposture.outbox.outbox import RetryPolicy
from cloudposture.reporters.example import example_result

# Short enough that an outage test waits well under a second.
FAST_RETRY = RetryPolicy(budget_seconds=0.3, first_delay=0.01, max_delay=0.05)


@pytest.fixture
def result() -> ScanResult:
    return example_result()


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def state(tmp_path: Path) -> str:
    return str(tmp_path / "state.db")
