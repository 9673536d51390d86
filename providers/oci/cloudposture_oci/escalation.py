"""Which OCI grants make a node admin-equivalent: the grants that let it make itself admin (pure).

The table is read from OCI's policy reference ("Details for IAM", with and without identity
domains), whose verb tables are cumulative (inspect < read < use < manage). It lists only the
permissions that matter here, and the least verb that holds each on its resource type (a verb
on ``all-resources`` holds what it holds on every type: ``use all-resources`` holds
``USER_UPDATE``, ``GROUP_UPDATE`` and ``DYNAMIC_GROUP_UPDATE``). IAM has no family
resource-type (the reference says so), so there is no ``identity-family`` to add.

A node is admin-equivalent when what its broad grants hold, where they reach, completes a path
(several statements may add up to one: ``use users`` and ``use groups`` in the tenancy):

====================================  ============  ===============================================
holds                                 reaching      why
====================================  ============  ===============================================
``manage all-resources``              the nodes     every permission
POLICY_CREATE (manage policies)       the nodes     writes itself a policy granting anything there
POLICY_UPDATE (manage policies)       the nodes     rewrites a policy there to grant itself anything
DYNAMIC_GROUP_UPDATE (use             the tenancy   rewrites a dynamic group's matching rule to take
dynamic-groups)                                     in the nodes, and with it that group's grants
USER_UPDATE + USER_APIKEY_ADD         the tenancy   uploads an API key to an Administrators member
(manage users)                                      and signs requests as that user
USER_UPDATE + USER_UIPASS_RESET       the tenancy   resets an Administrators member's console
(manage users)                                      password
USER_UPDATE + GROUP_UPDATE            the tenancy   adds any user to any group, Administrators
(use users + use groups)                            included (``AddUserToGroup`` needs both)
``manage domains``                    the tenancy   administers the identity domains' users and
                                                    groups (OCI lists it beside the Identity Domain
                                                    Administrator role)
====================================  ============  ===============================================

"The nodes" is the tenancy or a compartment that contains the nodes' compartment: a policy
written in a compartment grants only there. "The tenancy" is the root compartment only: users,
groups and dynamic groups (and the Default identity domain, which holds the Administrators
group) live there, so a grant on them in a child compartment reaches none of those. Creating
or deleting a group or dynamic group is not on the list: a new group holds no grant (policies
name groups by OCID), and a deletion grants nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from cloudposture_oci.policy_grammar import VERBS, Statement

Reaching = Literal["nodes", "tenancy"]
ALL_RESOURCES = "manage all-resources"
MANAGE_DOMAINS = "manage domains"

# What the table needs: permission (or verb-level grant) -> (resource type, least verb).
HELD_BY: dict[str, tuple[str, str]] = {
    "POLICY_CREATE": ("policies", "manage"),
    "POLICY_UPDATE": ("policies", "manage"),
    "DYNAMIC_GROUP_UPDATE": ("dynamic-groups", "use"),
    "GROUP_UPDATE": ("groups", "use"),
    "USER_UPDATE": ("users", "use"),
    "USER_APIKEY_ADD": ("users", "manage"),
    "USER_UIPASS_RESET": ("users", "manage"),
    MANAGE_DOMAINS: ("domains", "manage"),
}


@dataclass(frozen=True)
class Path:
    """A set of holdings that together let the holder make itself admin."""

    needs: frozenset[str]
    reaching: Reaching
    why: str
    """Empty for ``manage all-resources``: the statement says it all."""


def _path(needs: str, reaching: Reaching, why: str) -> Path:
    return Path(frozenset(needs.split(" + ")), reaching, why)


PATHS = (
    _path(ALL_RESOURCES, "nodes", ""),
    _path(
        "POLICY_CREATE", "nodes", "POLICY_CREATE: can write itself a policy granting anything there"
    ),
    _path(
        "POLICY_UPDATE",
        "nodes",
        "POLICY_UPDATE: can rewrite a policy there to grant itself anything",
    ),
    _path(
        "DYNAMIC_GROUP_UPDATE",
        "tenancy",
        "DYNAMIC_GROUP_UPDATE in the tenancy: can rewrite any dynamic group's matching rule to "
        "take in the nodes, and with it that group's grants (an admin group's included)",
    ),
    _path(
        "USER_UPDATE + USER_APIKEY_ADD",
        "tenancy",
        "USER_UPDATE + USER_APIKEY_ADD in the tenancy: can upload an API key to an "
        "Administrators member and call OCI as that user",
    ),
    _path(
        "USER_UPDATE + USER_UIPASS_RESET",
        "tenancy",
        "USER_UPDATE + USER_UIPASS_RESET in the tenancy: can reset an Administrators member's "
        "console password",
    ),
    _path(
        "USER_UPDATE + GROUP_UPDATE",
        "tenancy",
        "USER_UPDATE + GROUP_UPDATE in the tenancy: can add any user to any group, "
        "Administrators included",
    ),
    _path(
        MANAGE_DOMAINS,
        "tenancy",
        "manage domains in the tenancy: can administer the identity domains' users and groups, "
        "Administrators included",
    ),
)


@dataclass(frozen=True)
class Reach:
    """One statement granted to the nodes: what it holds of the table, and where it reaches."""

    statement: Statement
    holds: frozenset[str]
    tenancy: bool
    """Reaches the root compartment (users, groups, dynamic groups, the Default domain)."""
    nodes: bool
    """Reaches a compartment that contains the nodes (the tenancy does)."""


def holdings(statement: Statement) -> frozenset[str]:
    """What an Allow statement holds of the table, its condition aside."""
    if statement.permissions:
        return frozenset(p for p in statement.permissions if p in HELD_BY)
    if statement.verb not in VERBS:
        return frozenset()
    rank = VERBS.index(statement.verb)
    held = {
        name
        for name, (resource, least) in HELD_BY.items()
        if statement.resource_type in (resource, "all-resources") and rank >= VERBS.index(least)
    }
    if statement.verb == "manage" and statement.resource_type == "all-resources":
        held.add(ALL_RESOURCES)
    return frozenset(held)


def completed(grants: Sequence[Reach]) -> list[tuple[Path, list[Reach]]]:
    """Every path the grants complete, with the grants that hold a part of it."""
    out: list[tuple[Path, list[Reach]]] = []
    for path in PATHS:
        reaching = [g for g in grants if (g.tenancy if path.reaching == "tenancy" else g.nodes)]
        held = frozenset().union(*(g.holds for g in reaching))
        if path.needs <= held:
            out.append((path, [g for g in reaching if g.holds & path.needs]))
    return out
