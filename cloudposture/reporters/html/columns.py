"""The matrix's columns: rules grouped as the infrastructure table reads, rows 1 to 5 first.

Rows 1-5 come straight from a rule's ``row``; the rules that complete the table (``+``) are
split into logging, version and workload isolation by the catalogue module that holds them,
so a new logging rule lands in its group without a list here to update. Rules the catalogue
does not know (a third-party rule) still get a column, in a group named by their row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cloudposture.model import Finding
from cloudposture.rules import exposure_path, logging_rules, network_policy, version
from cloudposture.rules.base import ROWS
from cloudposture.rules.catalog import ALL_RULES, RULES_BY_ID


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    title: str
    short: str = ""
    """What the group is about in two words, for chart labels."""


_SHORT = {"1": "API server", "2": "nodes", "3": "cloud API", "4": "etcd", "5": "encryption"}
GROUPS: tuple[Group, ...] = (
    *(Group(row, f"Row {row}", ROWS[row], f"{row} · {_SHORT[row]}") for row in _SHORT),
    Group("log", "Logging", "Control-plane audit and component logs", "logging"),
    Group("ver", "Version", "Kubernetes version within the provider's support", "version"),
    Group("iso", "Isolation", "Workload isolation: network policy enforcement", "isolation"),
    Group("path", "Path 1-3", ROWS["1-3"], "exposure path"),
)
_BY_MODULE = {
    **{r.meta.id: "log" for r in logging_rules.RULES},
    **{r.meta.id: "ver" for r in version.RULES},
    **{r.meta.id: "iso" for r in network_policy.RULES},
    **{r.meta.id: "path" for r in exposure_path.RULES},
}
_CATALOG_ORDER = {r.meta.id: i for i, r in enumerate(ALL_RULES)}


@dataclass(frozen=True)
class Column:
    rule_id: str
    title: str
    group: str
    severity: str
    rationale: str


def group_of(rule_id: str, row: str) -> str:
    """The column group of a rule: its module's group, else its table row."""
    known = _BY_MODULE.get(rule_id)
    if known is not None:
        return known
    return {"1-3": "path"}.get(row, row if row in ("1", "2", "3", "4", "5") else "other")


def columns(findings: Iterable[Finding]) -> list[Column]:
    """One column per rule that produced a finding, in table order then catalogue order."""
    seen: dict[str, Finding] = {}
    for finding in findings:
        seen.setdefault(finding.rule_id, finding)
    order = {g.key: i for i, g in enumerate(GROUPS)}
    out = []
    for rule_id, finding in seen.items():
        rule = RULES_BY_ID.get(rule_id)
        out.append(
            Column(
                rule_id=rule_id,
                title=rule.meta.title if rule else finding.title,
                group=group_of(rule_id, rule.meta.row if rule else finding.row),
                severity=(rule.meta.severity if rule else finding.severity).value,
                rationale=rule.meta.rationale if rule else "",
            )
        )
    return sorted(
        out,
        key=lambda c: (
            order.get(c.group, len(order)),
            _CATALOG_ORDER.get(c.rule_id, len(_CATALOG_ORDER)),
            c.rule_id,
        ),
    )


def groups_used(cols: Sequence[Column]) -> list[Group]:
    keys = {c.group for c in cols}
    known = [g for g in GROUPS if g.key in keys]
    if "other" in keys:
        known.append(Group("other", "Other", "Rules outside the catalogue", "other"))
    return known
