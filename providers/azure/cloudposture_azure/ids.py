"""ARM resource ids taken apart: which subscription, resource group and name an id points at."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResourceId:
    """The parts of ``/subscriptions/S/resourceGroups/G/providers/NS/type/name[/child/name]``."""

    subscription: str
    resource_group: str
    names: tuple[str, ...]
    """type/name pairs after the provider namespace, flattened: (type, name, child, name, ...)."""

    @property
    def name(self) -> str:
        return self.names[-1] if self.names else ""

    @property
    def parent_name(self) -> str:
        """The top-level resource's name (a VNet for a subnet id)."""
        return self.names[1] if len(self.names) >= 2 else ""


def parse(resource_id: str) -> ResourceId:
    """Parse an ARM id; segment names are matched case-insensitively, as ARM does."""
    parts = [p for p in resource_id.split("/") if p]
    lower = [p.lower() for p in parts]
    subscription = _after(parts, lower, "subscriptions")
    group = _after(parts, lower, "resourcegroups")
    names: tuple[str, ...] = ()
    if "providers" in lower:
        at = len(lower) - 1 - lower[::-1].index("providers")
        names = tuple(parts[at + 2 :])
    return ResourceId(subscription, group, names)


def _after(parts: list[str], lower: list[str], key: str) -> str:
    if key in lower:
        at = lower.index(key)
        if at + 1 < len(parts):
            return parts[at + 1]
    return ""


def scope_kind(scope: str) -> str:
    """root, management-group, subscription, resource-group or resource, for a role scope."""
    parts = [p.lower() for p in scope.split("/") if p]
    if not parts:
        return "root"
    if parts[:3] == ["providers", "microsoft.management", "managementgroups"]:
        return "management-group"
    if parts[0] == "subscriptions":
        if len(parts) == 2:
            return "subscription"
        if len(parts) == 4 and parts[2] == "resourcegroups":
            return "resource-group"
        return "resource"
    return "resource"
