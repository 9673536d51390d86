"""``--format asff``: the AWS Security Finding Format, as a JSON array of findings.

The file can be imported as is (``aws securityhub batch-import-findings --findings
file://cloudposture.asff.json``, at most 100 per call) and is what the ``securityhub://`` sink
sends. ``Id`` is derived from the finding uid, so a re-import *updates* the finding in Security
Hub instead of adding another. A finding that no longer fails (PASS, NOT_APPLICABLE) or is
muted is sent with ``RecordState: ARCHIVED``: that is how a resolved finding leaves the
active view. ASFF is for AWS accounts only; other providers get a clear error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from cloudposture.model import ConfigurationError, Finding, ScanResult, Severity, Status
from cloudposture.reporters.interface import Reporter
from cloudposture.reporters.ocsf import control_name

ASFF_SCHEMA_VERSION = "2018-10-08"
FINDING_TYPE = "Software and Configuration Checks/Industry and Regulatory Standards"

_LABEL: Mapping[Severity, str] = {
    Severity.INFO: "INFORMATIONAL",
    Severity.LOW: "LOW",
    Severity.MEDIUM: "MEDIUM",
    Severity.HIGH: "HIGH",
    Severity.CRITICAL: "CRITICAL",
}
_COMPLIANCE: Mapping[Status, str] = {
    Status.PASS: "PASSED",
    Status.FAIL: "FAILED",
    Status.MUTED: "FAILED",
    Status.ERROR: "WARNING",
    Status.NOT_APPLICABLE: "NOT_AVAILABLE",
}
_WORKFLOW: Mapping[Status, str] = {
    Status.FAIL: "NEW",
    Status.ERROR: "NEW",
    Status.MUTED: "SUPPRESSED",
    Status.PASS: "RESOLVED",
    Status.NOT_APPLICABLE: "RESOLVED",
}
_ACTIVE = frozenset({Status.FAIL, Status.ERROR})


def asff_id(finding: Finding) -> str:
    """Stable per (cluster, rule): the same problem is the same Security Hub finding."""
    return f"cloudposture/{finding.uid}"


def partition_of(arn: str) -> str:
    """``aws``, ``aws-cn`` or ``aws-us-gov``, read from the resource ARN."""
    parts = arn.split(":")
    return parts[1] if len(parts) > 2 and parts[0] == "arn" and parts[1] else "aws"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def asff_finding(finding: Finding, *, region: str | None = None) -> dict[str, Any]:
    """One finding in ASFF. ``region`` is the Security Hub region it is imported into
    (default: the cluster's region)."""
    res = finding.resource
    if res.provider != "aws":
        raise ConfigurationError(_not_aws(res.provider))
    partition = partition_of(res.id)
    hub_region = region or res.region
    product_arn = (
        f"arn:{partition}:securityhub:{hub_region}:{res.account}:product/{res.account}/default"
    )
    asff: dict[str, Any] = {
        "SchemaVersion": ASFF_SCHEMA_VERSION,
        "Id": asff_id(finding),
        "ProductArn": product_arn,
        "ProductName": "cloudposture",
        "CompanyName": "cloudposture",
        "GeneratorId": f"cloudposture/{finding.rule_id}",
        "AwsAccountId": res.account,
        "Types": [FINDING_TYPE],
        "CreatedAt": (finding.first_seen or finding.created_at).isoformat(),
        "UpdatedAt": finding.created_at.isoformat(),
        "Severity": {"Label": _LABEL[finding.severity], "Original": finding.severity.value},
        "Title": _clip(finding.title, 256),
        "Description": _clip(finding.message, 1024),
        "ProductFields": {
            "cloudposture/RuleId": finding.rule_id,
            "cloudposture/Status": finding.status.value,
            "cloudposture/ScanId": finding.scan_id,
            "cloudposture/Row": finding.row,
        },
        "Resources": [
            {
                "Type": "AwsEksCluster",
                "Id": res.id,
                "Partition": partition,
                "Region": res.region,
                **({"Tags": dict(res.tags)} if res.tags else {}),
                "Details": {"AwsEksCluster": {"Name": res.cluster, "Arn": res.id}},
            }
        ],
        "Compliance": {"Status": _COMPLIANCE[finding.status]},
        "Workflow": {"Status": _WORKFLOW[finding.status]},
        "RecordState": "ACTIVE" if finding.status in _ACTIVE else "ARCHIVED",
    }
    if finding.references:
        asff["Compliance"]["RelatedRequirements"] = [
            _clip(control_name(r.benchmark, r.version, r.control), 128) for r in finding.references
        ]
    if finding.first_seen is not None:
        asff["FirstObservedAt"] = finding.first_seen.isoformat()
    if finding.last_seen is not None:
        asff["LastObservedAt"] = finding.last_seen.isoformat()
    if finding.remediation is not None:
        recommendation = {"Text": _clip(finding.remediation.summary, 512)}
        if finding.remediation.docs:
            recommendation["Url"] = finding.remediation.docs[0]
        asff["Remediation"] = {"Recommendation": recommendation}
    return asff


def _not_aws(provider: str) -> str:
    return (
        f"asff (AWS Security Finding Format) holds AWS findings only, and this scan has "
        f"{provider} findings: use --format ocsf for them, or scan AWS alone"
    )


class AsffReporter(Reporter):
    name = "asff"
    extension = "asff.json"
    description = "AWS Security Finding Format (Security Hub), AWS findings only"
    only_providers = ("aws",)

    def render(self, result: ScanResult) -> str:
        others = sorted({f.resource.provider for f in result.findings} - {"aws"})
        if others:
            raise ConfigurationError(_not_aws(", ".join(others)))
        findings = [asff_finding(f) for f in result.findings]
        return json.dumps(findings, indent=2, sort_keys=True) + "\n"
