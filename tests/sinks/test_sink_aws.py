"""Security Hub and S3 sinks: real boto3 against a moto server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
from cloudposture_aws.sinks.s3 import S3Sink, object_key
from cloudposture_aws.sinks.securityhub import SecurityHubSink, unique_id_chunks
from moto.server import ThreadedMotoServer

from cloudposture.model import Finding, ScanResult, Severity, Status, finding_uid
from cloudposture.model.events import event_id
from cloudposture.outbox.outbox import build_events, utcnow
from cloudposture.reporters.asff import asff_id
from cloudposture.reporters.example import EKS, example_result
from cloudposture.sinks.registry import sink_from_url
from cloudposture.sinks.url import SinkUrl

pytestmark = pytest.mark.slow
REGION = "eu-west-1"


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(autouse=True)
def _fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def client(service: str, endpoint: str) -> Any:
    return boto3.session.Session().client(  # type: ignore[call-overload]
        service, region_name=REGION, endpoint_url=endpoint
    )


def many_aws_findings(count: int, status: Status) -> ScanResult:
    """``count`` EKS findings (one cluster per finding) of one status."""
    base = example_result()
    template = base.findings[0]
    findings = []
    for i in range(count):
        resource = EKS.model_copy(
            update={"cluster": f"c{i}", "id": f"arn:aws:eks:{REGION}:123456789012:cluster/c{i}"}
        )
        uid = finding_uid("aws", resource.account, resource.id, "CP-001")
        findings.append(
            template.model_copy(update={"uid": uid, "resource": resource, "status": status})
        )
    return base.model_copy(update={"findings": findings})


def test_batches_of_at_most_100_and_resolved_findings_archived(moto_endpoint: str) -> None:
    hub = client("securityhub", moto_endpoint)
    hub.enable_security_hub()
    calls: list[int] = []
    hub.meta.events.register(
        "before-parameter-build.securityhub.BatchImportFindings",
        lambda params, **_: calls.append(len(params["Findings"])),
    )
    sink = SecurityHubSink(SinkUrl.parse(f"securityhub://{REGION}"), lambda: hub)

    failing = many_aws_findings(250, Status.FAIL)
    outcome = sink.deliver(build_events(failing, sink, utcnow()))
    assert len(outcome.acked) == 250
    assert outcome.failed == {}
    assert calls == [100, 100, 50]

    # the next scan finds them fixed: same Ids, re-imported archived (an update, not a copy)
    fixed = many_aws_findings(250, Status.PASS)
    fixed = fixed.model_copy(
        update={
            "findings": [
                f.model_copy(
                    update={"scan_id": "scan-2", "created_at": f.created_at + timedelta(1)}
                )
                for f in fixed.findings
            ]
        }
    )
    outcome = sink.deliver(build_events(fixed, sink, utcnow()))
    assert len(outcome.acked) == 250
    stored = hub.get_paginator("get_findings").paginate().build_full_result()["Findings"]
    assert len(stored) == 250
    assert {f["RecordState"] for f in stored} == {"ARCHIVED"}
    assert {f["Compliance"]["Status"] for f in stored} == {"PASSED"}
    assert {f["Id"] for f in stored} == {asff_id(f) for f in fixed.findings}
    assert stored[0]["ProductArn"] == (
        f"arn:aws:securityhub:{REGION}:123456789012:product/123456789012/default"
    )


def test_only_aws_findings_go_to_security_hub() -> None:
    sink = sink_from_url(f"securityhub://{REGION}")
    result = example_result()
    assert {f.resource.provider for f in result.findings if sink.accepts(f)} == {"aws"}


def test_a_batch_never_holds_one_finding_twice() -> None:
    result = example_result()
    sink = sink_from_url(f"securityhub://{REGION}")
    first = build_events(result, sink, utcnow())
    rescanned = result.model_copy(
        update={"findings": [f.model_copy(update={"scan_id": "scan-2"}) for f in result.findings]}
    )
    second = build_events(rescanned, sink, utcnow())
    chunks = list(unique_id_chunks(first + second, 100))
    assert [len(c) for c in chunks] == [len(first), len(second)]
    assert [len(c) for c in unique_id_chunks(first, 2)] == [2, 1]


def test_rejected_findings_stay_queued_with_the_reason(moto_endpoint: str) -> None:
    hub = client("securityhub", moto_endpoint)
    hub.enable_security_hub()
    sink = SecurityHubSink(SinkUrl.parse(f"securityhub://{REGION}"), lambda: hub)
    events = build_events(many_aws_findings(2, Status.FAIL), sink, utcnow())
    broken = json.loads(events[1].payload)
    broken["Resources"] = []  # Security Hub refuses a finding without resources
    events[1] = events[1].model_copy(update={"payload": json.dumps(broken)})
    outcome = sink.deliver(events)
    assert outcome.acked == {events[0].event_id}
    (reason,) = outcome.failed.values()
    assert reason.startswith(f"Security Hub rejected {broken['Id']}: InvalidInput")


def test_unreachable_security_hub_fails_the_batch() -> None:
    sink = sink_from_url(f"securityhub://{REGION}?endpoint=http://127.0.0.1:9")
    events = build_events(many_aws_findings(3, Status.FAIL), sink, utcnow())
    outcome = sink.deliver(events)
    assert outcome.acked == frozenset()
    assert all(
        r.startswith("BatchImportFindings: Could not connect") for r in outcome.failed.values()
    )


def test_endpoint_override_must_be_tls_off_loopback() -> None:
    from cloudposture.model import ConfigurationError

    with pytest.raises(ConfigurationError, match="plain http off loopback"):
        sink_from_url("s3://bucket?endpoint=http://minio.example.com:9000")


def test_s3_drop_writes_ocsf_ndjson(moto_endpoint: str) -> None:
    s3 = client("s3", moto_endpoint)
    s3.create_bucket(Bucket="lake", CreateBucketConfiguration={"LocationConstraint": REGION})
    sink = sink_from_url(
        f"s3://lake/cloudposture/findings?endpoint={moto_endpoint}&region={REGION}"
    )
    assert isinstance(sink, S3Sink)
    result = example_result()
    events = build_events(result, sink, utcnow())
    outcome = sink.deliver(events)
    again = sink.deliver(events)  # a redelivered batch overwrites its own object
    assert outcome.acked == again.acked == {e.event_id for e in events}
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="lake")["Contents"]]
    assert len(keys) == 1
    assert keys[0].startswith("cloudposture/findings/")
    assert keys[0].endswith(".ndjson")
    obj = s3.get_object(Bucket="lake", Key=keys[0])
    assert obj["ContentType"] == "application/x-ndjson"
    lines = obj["Body"].read().decode().splitlines()
    assert [json.loads(line)["metadata"]["uid"] for line in lines] == [
        event_id(f.uid, f.status, f.scan_id) for f in result.findings
    ]


def test_s3_object_key_layout() -> None:
    sink = sink_from_url("s3://b/p")
    events = build_events(example_result(), sink, utcnow())
    day = events[0].created_at
    key = object_key("/p/", events, day)
    assert key.startswith(f"p/{day:%Y/%m/%d}/cloudposture-")
    assert object_key("", events, day).startswith(f"{day:%Y/%m/%d}/")
    assert key == object_key("p", list(reversed(events)), day)


def test_severity_is_kept_for_security_hub() -> None:
    sink = sink_from_url(f"securityhub://{REGION}")
    finding: Finding = example_result().findings[0]
    asff = json.loads(sink.encode(finding, example_result().scan))
    assert finding.severity is Severity.CRITICAL
    assert asff["Severity"] == {"Label": "CRITICAL", "Original": "critical"}
