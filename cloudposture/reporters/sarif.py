"""``--format sarif``: SARIF 2.1.0 with FAIL findings only, for code-scanning style dashboards.

SARIF was made for source code, so a cloud resource is a *logical* location (kind
``resource``, fully qualified by its native id) rather than a file. Only FAILs are results:
SARIF consumers treat every result as something to fix, and a PASS or an ERROR is not that.
``security-severity`` is the 0-10 score GitHub code scanning uses to rank results.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from cloudposture.model import Finding, ScanResult, Severity, Status
from cloudposture.reporters.interface import Reporter
from cloudposture.reporters.ocsf import control_name, fix_steps

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_SECURITY_SEVERITY: Mapping[Severity, str] = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}
_LEVEL: Mapping[Severity, str] = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}


def sarif_log(result: ScanResult) -> dict[str, Any]:
    """The whole SARIF log: one run, one rule per failing rule id, one result per FAIL."""
    failing = [f for f in result.findings if f.status is Status.FAIL]
    rule_ids = sorted({f.rule_id for f in failing})
    first_of = {rid: next(f for f in failing if f.rule_id == rid) for rid in rule_ids}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": result.scan.tool,
                        "version": result.scan.tool_version,
                        "rules": [_rule(first_of[rid]) for rid in rule_ids],
                    }
                },
                "automationDetails": {"id": f"{result.scan.tool}/{result.scan.id}"},
                "results": [_result(f, rule_ids.index(f.rule_id)) for f in failing],
            }
        ],
    }


def _rule(finding: Finding) -> dict[str, Any]:
    """The rule entry, from the first finding of that rule (metadata is the same on all)."""
    rule: dict[str, Any] = {
        "id": finding.rule_id,
        "name": finding.rule_id.replace("-", ""),
        "shortDescription": {"text": finding.title},
        "defaultConfiguration": {"level": _LEVEL[finding.severity]},
        "properties": {
            "security-severity": _SECURITY_SEVERITY[finding.severity],
            "tags": ["security", "kubernetes", f"row-{finding.row}"],
        },
    }
    if finding.remediation is not None:
        steps = [finding.remediation.summary]
        steps += [f"{label}: {text}" for label, text in fix_steps(finding.remediation)]
        rule["help"] = {"text": "\n".join(steps)}
        if finding.remediation.docs:
            rule["helpUri"] = finding.remediation.docs[0]
    return rule


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    res = finding.resource
    return {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "logicalLocations": [
                    {
                        "name": res.cluster,
                        "fullyQualifiedName": res.id,
                        "kind": "resource",
                    }
                ]
            }
        ],
        "partialFingerprints": {"cloudpostureFindingUid/v1": finding.uid},
        "properties": {
            "provider": res.provider,
            "account": res.account,
            "region": res.region,
            "severity": finding.severity.value,
            "controls": [
                control_name(r.benchmark, r.version, r.control) for r in finding.references
            ],
        },
    }


class SarifReporter(Reporter):
    name = "sarif"
    extension = "sarif"
    description = "SARIF 2.1.0, FAIL findings only, cloud resources as logical locations"

    def render(self, result: ScanResult) -> str:
        return json.dumps(sarif_log(result), indent=2, sort_keys=True) + "\n"
