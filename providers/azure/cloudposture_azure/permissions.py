"""The exact read-only Azure RBAC actions an AKS scan uses, per ARM call, and the one
Microsoft Graph permission it uses.

``docs/permissions/azure-custom-role.json`` ships the same list as a custom role definition
(whose description names the Graph permission, which no Azure role can grant); a test keeps
the two in sync and checks every call the adapter records is listed here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

CALLS: Mapping[str, str] = {
    "subscription:Subscriptions.List": "Microsoft.Resources/subscriptions/read",
    # only with --management-group; granted by assigning the role at that group (with the
    # group's id in AssignableScopes), which also covers every subscription below it
    "managementgroups:ManagementGroups.GetDescendants": (
        "Microsoft.Management/managementGroups/descendants/read"
    ),
    "containerservice:ManagedClusters.List": "Microsoft.ContainerService/managedClusters/read",
    "containerservice:ManagedClusters.Get": "Microsoft.ContainerService/managedClusters/read",
    "containerservice:AgentPools.List": (
        "Microsoft.ContainerService/managedClusters/agentPools/read"
    ),
    "containerservice:ManagedClusters.ListKubernetesVersions": (
        "Microsoft.ContainerService/locations/kubernetesVersions/read"
    ),
    "network:Subnets.Get": "Microsoft.Network/virtualNetworks/subnets/read",
    "network:NetworkSecurityGroups.Get": "Microsoft.Network/networkSecurityGroups/read",
    "network:NetworkSecurityGroups.List": "Microsoft.Network/networkSecurityGroups/read",
    "authorization:RoleAssignments.ListForSubscription": (
        "Microsoft.Authorization/roleAssignments/read"
    ),
    "authorization:RoleDefinitions.GetById": "Microsoft.Authorization/roleDefinitions/read",
    "monitor:DiagnosticSettings.List": "Microsoft.Insights/diagnosticSettings/read",
    "keyvault:Vaults.ListBySubscription": "Microsoft.KeyVault/vaults/read",
    "keyvault:Keys.GetVersion": "Microsoft.KeyVault/vaults/keys/versions/read",
    "keyvault:Keys.Get": "Microsoft.KeyVault/vaults/keys/read",
}

ACTIONS: tuple[str, ...] = tuple(sorted(set(CALLS.values())))

GRAPH_CALLS: Mapping[str, str] = {
    # only for clusters that use a service principal (its object id, from its application id);
    # Directory.Read.All also grants it
    "graph:ServicePrincipals.GetByAppId": "Application.Read.All",
}
"""Microsoft Graph application permissions (granted in Entra ID, not by an Azure role)."""
GRAPH_PERMISSIONS: tuple[str, ...] = tuple(sorted(set(GRAPH_CALLS.values())))


def custom_role(
    assignable_scope: str = "/subscriptions/00000000-0000-0000-0000-000000000000",
) -> dict[str, Any]:
    """The custom role definition (``az role definition create --role-definition``)."""
    return {
        "Name": "cloudposture AKS reader",
        "IsCustom": True,
        "Description": (
            "Read-only access cloudposture needs to judge AKS clusters against the Kubernetes "
            "infrastructure table. Grants no data-plane access and no write. Clusters that use "
            "a service principal also need the Microsoft Graph application permission "
            f"{' or '.join(GRAPH_PERMISSIONS)} (or Directory.Read.All), granted to the "
            "scanning identity in Entra ID."
        ),
        "Actions": list(ACTIONS),
        "NotActions": [],
        "DataActions": [],
        "NotDataActions": [],
        "AssignableScopes": [assignable_scope],
    }


def custom_role_json() -> str:
    return json.dumps(custom_role(), indent=2) + "\n"
