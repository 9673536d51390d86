"""What changed since the previous run of the same config: pure functions over finding lists.

Vocabulary (for *open* findings, i.e. FAIL or MUTED):
- new: open now, never open before in this config's history;
- regressed: open now, not open in the previous run, but open at some earlier run (it keeps
  its original ``first_seen``);
- persisting: open now and open (or stale) in the previous run;
- resolved: open in the previous run and now proven gone: the rule PASSed or does not apply,
  or the cluster is absent from a region this run read successfully;
- stale: open in the previous run, but this run could not judge it (its account or region
  failed, the cluster was unreadable, the rule reported ERROR or was not run). It stays open.

Why "resolved" needs positive evidence: a failed target returns no clusters at all, and
reading that silence as "everything got fixed" would close every open finding of an account
the moment its credentials break. Only a region that was listed successfully can vouch that
a cluster is really gone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from cloudposture.model import CoverageEntry, Finding, Resource, Status

OPEN_STATUSES = frozenset({Status.FAIL, Status.MUTED})
WILDCARD_REGIONS = frozenset({"*", "-", "", "all", "global"})

Change = Literal["new", "regressed", "persisting", "resolved", "stale"]


@dataclass(frozen=True)
class Seen:
    """One uid's history in this config: first and last time it was open."""

    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True)
class RunDiff:
    findings: list[Finding]
    """This run's findings with first_seen / last_seen stamped from history."""
    new: list[Finding] = field(default_factory=list)
    regressed: list[Finding] = field(default_factory=list)
    persisting: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    """The previous run's open findings that are now proven fixed (as they were last seen)."""
    stale: list[Finding] = field(default_factory=list)
    """The previous run's open findings this run could not judge; they stay open."""

    def change_of(self) -> dict[str, Change]:
        """uid -> change, for every open or closed-this-run finding."""
        out: dict[str, Change] = {}
        for change in ("new", "regressed", "persisting", "resolved", "stale"):
            for finding in getattr(self, change):
                out[finding.uid] = change
        return out

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "regressed": len(self.regressed),
            "persisting": len(self.persisting),
            "resolved": len(self.resolved),
            "stale": len(self.stale),
        }


def is_open(finding: Finding) -> bool:
    return finding.status in OPEN_STATUSES


def build_ledger(history: Iterable[Finding]) -> dict[str, Seen]:
    """uid -> Seen over every stored open finding of a config (any order, any number of runs).

    A finding's own stamps win when present; otherwise its ``created_at`` is the moment seen.
    """
    ledger: dict[str, Seen] = {}
    for finding in history:
        if not is_open(finding):
            continue
        first = finding.first_seen or finding.created_at
        last = finding.last_seen or finding.created_at
        known = ledger.get(finding.uid)
        if known is not None:
            first, last = min(first, known.first_seen), max(last, known.last_seen)
        ledger[finding.uid] = Seen(first_seen=first, last_seen=last)
    return ledger


def diff_run(
    current: Sequence[Finding],
    coverage: Sequence[CoverageEntry],
    previous_open: Sequence[Finding],
    ledger: Mapping[str, Seen],
    now: datetime,
    rule_ids: Iterable[str] | None = None,
) -> RunDiff:
    """Compare this run with the previous run's open findings (including its stale ones).

    ``ledger`` is the config's whole history (see :func:`build_ledger`); ``rule_ids`` the
    rules this run evaluated (a rule left out of the run cannot resolve anything).
    """
    before = {f.uid: f for f in previous_open if is_open(f)}
    now_by_uid = {f.uid: f for f in current}
    ran = None if rule_ids is None else {r.upper() for r in rule_ids}
    diff = RunDiff(findings=[])
    for finding in current:
        seen = ledger.get(finding.uid)
        if not is_open(finding):
            diff.findings.append(
                _stamp(finding, seen.first_seen, seen.last_seen) if seen else finding
            )
            continue
        stamped = _stamp(finding, seen.first_seen if seen else now, now)
        diff.findings.append(stamped)
        if finding.uid in before:
            diff.persisting.append(stamped)
        elif seen is not None:
            diff.regressed.append(stamped)
        else:
            diff.new.append(stamped)
    readable = _Readable(coverage)
    for uid, old in before.items():
        if uid in now_by_uid and is_open(now_by_uid[uid]):
            continue
        now_finding = now_by_uid.get(uid)
        if now_finding is not None:
            proven = now_finding.status in (Status.PASS, Status.NOT_APPLICABLE)
        else:
            rule_ran = ran is None or old.rule_id.upper() in ran
            proven = rule_ran and readable.vouches_for(old.resource)
        (diff.resolved if proven else diff.stale).append(old)
    return diff


def _stamp(finding: Finding, first: datetime, last: datetime) -> Finding:
    return finding.model_copy(update={"first_seen": first, "last_seen": last})


class _Readable:
    """Which (provider, account, region) this run listed successfully, minus failed clusters."""

    def __init__(self, coverage: Sequence[CoverageEntry]) -> None:
        self._ok_regions: set[tuple[str, str, str]] = set()
        self._failed_clusters: set[tuple[str, str, str]] = set()
        self._failed_regions: set[tuple[str, str, str]] = set()
        for entry in coverage:
            key = (entry.provider, entry.account, entry.region)
            if entry.cluster is not None:
                if entry.status == "error":
                    self._failed_clusters.add((entry.provider, entry.account, entry.cluster))
            elif entry.status == "ok":
                self._ok_regions.add(key)
            else:
                self._failed_regions.add(key)

    def vouches_for(self, resource: Resource) -> bool:
        if (resource.provider, resource.account, resource.cluster) in self._failed_clusters:
            return False
        regions = {resource.region, *WILDCARD_REGIONS}
        if any((resource.provider, resource.account, r) in self._failed_regions for r in regions):
            return False
        return any((resource.provider, resource.account, r) in self._ok_regions for r in regions)


def merge_previous_open(findings: Sequence[Finding], stale: Sequence[Finding]) -> list[Finding]:
    """The open set a run leaves behind: its open findings plus what it carried as stale."""
    out = {f.uid: f for f in stale if is_open(f)}
    out.update({f.uid: f for f in findings if is_open(f)})
    return list(out.values())
