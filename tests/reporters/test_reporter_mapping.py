"""What each format says about a finding: the mappings SIEM users build rules on."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cloudposture.model import ConfigurationError, Finding, ScanResult, Status
from cloudposture.model.events import event_id
from cloudposture.reporters.asff import AsffReporter, asff_finding, partition_of
from cloudposture.reporters.csv_report import COLUMNS, CsvReporter
from cloudposture.reporters.jsonl import JsonlReporter
from cloudposture.reporters.ocsf import OcsfReporter, ocsf_event
from cloudposture.reporters.registry import REPORTERS, get_reporter
from cloudposture.reporters.sarif import sarif_log


def by_status(result: ScanResult) -> dict[Status, Finding]:
    return {f.status: f for f in result.findings}


def test_ocsf_compliance_and_lifecycle_status(result: ScanResult) -> None:
    expected = {
        Status.FAIL: ((3, "Fail"), (1, "New")),
        Status.PASS: ((1, "Pass"), (4, "Resolved")),
        Status.ERROR: ((2, "Warning"), (1, "New")),
        Status.MUTED: ((3, "Fail"), (3, "Suppressed")),
        Status.NOT_APPLICABLE: ((99, "Not Applicable"), (4, "Resolved")),
    }
    for status, finding in by_status(result).items():
        event = ocsf_event(finding, result.scan)
        compliance = (event["compliance"]["status_id"], event["compliance"]["status"])
        lifecycle = (event["status_id"], event["status"])
        assert (compliance, lifecycle) == expected[status], status


def test_ocsf_error_carries_the_reason_and_muted_the_suppression(result: ScanResult) -> None:
    error = ocsf_event(by_status(result)[Status.ERROR], result.scan)
    assert error["compliance"]["status_detail"].startswith("cannot judge: container.projects")
    muted = ocsf_event(by_status(result)[Status.MUTED], result.scan)
    assert muted["status_detail"] == (
        "suppressed until 2024-12-31: scheduler logs cost more than they tell"
    )


def test_ocsf_identity_cloud_resource_and_control(result: ScanResult) -> None:
    finding = result.findings[0]
    event = ocsf_event(finding, result.scan)
    assert event["metadata"]["uid"] == event_id(finding.uid, finding.status, finding.scan_id)
    assert event["metadata"]["correlation_uid"] == result.scan.id
    assert event["finding_info"]["uid"] == finding.uid
    assert event["cloud"] == {
        "provider": "AWS",
        "region": "eu-west-1",
        "account": {"uid": "123456789012", "type_id": 10, "type": "AWS Account"},
    }
    assert event["resources"] == [
        {
            "uid": "arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu",
            "name": "prod-eu",
            "type": "AWS::EKS::Cluster",
            "region": "eu-west-1",
            "labels": ["env=prod", "team=platform"],
        }
    ]
    assert event["compliance"]["control"] == (
        "CIS Amazon Elastic Kubernetes Service (EKS) Benchmark v1.7.0 - Control 5.4.2"
    )
    assert event["compliance"]["standards"] == [
        "CIS Amazon Elastic Kubernetes Service (EKS) Benchmark v1.7.0"
    ]
    assert event["evidences"][0]["name"] == "endpoint.authorized_cidrs"
    assert event["remediation"]["desc"].splitlines()[2].startswith("CLI: aws eks update")
    gcp = ocsf_event(result.findings[3], result.scan)
    assert gcp["cloud"]["account"]["type"] == "GCP Project"


def test_detection_class_moves_compliance_to_unmapped(result: ScanResult) -> None:
    event = ocsf_event(result.findings[0], result.scan, "detection")
    assert (event["class_uid"], event["type_uid"]) == (2004, 200401)
    assert "compliance" not in event
    assert event["unmapped"]["compliance"]["status"] == "Fail"


def test_sarif_has_fail_results_only_and_one_rule_per_rule_id(result: ScanResult) -> None:
    doubled = result.model_copy(
        update={"findings": [*result.findings, result.findings[0].model_copy(update={"uid": "x"})]}
    )
    run = sarif_log(doubled)["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["CP-001", "CP-001"]
    (rule,) = run["tool"]["driver"]["rules"]
    assert rule["id"] == "CP-001"
    assert rule["properties"]["security-severity"] == "9.5"
    assert run["results"][0]["locations"][0]["logicalLocations"][0]["kind"] == "resource"


def test_csv_round_trips_and_neutralizes_formulas(result: ScanResult) -> None:
    hostile = result.findings[1].model_copy(update={"message": '=HYPERLINK("http://x")'})
    text = CsvReporter().render(result.model_copy(update={"findings": [hostile]}))
    (header, row) = list(csv.reader(io.StringIO(text)))
    assert tuple(header) == COLUMNS
    record = dict(zip(header, row, strict=True))
    assert record["message"] == '\'=HYPERLINK("http://x")'
    full = list(csv.DictReader(io.StringIO(CsvReporter().render(result))))
    assert full[0]["message"] == result.findings[0].message  # newline and quotes survive
    assert full[2]["row"] == "+"


def test_jsonl_lines_are_the_findings(result: ScanResult) -> None:
    lines = JsonlReporter().render(result).splitlines()
    assert [Finding.model_validate_json(line) for line in lines] == result.findings


def test_asff_archives_what_no_longer_fails(result: ScanResult) -> None:
    states = {
        f.status: asff_finding(f)["RecordState"]
        for f in result.findings
        if f.resource.provider == "aws"
    }
    assert states == {Status.FAIL: "ACTIVE", Status.PASS: "ARCHIVED", Status.MUTED: "ARCHIVED"}
    first = asff_finding(result.findings[0], region="us-east-1")
    assert first["Id"] == f"cloudposture/{result.findings[0].uid}"
    assert first["ProductArn"].startswith("arn:aws:securityhub:us-east-1:123456789012:")
    assert first["CreatedAt"] == "2024-04-20T02:00:31+00:00"  # first seen


def test_asff_refuses_other_providers_clearly(result: ScanResult) -> None:
    with pytest.raises(ConfigurationError, match=r"AWS findings only.*azure, gcp findings"):
        AsffReporter().render(result)


@pytest.mark.parametrize(
    ("arn", "partition"),
    [
        ("arn:aws-cn:eks:cn-north-1:1:cluster/x", "aws-cn"),
        ("arn:aws:eks:r:1:cluster/x", "aws"),
        ("not-an-arn", "aws"),
    ],
)
def test_partition_of(arn: str, partition: str) -> None:
    assert partition_of(arn) == partition


def test_registry_lists_every_format_and_checks_options() -> None:
    assert sorted(REPORTERS) == ["asff", "csv", "html", "json", "jsonl", "ocsf", "sarif", "table"]
    assert all(r.name == name for name, r in REPORTERS.items())
    assert len({r.extension for r in REPORTERS.values()}) == len(REPORTERS)
    detection = get_reporter("ocsf", ocsf_class="detection")
    assert isinstance(detection, OcsfReporter)
    assert detection.ocsf_class == "detection"
    with pytest.raises(ConfigurationError, match="unknown format 'xml'"):
        get_reporter("xml")
    with pytest.raises(ConfigurationError, match="unknown OCSF class 'network'"):
        get_reporter("ocsf", ocsf_class="network")
    assert (
        json.loads(
            get_reporter("json").render(
                ScanResult.model_validate({"scan": _empty_scan(), "findings": []})
            )
        )["findings"]
        == []
    )


def _empty_scan() -> dict[str, object]:
    from cloudposture.reporters.example import example_result

    return example_result().scan.model_dump()
