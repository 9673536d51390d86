"""Run the neutral rules on collected OKE postures, as the engine will (NOT_APPLICABLE from
the plugin's declaration, every other rule's own check)."""

from __future__ import annotations

from cloudposture_oci.guidance import NOT_APPLICABLE

from cloudposture.model import ClusterPosture, Status
from cloudposture.rules.base import Outcome, RuleSettings
from cloudposture.rules.catalog import ALL_RULES

APPLICABLE = [r for r in ALL_RULES if r.meta.id not in NOT_APPLICABLE]


def outcomes(posture: ClusterPosture) -> dict[str, Outcome]:
    return {r.meta.id: r.check(posture, RuleSettings()) for r in APPLICABLE}


def with_status(posture: ClusterPosture, status: Status) -> set[str]:
    return {rule for rule, out in outcomes(posture).items() if out.status == status}
