"""The per-call deadline's setting: seconds from CLOUDPOSTURE_CALL_DEADLINE, checked early."""

from __future__ import annotations

import ssl
import time
from pathlib import Path

import pytest
import requests
import trustme

from cloudposture.model import ConfigurationError
from cloudposture.plugin.deadline import DEFAULT_SECONDS, deadline_seconds, requests_adapter
from tests.providers.drip import DripServer


def test_default_and_a_given_value() -> None:
    assert deadline_seconds({}) == DEFAULT_SECONDS
    assert deadline_seconds({"CLOUDPOSTURE_CALL_DEADLINE": " 2.5 "}) == 2.5


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "abc", "1e12"])
def test_values_that_are_no_deadline_are_refused(value: str) -> None:
    with pytest.raises(ConfigurationError, match="CLOUDPOSTURE_CALL_DEADLINE"):
        deadline_seconds({"CLOUDPOSTURE_CALL_DEADLINE": value})


@pytest.mark.parametrize("tls", [False, True])
def test_a_dripping_answer_is_cut_over_http_and_https(tls: bool, tmp_path: Path) -> None:
    """The adapter on its own, plain and TLS connections alike (a requests session)."""
    context, verify = None, False
    if tls:
        authority = trustme.CA()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        authority.issue_cert("127.0.0.1").configure_cert(context)
        ca_file = tmp_path / "ca.pem"
        authority.cert_pem.write_to_path(str(ca_file))
        verify = str(ca_file)  # type: ignore[assignment]
    session = requests.Session()
    adapter = requests_adapter(1.0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    with DripServer(interval=0.3, tls=context) as drip:
        started = time.monotonic()
        with pytest.raises(requests.exceptions.ReadTimeout, match="within 1 s"):
            session.get(drip.url + "/x", timeout=(5, 5), verify=verify)
        elapsed = time.monotonic() - started
    assert elapsed < 10, elapsed  # 1 s and some; the drip alone would last 30 s
