"""The read-only OCI policy a scan needs, per API call.

``docs/permissions/oci-policy.txt`` ships the same statements for a group
(``cloudposture-readers``: rename it to yours); a test keeps the file equal to
:func:`policy_statements`, and another checks that every call a scan makes against the fake
API is listed here. Only ``inspect`` and ``read`` verbs: the scan never changes anything.
``read keys`` lets the scan see a key's state and rotation, not use it to decrypt.
"""

from __future__ import annotations

from collections.abc import Mapping

GROUP = "cloudposture-readers"

GRANTS_BY_CALL: Mapping[str, str] = {
    "identity:ListRegionSubscriptions": "inspect tenancies",
    "identity:ListCompartments": "inspect compartments",
    "identity:ListDynamicGroups": "inspect dynamic-groups",
    "identity:ListPolicies": "inspect policies",
    "containerengine:ListClusters": "inspect clusters",
    "containerengine:GetCluster": "read clusters",
    "containerengine:GetClusterOptions": "inspect clusters",
    "containerengine:ListNodePools": "inspect cluster-node-pools",
    "containerengine:GetNodePool": "read cluster-node-pools",
    "core:GetSubnet": "read subnets",
    "core:GetSecurityList": "read security-lists",
    "core:ListNetworkSecurityGroupSecurityRules": "read network-security-groups",
    "core:GetInstance": "read instances",
    "kms:ListVaults": "inspect vaults",
    "kms:GetKey": "read keys",
    "logging:ListLogGroups": "inspect log-groups",
    "logging:ListLogs": "read log-groups",
}


_VERB_ORDER = ("inspect", "read")


def policy_statements(group: str = GROUP) -> list[str]:
    """One ``Allow`` per resource type with the strongest verb any call needs (``read``
    includes ``inspect``), tenancy-wide, sorted by resource type."""
    strongest: dict[str, str] = {}
    for grant in GRANTS_BY_CALL.values():
        verb, resource = grant.split(" ", 1)
        current = strongest.get(resource, verb)
        strongest[resource] = max(current, verb, key=_VERB_ORDER.index)
    return [
        f"Allow group {group} to {strongest[resource]} {resource} in tenancy"
        for resource in sorted(strongest)
    ]


def main() -> None:
    """Print the policy file (``python -m cloudposture_oci.permissions``)."""
    print("\n".join(policy_statements()))  # noqa: T201 - the module's output


if __name__ == "__main__":
    main()
