"""The tenancy's compartment tree: names resolved the way policy statements use them (pure).

A statement's ``in compartment A:B`` names a path relative to the compartment the policy is
attached to; ``in compartment id <ocid>`` names one directly. A grant in a compartment also
covers every compartment below it, so "does this grant reach the nodes" is a walk up from
the nodes' compartment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cloudposture_oci.policy_grammar import Location


class CompartmentTree:
    def __init__(self, tenancy_id: str, compartments: Iterable[Mapping[str, Any]]) -> None:
        self.tenancy_id = tenancy_id
        self._parent: dict[str, str] = {}
        self._names: dict[str, str] = {tenancy_id: "(root)"}
        self._children: dict[str, dict[str, str]] = {}
        for c in compartments:
            ident, parent = str(c.get("id")), str(c.get("compartmentId") or tenancy_id)
            self._parent[ident] = parent
            self._names[ident] = str(c.get("name") or ident)
            self._children.setdefault(parent, {})[self._names[ident].lower()] = ident

    def ids(self) -> list[str]:
        """The root then every compartment read, in a stable order."""
        return [self.tenancy_id, *sorted(self._parent)]

    def name(self, compartment_id: str) -> str:
        return self._names.get(compartment_id, compartment_id)

    def resolve(self, location: Location, attached_to: str) -> str | None:
        """The compartment a statement's location names; None when it names none we know."""
        if location.tenancy:
            return self.tenancy_id
        if location.compartment_id:
            return location.compartment_id
        current = attached_to or self.tenancy_id
        for part in (location.compartment or "").split(":"):
            child = self._children.get(current, {}).get(part.lower())
            if child is None:
                return None
            current = child
        return current

    def contains(self, ancestor: str, compartment_id: str) -> bool:
        """True when ``compartment_id`` is ``ancestor`` or below it."""
        current: str | None = compartment_id
        seen: set[str] = set()
        while current is not None and current not in seen:
            if current == ancestor:
                return True
            seen.add(current)
            current = self._parent.get(current)
        return ancestor == self.tenancy_id
