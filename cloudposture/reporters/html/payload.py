"""The report's data: one compact JSON document the page's script renders from.

Why compact and interned: 1,000 clusters x 22 rules is 22,000 findings, and the fix, the
references and most messages repeat across clusters. Each finding is a short array of
indexes into shared tables (cluster, rule, message, fix, references) plus its own evidence
(``[fact, value, source]`` items, fact and source being indexes into ``texts``), so the page
stays a few MB and the browser parses one ``JSON.parse`` instead of 22,000 DOM nodes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel

from cloudposture.model import CoverageEntry, Finding, ScanResult, Severity, Status
from cloudposture.reporters.html.columns import columns, groups_used
from cloudposture.reporters.html.history import HistoryView

STATUSES = (Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE, Status.MUTED)
SEVERITIES = (Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)
CHANGE_CODES = ("", "new", "regressed", "persisting", "resolved", "stale")

FIELDS = (
    "cluster",
    "rule",
    "status",
    "severity",
    "message",
    "evidence",
    "fix",
    "references",
    "suppression",
    "first_seen",
    "change",
)
"""The order of a finding's array in ``findings`` (the script reads the same list)."""


class _Table:
    """Values stored once, referred to by index; -1 stands for "none"."""

    def __init__(self, key: Callable[[Any], str] = str) -> None:
        self.values: list[Any] = []
        self._index: dict[str, int] = {}
        self._key = key
        self._ids: dict[tuple[int, ...], int] = {}

    def add_shared(self, key: tuple[int, ...], make: Callable[[], Any]) -> int:
        """Like :meth:`add` for values built from shared objects (one rule's fix is the same
        object on every cluster): ``key`` is their ids, so each is serialised once."""
        hit = self._ids.get(key)
        if hit is None:
            hit = self._ids[key] = self.add(make())
        return hit

    def add(self, value: Any) -> int:
        if value is None or value == [] or value == "":
            return -1
        k = self._key(value)
        if k not in self._index:
            self._index[k] = len(self.values)
            self.values.append(value)
        return self._index[k]


def _dump(model: BaseModel | None) -> Any:
    return None if model is None else model.model_dump(mode="json")


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def build_payload(result: ScanResult, history: HistoryView | None = None) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data (no HTML: the script escapes by using
    text nodes only)."""
    scan = result.scan
    prior = _prior_findings(history)
    cols = columns([*result.findings, *prior])
    rule_index = {c.rule_id: i for i, c in enumerate(cols)}
    clusters: dict[tuple[str, str], int] = {}
    cluster_rows: list[list[Any]] = []
    messages, fixes = _Table(), _Table(_dumps)
    refs, suppressions = _Table(_dumps), _Table(_dumps)
    texts = _Table()  # evidence facts and API sources repeat across clusters; values do not

    def facts(f: Finding) -> list[list[Any]]:
        return [[texts.add(e.fact), e.value, texts.add(e.source)] for e in f.evidence]

    change_of = _change_of(history)

    def row(f: Finding, change: str) -> list[Any]:
        r = f.resource
        key = (r.provider, r.id)
        if key not in clusters:
            clusters[key] = len(cluster_rows)
            tags = dict(sorted(r.tags.items()))
            cluster_rows.append([r.provider, r.account, r.region, r.cluster, r.id, tags])
        return [
            clusters[key],
            rule_index[f.rule_id],
            STATUSES.index(f.status),
            SEVERITIES.index(f.severity),
            messages.add(f.message),
            facts(f),
            fixes.add_shared((id(f.remediation),), lambda: _dump(f.remediation)),
            refs.add_shared(
                tuple(id(x) for x in f.references),
                lambda: [x.model_dump(mode="json") for x in f.references],
            ),
            suppressions.add(f.suppression.model_dump(mode="json") if f.suppression else None),
            f.first_seen.date().isoformat() if f.first_seen else None,
            CHANGE_CODES.index(change),
        ]

    findings = [row(f, change_of.get(f.uid, "")) for f in result.findings]
    earlier = [row(f, change) for change, f in prior_changes(history)]
    return {
        "fields": list(FIELDS),
        "statuses": [s.value for s in STATUSES],
        "severities": [s.value for s in SEVERITIES],
        "changes": list(CHANGE_CODES),
        "scan": {
            "id": scan.id,
            "tool": scan.tool,
            "version": scan.tool_version,
            "providers": scan.providers,
            "started": scan.started_at.isoformat(),
            "finished": scan.finished_at.isoformat(),
            "complete": scan.complete,
        },
        "groups": [
            {"key": g.key, "label": g.label, "title": g.title, "short": g.short}
            for g in groups_used(cols)
        ],
        "rules": [
            {
                "id": c.rule_id,
                "title": c.title,
                "group": c.group,
                "severity": c.severity,
                "rationale": c.rationale,
            }
            for c in cols
        ],
        "clusters": cluster_rows,
        "coverage": [_coverage(c) for c in scan.coverage],
        "findings": findings,
        "prior": earlier,
        "messages": messages.values,
        "texts": texts.values,
        "fixes": fixes.values,
        "references": refs.values,
        "suppressions": suppressions.values,
        "history": _history(history),
    }


def _coverage(entry: CoverageEntry) -> dict[str, Any]:
    return {
        "provider": entry.provider,
        "account": entry.account,
        "region": entry.region,
        "cluster": entry.cluster,
        "status": entry.status,
        "clusters_found": entry.clusters_found,
        "reason": entry.reason,
    }


def _change_of(history: HistoryView | None) -> dict[str, str]:
    if history is None:
        return {}
    return {
        f.uid: change
        for change in ("persisting", "regressed", "new")
        for f in history.changes.get(change, [])
    }


def prior_changes(history: HistoryView | None) -> list[tuple[str, Finding]]:
    """Resolved and stale findings: the previous run's open findings this run does not list
    as open (shown in the changes, not in the matrix)."""
    if history is None:
        return []
    return [(c, f) for c in ("resolved", "stale") for f in history.changes.get(c, [])]


def _prior_findings(history: HistoryView | None) -> Sequence[Finding]:
    return [f for _, f in prior_changes(history)]


def _history(history: HistoryView | None) -> dict[str, Any] | None:
    if history is None:
        return None
    return {
        "config": history.config_key,
        "run": history.run_id,
        "previous": history.previous_run,
        "previous_at": history.previous_at.isoformat() if history.previous_at else None,
        "counts": {c: len(fs) for c, fs in history.changes.items()},
        "trend": [
            {
                "run": p.run_id,
                "at": p.started_at.isoformat(),
                "failing": dict(p.failing),
                "muted": p.muted,
                "complete": p.complete,
            }
            for p in history.trend
        ],
    }
