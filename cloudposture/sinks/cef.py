"""ArcSight Common Event Format (CEF:0) lines for ``syslog+tls://...?format=cef``.

Escaping follows the CEF specification (Micro Focus "Implementing ArcSight CEF", rev. 25):
in the header, backslash and pipe are escaped; in extension values, backslash and equals sign
are escaped and line breaks become the two characters ``\\n`` / ``\\r``; a header cannot hold a
line break at all, so it becomes a space there. Keys are fixed ASCII names from the spec's
dictionary, with custom strings (``csN`` + ``csNLabel``) for what the dictionary lacks.
"""

from __future__ import annotations

from collections.abc import Mapping

from cloudposture.model import Finding, ScanInfo, Severity, Status
from cloudposture.model.events import event_id
from cloudposture.reporters.ocsf import epoch_ms

_SEVERITY: Mapping[Severity, int] = {
    Severity.INFO: 1,
    Severity.LOW: 3,
    Severity.MEDIUM: 5,
    Severity.HIGH: 8,
    Severity.CRITICAL: 10,
}
_QUIET = frozenset({Status.PASS, Status.NOT_APPLICABLE, Status.MUTED})


def escape_header(value: str) -> str:
    """Header fields: ``\\`` -> ``\\\\``, ``|`` -> ``\\|``, line breaks -> space."""
    value = value.replace("\\", "\\\\").replace("|", "\\|")
    return value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def escape_extension(value: str) -> str:
    """Extension values: ``\\`` -> ``\\\\``, ``=`` -> ``\\=``, CR/LF -> ``\\r`` / ``\\n``."""
    value = value.replace("\\", "\\\\").replace("=", "\\=")
    return value.replace("\r", "\\r").replace("\n", "\\n")


def cef_severity(finding: Finding) -> int:
    """0-10. A passing or muted check is informational whatever the rule's severity."""
    return 0 if finding.status in _QUIET else _SEVERITY[finding.severity]


def cef_line(finding: Finding, scan: ScanInfo) -> str:
    """``CEF:0|vendor|product|version|signature id|name|severity|extensions``."""
    res = finding.resource
    header = [
        "CEF:0",
        escape_header(scan.tool),
        escape_header(scan.tool),
        escape_header(scan.tool_version),
        escape_header(finding.rule_id),
        escape_header(finding.title),
        str(cef_severity(finding)),
    ]
    extension = {
        "rt": str(epoch_ms(finding.created_at)),
        "externalId": event_id(finding.uid, finding.status, finding.scan_id),
        "outcome": finding.status.value,
        "cat": f"row {finding.row}",
        "msg": finding.message,
        "cs1Label": "findingUid",
        "cs1": finding.uid,
        "cs2Label": "cloudProvider",
        "cs2": res.provider,
        "cs3Label": "account",
        "cs3": res.account,
        "cs4Label": "region",
        "cs4": res.region,
        "cs5Label": "cluster",
        "cs5": res.cluster,
        "cs6Label": "resourceId",
        "cs6": res.id,
        "cn1Label": "ruleSeverity",
        "cn1": str(_SEVERITY[finding.severity]),
        "deviceExternalId": finding.scan_id,
    }
    ext = " ".join(f"{key}={escape_extension(value)}" for key, value in extension.items())
    return "|".join(header) + "|" + ext
