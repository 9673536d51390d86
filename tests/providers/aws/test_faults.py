"""Retries through a misbehaving endpoint: the fault proxy in front of the emulated AWS.

Not timed (bench/fault_bench.py measures); each test asserts what a call ends as.
"""

from __future__ import annotations

import pytest
from cloudposture_aws.emulator import EksFront

from cloudposture.engine import ScanOptions, run_scan
from cloudposture.model import CollectionFailure, Status
from cloudposture.rules.catalog import ALL_RULES

from .fault_proxy import Faults, fault_proxy
from .support import Recorder, scanner


def test_throttled_calls_are_retried_to_success(front: EksFront) -> None:
    faults = Faults(fail_first={"sts": 2, "eks": 3})  # the first calls of each are throttled
    with fault_proxy(front.url, faults) as url:
        aws = scanner({"endpoint_url": url, "region": ("us-east-1",)})
        recorder = Recorder().attach(aws)
        [target] = aws.targets()
        names = {r.name for r in aws.discover(target)}
    assert names == {"payments-prod", "analytics-dev", "ml-training"}
    assert faults.requests["sts"] == 3  # two throttled attempts, then the answer
    assert faults.requests["eks"] == 4
    assert recorder.count("sts:GetCallerIdentity") == 1  # one call, retried inside botocore


@pytest.mark.parametrize("fault", ["reset", "server_error"])
def test_resets_and_server_errors_are_retried(front: EksFront, fault: str) -> None:
    faults = Faults(**{fault: 1.0}, max_faults=2)  # type: ignore[arg-type]
    with fault_proxy(front.url, faults) as url:
        [target] = scanner({"endpoint_url": url, "region": ("eu-west-1",)}).targets()
    assert target.region == "eu-west-1"
    assert faults.injected[fault] == 2


def test_a_call_throttled_past_its_deadline_is_an_error_finding_with_the_reason(
    front: EksFront,
) -> None:
    faults = Faults(fail_first={"iam": 10**6})  # IAM never answers but "Rate exceeded"
    with fault_proxy(front.url, faults) as url:
        aws = scanner({"endpoint_url": url, "region": ("eu-west-1",), "call_deadline": 0.3})
        result = run_scan([aws], ScanOptions(rules=ALL_RULES, max_workers=4))
    [finding] = [
        f
        for f in result.findings
        if f.rule_id == "IAM-002" and f.resource.cluster == "legacy-batch"
    ]
    assert finding.status is Status.ERROR
    assert "iam:GetRole" in finding.message
    assert "Throttling" in finding.message
    assert faults.requests["iam"] > 1  # retried before giving up
    assert result.scan.complete is False


def test_a_setup_call_past_its_budget_fails_with_the_reason(front: EksFront) -> None:
    faults = Faults(fail_first={"sts": 10**6})
    with fault_proxy(front.url, faults) as url:
        aws = scanner({"endpoint_url": url, "region": ("eu-west-1",), "max_attempts": 2})
        with pytest.raises(CollectionFailure) as caught:
            aws.targets()
    assert (caught.value.error.kind, caught.value.error.code) == ("throttled", "Throttling")
    assert faults.requests["sts"] == 3  # max_attempts 2 retries: three attempts
