"""ACK findings in OCSF: the plugin's cloud mapping, and events valid against OCSF 1.5.0."""

from __future__ import annotations

import json

from cloudposture.reporters.example import example_result
from cloudposture.reporters.ocsf import OcsfReporter
from tests.reporters.test_reporter_schemas import errors, ocsf_validator


def test_ack_findings_carry_the_alibaba_cloud_mapping_and_validate() -> None:
    result = example_result()
    findings = [
        f.model_copy(
            update={
                "resource": f.resource.model_copy(
                    update={
                        "provider": "alibaba",
                        "account": "5469257408566579",
                        "region": "cn-hangzhou",
                        "id": "acs:cs:cn-hangzhou:5469257408566579:cluster/c0good",
                    }
                )
            }
        )
        for f in result.findings[:5]
    ]
    ack = result.model_copy(update={"findings": findings})
    lines = OcsfReporter("compliance").render(ack).splitlines()
    assert len(lines) == 5
    for line in lines:
        event = json.loads(line)
        assert event["cloud"]["provider"] == "Alibaba Cloud"
        assert event["cloud"]["account"] == {
            "uid": "5469257408566579",
            "type_id": 99,
            "type": "Alibaba Cloud Account",
        }
        assert event["resources"][0]["type"] == "ACS::ACK::Cluster"
        assert errors(ocsf_validator("compliance"), event) == []
