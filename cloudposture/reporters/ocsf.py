"""``--format ocsf``: one OCSF 1.5.0 finding event per line (JSON Lines).

Compliance Finding (class 2003) is the default: a cloudposture verdict *is* the result of a
check against a benchmark, and that class carries ``compliance.status_id`` (Pass / Warning /
Fail) and ``compliance.control``. ``--ocsf-class detection`` emits Detection Finding (2004)
instead, the class Prowler's OCSF output uses, for pipelines built around it; there the
compliance facts travel in ``unmapped.compliance``.

The lifecycle ``status_id`` follows Security Hub's convention for control findings: a FAIL or
ERROR is New, a MUTED finding is Suppressed, a PASS or NOT_APPLICABLE is Resolved (the check is
satisfied, so a SIEM keyed on ``finding_info.uid`` closes the matching alert).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from typing import Any, Literal, TextIO

from cloudposture.model import (
    ConfigurationError,
    Finding,
    Remediation,
    ScanInfo,
    ScanResult,
    Severity,
    Status,
)
from cloudposture.model.events import event_id
from cloudposture.plugin.interface import OcsfCloud
from cloudposture.reporters.interface import Reporter
from cloudposture.rules.base import ROWS

OcsfClass = Literal["compliance", "detection"]
OCSF_CLASSES: tuple[OcsfClass, ...] = ("compliance", "detection")
OCSF_VERSION = "1.5.0"

_CLASS: Mapping[OcsfClass, tuple[int, str]] = {
    "compliance": (2003, "Compliance Finding"),
    "detection": (2004, "Detection Finding"),
}
_SEVERITY_ID: Mapping[Severity, tuple[int, str]] = {
    Severity.INFO: (1, "Informational"),
    Severity.LOW: (2, "Low"),
    Severity.MEDIUM: (3, "Medium"),
    Severity.HIGH: (4, "High"),
    Severity.CRITICAL: (5, "Critical"),
}
_COMPLIANCE_STATUS: Mapping[Status, tuple[int, str]] = {
    Status.PASS: (1, "Pass"),
    Status.ERROR: (2, "Warning"),
    Status.FAIL: (3, "Fail"),
    Status.MUTED: (3, "Fail"),
    Status.NOT_APPLICABLE: (99, "Not Applicable"),
}
_LIFECYCLE_STATUS: Mapping[Status, tuple[int, str]] = {
    Status.FAIL: (1, "New"),
    Status.ERROR: (1, "New"),
    Status.MUTED: (3, "Suppressed"),
    Status.PASS: (4, "Resolved"),
    Status.NOT_APPLICABLE: (4, "Resolved"),
}
_CREATE = 1


def ocsf_class_of(value: str) -> OcsfClass:
    """``--ocsf-class`` / ``ocsf_class=`` as a checked value."""
    for known in OCSF_CLASSES:
        if value == known:
            return known
    raise ConfigurationError(
        f"unknown OCSF class '{value}' (choose from: {', '.join(OCSF_CLASSES)})"
    )


def epoch_ms(moment: datetime) -> int:
    """OCSF timestamps are milliseconds since the epoch."""
    return int(moment.timestamp() * 1000)


def control_name(benchmark: str, version: str, control: str) -> str:
    """``CIS Amazon EKS Benchmark v1.7.0 - Control 5.4.2``: benchmark, version and control id."""
    return f"{benchmark} {version} - Control {control}"


def ocsf_event(
    finding: Finding, scan: ScanInfo, ocsf_class: OcsfClass = "compliance"
) -> dict[str, Any]:
    """One finding as an OCSF event; ``metadata.uid`` is the outbox event id."""
    class_uid, class_name = _CLASS[ocsf_class]
    severity_id, severity = _SEVERITY_ID[finding.severity]
    status_id, status = _LIFECYCLE_STATUS[finding.status]
    event: dict[str, Any] = {
        "activity_id": _CREATE,
        "activity_name": "Create",
        "category_uid": 2,
        "category_name": "Findings",
        "class_uid": class_uid,
        "class_name": class_name,
        "type_uid": class_uid * 100 + _CREATE,
        "type_name": f"{class_name}: Create",
        "time": epoch_ms(finding.created_at),
        "severity_id": severity_id,
        "severity": severity,
        "status_id": status_id,
        "status": status,
        "status_code": finding.status.value,
        "status_detail": _status_detail(finding),
        "message": finding.message,
        "metadata": _metadata(finding, scan),
        "finding_info": _finding_info(finding),
        "cloud": _cloud(finding),
        "resources": [_resource(finding)],
    }
    if finding.evidence:
        event["evidences"] = [
            {"name": e.fact, "data": {"value": e.value, "source": e.source}}
            for e in finding.evidence
        ]
    if finding.remediation is not None:
        event["remediation"] = _remediation(finding.remediation)
    compliance = _compliance(finding)
    if ocsf_class == "compliance":
        event["compliance"] = compliance
    else:
        event["unmapped"] = {"compliance": compliance}
    return event


def _status_detail(finding: Finding) -> str:
    if finding.suppression is not None:
        expiry = f" until {finding.suppression.expires}" if finding.suppression.expires else ""
        return f"suppressed{expiry}: {finding.suppression.reason}"
    return finding.message


def _metadata(finding: Finding, scan: ScanInfo) -> dict[str, Any]:
    return {
        "version": OCSF_VERSION,
        "uid": event_id(finding.uid, finding.status, finding.scan_id),
        "correlation_uid": finding.scan_id,
        "event_code": finding.rule_id,
        "profiles": ["cloud"],
        "product": {
            "name": scan.tool,
            "vendor_name": scan.tool,
            "version": scan.tool_version,
        },
    }


def _finding_info(finding: Finding) -> dict[str, Any]:
    info: dict[str, Any] = {
        "uid": finding.uid,
        "title": finding.title,
        "desc": finding.message,
        "types": [f"Row {finding.row}: {ROWS.get(finding.row, finding.row)}"],
        "created_time": epoch_ms(finding.created_at),
        "analytic": {"uid": finding.rule_id, "name": finding.title, "type_id": 1, "type": "Rule"},
    }
    if finding.first_seen is not None:
        info["first_seen_time"] = epoch_ms(finding.first_seen)
    if finding.last_seen is not None:
        info["last_seen_time"] = epoch_ms(finding.last_seen)
    return info


@cache
def _ocsf_cloud(provider: str) -> OcsfCloud:
    """The provider plugin's OCSF mapping; "Other" for one not installed or without one."""
    from cloudposture.plugin import available_providers, load_provider

    mapping = load_provider(provider).ocsf if provider in available_providers() else None
    return mapping or OcsfCloud(provider, 99, "Other", "Kubernetes cluster")


def _cloud(finding: Finding) -> dict[str, Any]:
    res = finding.resource
    cloud = _ocsf_cloud(res.provider)
    return {
        "provider": cloud.provider,
        "region": res.region,
        "account": {
            "uid": res.account,
            "type_id": cloud.account_type_id,
            "type": cloud.account_type,
        },
    }


def _resource(finding: Finding) -> dict[str, Any]:
    res = finding.resource
    resource: dict[str, Any] = {
        "uid": res.id,
        "name": res.cluster,
        "type": _ocsf_cloud(res.provider).resource_type,
        "region": res.region,
    }
    if res.tags:
        resource["labels"] = [f"{k}={v}" for k, v in sorted(res.tags.items())]
    return resource


def _remediation(fix: Remediation) -> dict[str, Any]:
    steps = [fix.summary] + [f"{label}: {text}" for label, text in fix_steps(fix)]
    remediation: dict[str, Any] = {"desc": "\n".join(steps)}
    if fix.docs:
        remediation["references"] = list(fix.docs)
    return remediation


def fix_steps(fix: Remediation) -> list[tuple[str, str]]:
    """The non-empty how-to lines of a remediation, labelled (shared by SARIF and CSV)."""
    steps = (("Console", fix.console), ("CLI", fix.cli), ("Terraform", fix.terraform))
    return [(label, text) for label, text in steps if text]


def _compliance(finding: Finding) -> dict[str, Any]:
    status_id, status = _COMPLIANCE_STATUS[finding.status]
    controls = [control_name(r.benchmark, r.version, r.control) for r in finding.references]
    standards = list(dict.fromkeys(f"{r.benchmark} {r.version}" for r in finding.references))
    compliance: dict[str, Any] = {
        "control": controls[0] if controls else finding.rule_id,
        "standards": standards or ["cloudposture"],
        "status_id": status_id,
        "status": status,
        "status_detail": _status_detail(finding),
    }
    if len(controls) > 1:
        compliance["requirements"] = controls
    return compliance


class OcsfReporter(Reporter):
    """OCSF events as JSON Lines; the class is chosen by ``--ocsf-class``."""

    name = "ocsf"
    extension = "ocsf.jsonl"
    description = "OCSF 1.5.0 Compliance Finding (or Detection Finding) events, JSON Lines"
    streams = True

    def __init__(self, ocsf_class: OcsfClass = "compliance") -> None:
        self.ocsf_class: OcsfClass = ocsf_class

    def with_ocsf_class(self, ocsf_class: str) -> Reporter:
        return OcsfReporter(ocsf_class_of(ocsf_class))

    def render(self, result: ScanResult) -> str:
        buffer = io.StringIO()
        self.write(result.scan, result.findings, buffer)
        return buffer.getvalue()

    def write(self, scan: ScanInfo, findings: Iterable[Finding], out: TextIO) -> None:
        """One event per line, one finding at a time (a large scan streams from the spool)."""
        detections = 0
        for f in findings:
            detections += f.status is Status.FAIL
            out.write(json.dumps(ocsf_event(f, scan, self.ocsf_class), sort_keys=True) + "\n")
        activity = scan_activity(scan, detections)  # units not read travel with the findings
        if activity is not None:
            out.write(json.dumps(activity, sort_keys=True) + "\n")


_SCAN_ACTIVITY = 6007
_COMPLETED = 2


def scan_activity(info: ScanInfo, detections: int) -> dict[str, Any] | None:
    """One OCSF Scan Activity event (class 6007) when some unit was not read: coverage errors
    and units skipped on purpose (with their note) travel with the findings, since a finding
    event can only speak of a cluster that was read. None when every unit was ok."""
    units = [c for c in info.coverage if c.status != "ok"]
    if not units:
        return None
    skipped = [c for c in units if c.status == "skipped"]
    failed = len(units) - len(skipped)
    return {
        "activity_id": _COMPLETED,
        "activity_name": "Completed",
        "category_uid": 6,
        "category_name": "Application Activity",
        "class_uid": _SCAN_ACTIVITY,
        "class_name": "Scan Activity",
        "type_uid": _SCAN_ACTIVITY * 100 + _COMPLETED,
        "type_name": "Scan Activity: Completed",
        "time": epoch_ms(info.finished_at),
        "start_time": epoch_ms(info.started_at),
        "end_time": epoch_ms(info.finished_at),
        "severity_id": 1,
        "severity": "Informational",
        "status_id": 1 if info.complete else 2,
        "status": "Success" if info.complete else "Failure",
        "message": f"{failed} unit(s) could not be read, {len(skipped)} skipped on purpose",
        "num_skipped_items": len(skipped),
        "num_detections": detections,
        "scan": {"uid": info.id, "name": info.tool, "type_id": 99, "type": "Cloud posture"},
        "cloud": {"provider": ", ".join(_ocsf_cloud(p).provider for p in info.providers)},
        "metadata": {
            "version": OCSF_VERSION,
            "correlation_uid": info.id,
            "product": {
                "name": info.tool,
                "vendor_name": info.tool,
                "version": info.tool_version,
            },
        },
        "unmapped": {
            "coverage": [
                c.model_dump(
                    mode="json",
                    include={"provider", "account", "region", "cluster", "status", "note"},
                )
                | {"reason": c.reason}
                for c in units
            ]
        },
    }
