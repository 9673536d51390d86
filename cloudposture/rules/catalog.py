"""The rule catalogue: every rule, listed explicitly, in report order.

No rule registers itself on import (STYLE.md: Checkov's lesson): adding a rule means adding
it to its row module's ``RULES`` and that module here, so the catalogue is readable in one
place and a rule cannot appear or vanish because of import order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from cloudposture.model import ConfigurationError
from cloudposture.rules import (
    exposure_path,
    logging_rules,
    network_policy,
    row1_api_server,
    row2_nodes,
    row3_cloud_api,
    row4_etcd,
    row5_encryption,
    version,
)
from cloudposture.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (
    *row1_api_server.RULES,
    *row2_nodes.RULES,
    *row3_cloud_api.RULES,
    *row4_etcd.RULES,
    *row5_encryption.RULES,
    *logging_rules.RULES,
    *version.RULES,
    *network_policy.RULES,
    *exposure_path.RULES,
)

RULES_BY_ID: Mapping[str, Rule] = MappingProxyType({r.meta.id: r for r in ALL_RULES})


def get_rule(rule_id: str) -> Rule:
    """The rule with this id; ``KeyError`` naming the known ids when there is none."""
    try:
        return RULES_BY_ID[rule_id]
    except KeyError:
        known = ", ".join(RULES_BY_ID)
        raise KeyError(f"unknown rule id '{rule_id}'; known ids: {known}") from None


def select_rules(only: Sequence[str], skip: Sequence[str]) -> list[Rule]:
    """The catalogue filtered by ``--rule`` / ``--skip-rule``; unknown ids are an error."""
    if any(not i.strip() for i in [*only, *skip]):
        raise ConfigurationError(
            "empty rule id in --rule/--skip-rule (see 'cloudposture rules list')"
        )
    wanted = [i.upper() for i in only]
    unwanted = {i.upper() for i in skip}
    unknown = [i for i in [*wanted, *unwanted] if i not in RULES_BY_ID]
    if unknown:
        raise ConfigurationError(
            f"unknown rule id(s): {', '.join(unknown)} (see 'cloudposture rules list')"
        )
    chosen = [r for r in ALL_RULES if (not wanted or r.meta.id in wanted)]
    chosen = [r for r in chosen if r.meta.id not in unwanted]
    if not chosen:
        raise ConfigurationError("no rules left to run after --rule/--skip-rule")
    return chosen
