"""Which subscriptions to scan: the ones named, plus every subscription below a management group.

The Management Groups API's descendants list is already recursive (every group and every
subscription anywhere below the group, paged with nextLink), so one paged listing per group
names the whole tree and nothing needs walking here. It carries no subscription state, so
one Subscriptions.List (the same call an all-visible scan makes) tells which of them are
Disabled or Deleted: those are skipped with a note, never scanned into a wall of errors.

A group that cannot be listed is not the end of the scan and not "zero subscriptions": its
:class:`CollectionError` (kind ``denied`` for a 403) is kept, and the adapter turns it into a
failed unit of its own, so the coverage names the group and the other groups still scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cloudposture.model import CollectionError
from cloudposture_azure.errors import AZURE_ERRORS, collection_error

GROUP_PREFIX = "/providers/Microsoft.Management/managementGroups/"
DESCENDANTS = "managementgroups:ManagementGroups.GetDescendants"
SUBSCRIPTIONS = "subscription:Subscriptions.List"
SKIPPED_STATES = frozenset({"disabled", "deleted"})
"""Subscription states whose clusters cannot be scanned (and are not running)."""

Body = Mapping[str, Any]


def group_name(value: str) -> str:
    """``corp`` from ``corp`` or from its ARM id ``/providers/.../managementGroups/corp``."""
    text = value.strip().rstrip("/")
    if text.lower().startswith(GROUP_PREFIX.lower()):
        return text[len(GROUP_PREFIX) :]
    return text


def group_unit(name: str) -> str:
    """The label a group stands under in coverage when it could not be listed."""
    return f"managementGroups/{name}"


def subscriptions_in(descendants: Iterable[Body]) -> list[str]:
    """Subscription ids among descendant entries, in listing order.

    A subscription entry's type is ``Microsoft.Management/managementGroups/subscriptions``
    (``/subscriptions`` in older api-versions); its ``name`` is the subscription id.
    """
    out: list[str] = []
    for entry in descendants:
        if not str(entry.get("type") or "").lower().endswith("/subscriptions"):
            continue
        sub = str(entry.get("name") or "") or str(entry.get("id") or "").rsplit("/", 1)[-1]
        if sub:
            out.append(sub)
    return out


@dataclass(frozen=True)
class SubscriptionPlan:
    subscriptions: tuple[str, ...]
    """What to scan: the named subscriptions first, then each group's, each id once."""
    failed_groups: Mapping[str, CollectionError] = field(default_factory=dict)
    """Group name -> why it could not be listed."""
    skipped: Mapping[str, str] = field(default_factory=dict)
    """Subscription id -> why it is not scanned (Disabled / Deleted): a ``skipped`` unit."""
    notes: tuple[str, ...] = ()
    """Other things a reader of the scan should know (subscription states unreadable)."""


def plan_subscriptions(
    named: Sequence[str],
    groups: Sequence[str],
    descendants: Callable[[str], list[dict[str, Any]]],
    visible: Callable[[], list[dict[str, Any]]],
) -> SubscriptionPlan:
    """Resolve ``groups`` with ``descendants`` (one group's listing) and ``visible`` (the
    Subscriptions.List bodies, for states); both may raise an Azure SDK error.

    A subscription named explicitly is scanned whatever its state: the user asked for it.
    """
    failed: dict[str, CollectionError] = {}
    below: list[tuple[str, str]] = []
    for group in dict.fromkeys(group_name(g) for g in groups if group_name(g)):
        try:
            below.extend((sub, group) for sub in subscriptions_in(descendants(group)))
        except AZURE_ERRORS as exc:
            failed[group] = collection_error(exc, DESCENDANTS, GROUP_PREFIX + group, [])
    chosen = _unique(named)
    seen = {s.lower() for s in chosen}
    found: list[tuple[str, str]] = []
    for sub, group in below:
        if sub.lower() not in seen:
            seen.add(sub.lower())
            found.append((sub, group))
    notes: list[str] = []
    skipped: dict[str, str] = {}
    states = _states(visible, notes) if found else {}
    for sub, group in found:
        state, display = states.get(sub.lower(), ("", ""))
        if state.lower() in SKIPPED_STATES:
            shown = f" ({display})" if display else ""
            skipped[sub] = f"subscription{shown} below management group {group} is {state}"
            continue
        chosen.append(sub)
    return SubscriptionPlan(tuple(chosen), failed, skipped, tuple(notes))


def _unique(values: Iterable[str]) -> list[str]:
    """Each id once (subscription ids are GUIDs: compared case-insensitively), first kept."""
    out: dict[str, str] = {}
    for value in values:
        text = value.strip()
        if text:
            out.setdefault(text.lower(), text)
    return list(out.values())


def _states(
    visible: Callable[[], list[dict[str, Any]]], notes: list[str]
) -> dict[str, tuple[str, str]]:
    """Subscription id (lower case) -> (state, display name); empty when unreadable."""
    try:
        listed = visible()
    except AZURE_ERRORS as exc:
        error = collection_error(exc, SUBSCRIPTIONS, "tenant", [])
        notes.append(
            f"subscription states unknown ({error.one_line()}): every subscription below the "
            "management groups is scanned, Disabled ones included"
        )
        return {}
    return {
        str(s.get("subscriptionId") or "").lower(): (
            str(s.get("state") or ""),
            str(s.get("displayName") or ""),
        )
        for s in listed
    }
