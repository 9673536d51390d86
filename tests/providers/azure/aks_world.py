"""ARM-shaped fixtures: the issue's cluster set, served by the fake at the SDKs' api-versions.

Clusters in subscription SUB (westeurope), what each deserves, and why:

- ``hardened``: private, Entra ID only, pool on a BYO subnet whose NSG lets the internet reach
  only a LoadBalancer Service port, kubelet identity a Reader, KMS key usable and rotating,
  every control-plane log shipped, Cilium policy, workload identity, an admin SSH key but
  SSH turned off on its pool (sshAccess Disabled). No FAIL.
- ``public-wide``: public with no authorized ranges, local accounts on and no Entra ID, node
  public IPs, an NSG opening 22, 10250 and 8080 to the internet, kubelet identity Contributor
  and cluster identity Owner on the subscription, no OIDC, no KMS, no diagnostic setting,
  1.27 (no longer offered), no network policy, an admin SSH key its pool accepts (sshAccess
  LocalUser by default).
- ``public-narrow``: authorized ranges /24 and private; pools only from AgentPools.List; an NSG
  whose Deny 22 at priority 100 hides an Allow 22 at 200; kubelet Contributor on one resource
  group only; KMS key unreadable (403); only kube-apiserver logs; OIDC without workload
  identity.
- ``public-broad``: authorized range /22; shares the hardened subnet (read once); NodePort
  range open; KMS key expired; allLogs; 1.28 only under long-term support.

Subscription DENIED answers the cluster list with 403 AuthorizationFailed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from azure.mgmt.authorization.v2022_04_01 import models as auth_models
from azure.mgmt.containerservice import models as cs_models
from azure.mgmt.keyvault import models as kv_models
from azure.mgmt.monitor.v2021_05_01_preview import models as mon_models
from azure.mgmt.network import models as net_models
from azure.mgmt.subscription import models as sub_models

from tests.providers.azure.aks_fake import FakeArm

CS = "2026-08-01"
NET = "2026-03-01"
AUTH = "2022-04-01"
MON = "2021-05-01-preview"
SUBS = "2016-06-01"  # Subscriptions.List in azure-mgmt-subscription 3.x
KV = "2026-05-15"

SUB = "5a3f2c1e-0000-4000-8000-000000000001"
DENIED = "5a3f2c1e-0000-4000-8000-000000000002"
LOCATION = "westeurope"
RG = "apps"

OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"


def rid(group: str, kind: str, name: str, sub: str = SUB) -> str:
    """An ARM resource id in ``group``."""
    return f"/subscriptions/{sub}/resourceGroups/{group}/providers/{kind}/{name}"


SUBNET = rid("net-rg", "Microsoft.Network/virtualNetworks", "hub-vnet/subnets/nodes")
SUBNET_NSG = rid("net-rg", "Microsoft.Network/networkSecurityGroups", "nodes-nsg")
KEY_HARD = "https://hardkv.vault.azure.net/keys/etcd/0a1b2c3d"
KEY_NARROW = "https://narrowkv.vault.azure.net/keys/etcd/11aa22bb"
KEY_BROAD = "https://broadkv.vault.azure.net/keys/etcd/99ff88ee"
NOW_EPOCH = 1_767_225_600  # 2026-01-01
YEAR = 365 * 24 * 3600

EXPECTED_FAILS: dict[str, set[str]] = {
    "hardened": set(),
    "public-wide": {
        "CP-001", "CP-002", "CP-003", "CP-004", "NODE-001", "NODE-002", "NODE-003",
        "IAM-001", "IAM-002", "IAM-005", "ENC-001", "LOG-001", "LOG-002", "VER-001",
        "NET-001", "PATH-001",
    },
    "public-narrow": {"CP-002", "IAM-005", "LOG-001", "LOG-002"},
    "public-broad": {"CP-002", "CP-003", "ENC-002", "VER-001"},
}  # fmt: skip


def cluster_id(name: str) -> str:
    return rid(RG, "Microsoft.ContainerService/managedClusters", name)


def node_rg(name: str) -> str:
    return f"MC_{RG}_{name}_{LOCATION}"


def pool(
    name: str, public_ip: bool = False, subnet: str | None = None, ssh: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "count": 3,
        "vmSize": "Standard_D4s_v5",
        "osType": "Linux",
        "mode": "System",
        "type": "VirtualMachineScaleSets",
        "enableNodePublicIP": public_ip,
        "orchestratorVersion": "1.30.4",
    }
    if subnet:
        body["vnetSubnetID"] = subnet
    if ssh:
        body["securityProfile"] = {"sshAccess": ssh}
    return body


def addon_identity(name: str, object_id: str) -> dict[str, Any]:
    """An add-on's user-assigned identity as ARM shows it (AKS puts it on the node pools)."""
    return {
        "resourceId": f"/subscriptions/{SUB}/resourceGroups/{node_rg(name)}/providers/"
        f"Microsoft.ManagedIdentity/userAssignedIdentities/azurekeyvaultsecretsprovider-{name}",
        "clientId": f"client-{object_id}",
        "objectId": object_id,
    }


def cluster(
    name: str,
    *,
    version: str = "1.30.4",
    access: dict[str, Any] | None = None,
    aad: bool = True,
    disable_local: bool | None = True,
    pools: list[dict[str, Any]] | None = None,
    identity: dict[str, Any] | None = None,
    kubelet: str = "",
    security: dict[str, Any] | None = None,
    oidc: bool = True,
    network: dict[str, Any] | None = None,
    addons: dict[str, Any] | None = None,
    ssh_key: bool = False,
) -> dict[str, Any]:
    props: dict[str, Any] = {
        "provisioningState": "Succeeded",
        "kubernetesVersion": version,
        "currentKubernetesVersion": version,
        "dnsPrefix": name,
        "fqdn": f"{name}-dns.hcp.{LOCATION}.azmk8s.io",
        "agentPoolProfiles": [pool("system")] if pools is None else pools,
        "nodeResourceGroup": node_rg(name),
        "enableRBAC": True,
        "networkProfile": network or {"networkPlugin": "azure"},
        "oidcIssuerProfile": {"enabled": oidc},
        "identityProfile": {
            "kubeletidentity": {
                "resourceId": f"/subscriptions/{SUB}/resourceGroups/{node_rg(name)}/providers/"
                f"Microsoft.ManagedIdentity/userAssignedIdentities/{name}-agentpool",
                "clientId": f"client-{kubelet}",
                "objectId": kubelet,
            }
        },
    }
    if access is not None:
        props["apiServerAccessProfile"] = access
    if aad:
        props["aadProfile"] = {"managed": True, "enableAzureRBAC": True, "tenantID": "tenant-1"}
    if disable_local is not None:
        props["disableLocalAccounts"] = disable_local
    if security is not None:
        props["securityProfile"] = security
    if addons is not None:
        props["addonProfiles"] = addons
    if ssh_key:
        key = {"keyData": f"ssh-rsa AAAAB3NzaC1yc2E {name}-admin"}
        props["linuxProfile"] = {"adminUsername": "azureuser", "ssh": {"publicKeys": [key]}}
    return {
        "id": cluster_id(name),
        "name": name,
        "type": "Microsoft.ContainerService/ManagedClusters",
        "location": LOCATION,
        "tags": {"env": "test"},
        "sku": {"name": "Base", "tier": "Standard"},
        "identity": identity or {"type": "SystemAssigned", "principalId": f"cp-{name}",
                                 "tenantId": "tenant-1"},
        "properties": props,
    }  # fmt: skip


def kms(key_id: str) -> dict[str, Any]:
    return {"enabled": True, "keyId": key_id, "keyVaultNetworkAccess": "Public"}


def security(key_id: str | None, workload_identity: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {"workloadIdentity": {"enabled": workload_identity}}
    if key_id:
        body["azureKeyVaultKms"] = kms(key_id)
    return body


_DEFAULT_RULES = [
    ("AllowVnetInBound", 65000, "Allow", "*", "VirtualNetwork", "*"),
    ("AllowAzureLoadBalancerInBound", 65001, "Allow", "*", "AzureLoadBalancer", "*"),
    ("DenyAllInBound", 65500, "Deny", "*", "*", "*"),
]


def nsg(sub: str, group: str, name: str, rules: list[tuple[Any, ...]]) -> dict[str, Any]:
    base = rid(group, "Microsoft.Network/networkSecurityGroups", name, sub)

    def rule(spec: tuple[Any, ...], kind: str) -> dict[str, Any]:
        rname, priority, access, protocol, source, ports = spec
        port_key = "destinationPortRanges" if isinstance(ports, list) else "destinationPortRange"
        return {
            "name": rname,
            "id": f"{base}/{kind}/{rname}",
            "properties": {
                "protocol": protocol,
                "sourcePortRange": "*",
                port_key: ports,
                "sourceAddressPrefix": source,
                "destinationAddressPrefix": "*",
                "access": access,
                "priority": priority,
                "direction": "Inbound",
                "provisioningState": "Succeeded",
            },
        }

    return {
        "id": base,
        "name": name,
        "type": "Microsoft.Network/networkSecurityGroups",
        "location": LOCATION,
        "properties": {
            "securityRules": [rule(r, "securityRules") for r in rules],
            "defaultSecurityRules": [rule(r, "defaultSecurityRules") for r in _DEFAULT_RULES],
            "provisioningState": "Succeeded",
        },
    }


def role_definition_id(guid: str, sub: str = SUB) -> str:
    return f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{guid}"


def assignment(scope: str, guid: str, principal: str, n: int, sub: str = SUB) -> dict[str, Any]:
    name = f"{n:08d}-0000-4000-8000-000000000000"
    return {
        "id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}",
        "name": name,
        "type": "Microsoft.Authorization/roleAssignments",
        "properties": {
            "roleDefinitionId": role_definition_id(guid, sub),
            "principalId": principal,
            "principalType": "ServicePrincipal",
            "scope": scope,
        },
    }


def role_definition(
    guid: str,
    name: str,
    actions: list[str],
    sub: str = SUB,
    *,
    not_actions: list[str] | None = None,
    data_actions: list[str] | None = None,
    custom: bool = False,
    assignable_scopes: list[str] | None = None,
) -> dict[str, Any]:
    """A RoleDefinition as ARM returns it (RoleDefinitions.GetById, api-version 2022-04-01)."""
    return {
        "id": role_definition_id(guid, sub),
        "name": guid,
        "type": "Microsoft.Authorization/roleDefinitions",
        "properties": {
            "roleName": name,
            "type": "CustomRole" if custom else "BuiltInRole",
            "description": name,
            "assignableScopes": assignable_scopes or ["/"],
            "permissions": [
                {
                    "actions": actions,
                    "notActions": not_actions or [],
                    "dataActions": data_actions or [],
                    "notDataActions": [],
                }
            ],
        },
    }


def diagnostic(name: str, cid: str, logs: list[dict[str, Any]], **where: str) -> dict[str, Any]:
    return {
        "id": f"{cid}/providers/microsoft.insights/diagnosticSettings/{name}",
        "name": name,
        "type": "Microsoft.Insights/diagnosticSettings",
        "properties": {**where, "logs": [{**log, "enabled": True} for log in logs]},
    }


WORKSPACE = rid("ops", "Microsoft.OperationalInsights/workspaces", "aks-logs")
STORAGE = rid("ops", "Microsoft.Storage/storageAccounts", "akslogs")


def versions() -> dict[str, Any]:
    def entry(minor: str, plans: list[str]) -> dict[str, Any]:
        return {
            "version": minor,
            "capabilities": {"supportPlan": plans},
            "isPreview": False,
            "patchVersions": {f"{minor}.4": {"upgrades": []}},
        }

    return {
        "values": [
            entry("1.28", ["AKSLongTermSupport"]),
            entry("1.29", ["KubernetesOfficial", "AKSLongTermSupport"]),
            entry("1.30", ["KubernetesOfficial"]),
            entry("1.31", ["KubernetesOfficial"]),
        ]
    }


def vault(name: str, group: str) -> dict[str, Any]:
    return {
        "id": rid(group, "Microsoft.KeyVault/vaults", name),
        "name": name,
        "type": "Microsoft.KeyVault/vaults",
        "location": LOCATION,
        "properties": {
            "tenantId": "00000000-0000-0000-0000-0000000000aa",
            "sku": {"family": "A", "name": "standard"},
            "vaultUri": f"https://{name}.vault.azure.net/",
            "enableRbacAuthorization": True,
        },
    }


def key(vault_id: str, key_name: str, version: str | None, **attributes: Any) -> dict[str, Any]:
    kid = f"{vault_id}/keys/{key_name}" + (f"/versions/{version}" if version else "")
    return {
        "id": kid,
        "name": version or key_name,
        "type": "Microsoft.KeyVault/vaults/keys" + ("/versions" if version else ""),
        "properties": {"kty": "RSA", "keySize": 2048, "attributes": attributes},
    }


def rotating(body: dict[str, Any], after: str = "P90D") -> dict[str, Any]:
    body["properties"]["rotationPolicy"] = {
        "lifetimeActions": [
            {"trigger": {"timeAfterCreate": after}, "action": {"type": "rotate"}},
        ]
    }
    return body


def clusters() -> list[dict[str, Any]]:
    kubenet = {"networkPlugin": "kubenet"}
    return [
        cluster(
            "hardened",
            access={"enablePrivateCluster": True, "privateDNSZone": "system"},
            pools=[pool("system", subnet=SUBNET, ssh="Disabled")],
            kubelet="k-hardened",
            ssh_key=True,
            security=security(KEY_HARD),
            addons={
                "azureKeyvaultSecretsProvider": {
                    "enabled": True,
                    "config": {"enableSecretRotation": "true"},
                    "identity": addon_identity("hardened", "kv-hardened"),
                },
                # a disabled add-on's identity is on no node
                "omsagent": {"enabled": False, "identity": addon_identity("hardened", "oms")},
            },
            network={"networkPlugin": "azure", "networkPolicy": "cilium",
                     "networkDataplane": "cilium"},
        ),
        cluster(
            "public-wide",
            version="1.27.9",
            aad=False,
            disable_local=None,
            pools=[pool("nodes", public_ip=True)],
            kubelet="k-public-wide",
            ssh_key=True,
            oidc=False,
            network=kubenet,
        ),
        cluster(
            "public-narrow",
            access={"authorizedIPRanges": ["203.0.113.0/24", "10.20.0.0/16"]},
            pools=[],
            identity={
                "type": "UserAssigned",
                "userAssignedIdentities": {
                    f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ManagedIdentity/"
                    "userAssignedIdentities/narrow-cp": {
                        "principalId": "cp-public-narrow", "clientId": "c-narrow"},
                },
            },
            kubelet="k-public-narrow",
            security=security(KEY_NARROW, workload_identity=False),
            network={"networkPlugin": "azure", "networkPolicy": "azure"},
        ),
        cluster(
            "public-broad",
            version="1.28.5",
            access={"authorizedIPRanges": ["198.51.100.0/22"]},
            pools=[pool("system", subnet=SUBNET)],
            kubelet="k-public-broad",
            security=security(KEY_BROAD),
            network={"networkPlugin": "azure", "networkPolicy": "calico"},
        ),
    ]  # fmt: skip


def lb_rule(priority: int, port: str) -> tuple[Any, ...]:
    return ("k8s-azure-lb_allow_IPv4_0123abcd", priority, "Allow", "Tcp", "Internet", port)


def serve_world(fake: FakeArm, page_size: int = 2) -> None:
    """Register every route the issue's cluster set needs."""
    sub_base = f"/subscriptions/{SUB}"
    fake.add_list(
        "/subscriptions",
        SUBS,
        [
            {"id": sub_base, "subscriptionId": SUB, "displayName": "apps", "state": "Enabled"},
            {"id": f"/subscriptions/{DENIED}", "subscriptionId": DENIED,
             "displayName": "locked", "state": "Enabled"},
            {"id": "/subscriptions/off", "subscriptionId": "off", "displayName": "old",
             "state": "Disabled"},
        ],
        sub_models.Subscription,
    )  # fmt: skip
    cs_list = f"{sub_base}/providers/Microsoft.ContainerService/managedClusters"
    fake.add_list(cs_list, CS, clusters(), cs_models.ManagedCluster, page_size=page_size)
    fake.fail(
        f"/subscriptions/{DENIED}/providers/Microsoft.ContainerService/managedClusters",
        CS,
        403,
        "AuthorizationFailed",
    )
    fake.add(
        f"{sub_base}/providers/Microsoft.ContainerService/locations/{LOCATION}/kubernetesVersions",
        CS,
        versions(),
        cs_models.KubernetesVersionListResult,
    )
    fake.add_list(
        f"{cluster_id('public-narrow')}/agentPools",
        CS,
        [
            {"id": f"{cluster_id('public-narrow')}/agentPools/{n}", "name": n,
             "type": "Microsoft.ContainerService/managedClusters/agentPools",
             "properties": {k: v for k, v in pool(n).items() if k != "name"}}
            for n in ("pool1", "pool2")
        ],
        cs_models.AgentPool,
        page_size=1,
    )  # fmt: skip
    _serve_network(fake)
    _serve_roles(fake)
    _serve_diagnostics(fake)
    _serve_keys(fake)


def serve_subscription(
    fake: FakeArm, sub: str, bodies: list[dict[str, Any]], logs: list[dict[str, Any]]
) -> None:
    """A subscription of plain clusters: their list, the location's versions, and per
    cluster an NSG without rules of its own in the node resource group and a diagnostic
    setting shipping ``logs`` to the workspace (none when ``logs`` is empty)."""
    base = f"/subscriptions/{sub}"
    fake.add_list(
        f"{base}/providers/Microsoft.ContainerService/managedClusters",
        CS,
        bodies,
        cs_models.ManagedCluster,
    )
    fake.add(
        f"{base}/providers/Microsoft.ContainerService/locations/{LOCATION}/kubernetesVersions",
        CS,
        versions(),
        cs_models.KubernetesVersionListResult,
    )
    for body in bodies:
        group, cid = node_rg(str(body["name"])), str(body["id"])
        fake.add_list(
            rid(group, "Microsoft.Network", "networkSecurityGroups", sub),
            NET,
            [nsg(sub, group, "aks-agentpool-nsg", [])],
            net_models.NetworkSecurityGroup,
        )
        settings = [diagnostic("all", cid, logs, workspaceId=WORKSPACE)] if logs else []
        fake.add_list(
            f"{cid}/providers/Microsoft.Insights/diagnosticSettings",
            MON,
            settings,
            mon_models.DiagnosticSettingsResource,
        )


def _serve_network(fake: FakeArm) -> None:
    subnet = {
        "id": SUBNET,
        "name": "nodes",
        "properties": {"addressPrefix": "10.1.0.0/16", "networkSecurityGroup": {"id": SUBNET_NSG}},
    }
    fake.add(SUBNET, NET, subnet, net_models.Subnet)
    fake.add(
        SUBNET_NSG,
        NET,
        nsg(SUB, "net-rg", "nodes-nsg", [
            ("https-from-vnet", 100, "Allow", "Tcp", "VirtualNetwork", "443"),
            lb_rule(500, "80"),
            ("deny-internet", 4000, "Deny", "*", "Internet", "*"),
            ("too-late", 4001, "Allow", "Tcp", "Internet", "22"),
        ]),
        net_models.NetworkSecurityGroup,
    )  # fmt: skip
    groups: dict[str, list[dict[str, Any]]] = {
        "hardened": [nsg(SUB, node_rg("hardened"), "aks-agentpool-1-nsg", [])],
        "public-wide": [
            nsg(SUB, node_rg("public-wide"), "aks-agentpool-2-nsg", [
                ("ssh-anywhere", 100, "Allow", "Tcp", "Internet", "22"),
                ("kubelet", 110, "Allow", "Tcp", "*", "10250"),
                ("app", 120, "Allow", "Tcp", "0.0.0.0/0", "8080"),
            ]),
            nsg(SUB, node_rg("public-wide"), "aks-extra-nsg", [lb_rule(500, "443")]),
        ],
        "public-narrow": [
            nsg(SUB, node_rg("public-narrow"), "aks-agentpool-3-nsg", [
                ("deny-ssh", 100, "Deny", "Tcp", "Internet", "22"),
                ("allow-ssh", 200, "Allow", "Tcp", "Internet", "22"),
                ("admin-only", 300, "Allow", "Tcp", "203.0.113.7/32", ["22", "3389"]),
            ]),
        ],
        "public-broad": [
            nsg(SUB, node_rg("public-broad"), "aks-agentpool-4-nsg", [
                ("nodeports", 300, "Allow", "Tcp", "Internet", "30000-32767"),
            ]),
        ],
    }  # fmt: skip
    for name, bodies in groups.items():
        path = rid(node_rg(name), "Microsoft.Network", "networkSecurityGroups")
        fake.add_list(path, NET, bodies, net_models.NetworkSecurityGroup, page_size=1)


def role_grants() -> dict[str, list[tuple[str, str]]]:
    """principal object id -> (scope, role GUID) of each of its assignments in SUB."""
    sub_scope = f"/subscriptions/{SUB}"
    return {
        "k-hardened": [(sub_scope, READER)],
        "kv-hardened": [(sub_scope, READER)],
        "cp-hardened": [(f"{sub_scope}/resourceGroups/net-rg", NETWORK_CONTRIBUTOR)],
        "k-public-wide": [(sub_scope, CONTRIBUTOR)],
        "cp-public-wide": [(sub_scope, OWNER)],
        "k-public-narrow": [(f"{sub_scope}/resourceGroups/{RG}", CONTRIBUTOR)],
        "cp-public-narrow": [],
        "k-public-broad": [],
        "cp-public-broad": [(f"{sub_scope}/resourceGroups/net-rg", NETWORK_CONTRIBUTOR)],
    }


def _serve_roles(fake: FakeArm) -> None:
    serve_assignments(fake, SUB, role_grants())


def serve_assignments(
    fake: FakeArm,
    sub: str,
    grants: dict[str, list[tuple[str, str]]],
    page_size: int = 5,
    extra: Mapping[str, list[dict[str, Any]]] | None = None,
) -> None:
    """Role assignments both ways ARM lists them for a subscription: all at once (paged, with
    someone else's assignment in between) and filtered by principal; and the definitions.
    ``extra``: whole assignment bodies to add to a principal's (e.g. with a condition)."""
    path = f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments"
    everything = [assignment(f"/subscriptions/{sub}", READER, "someone-else", 0, sub)]
    n = 0
    for principal, pairs in grants.items():
        items = []
        for scope, guid in pairs:
            n += 1
            items.append(assignment(scope, guid, principal, n, sub))
        items.extend((extra or {}).get(principal, []))
        everything.extend(items)
        fake.add_list(
            path,
            AUTH,
            items,
            auth_models.RoleAssignment,
            query_filter=f"principalId eq '{principal}'",
        )
    fake.add_list(path, AUTH, everything, auth_models.RoleAssignment, page_size=page_size)
    for guid, name, actions in [
        (OWNER, "Owner", ["*"]),
        (CONTRIBUTOR, "Contributor", ["*"]),
        (READER, "Reader", ["*/read"]),
        (NETWORK_CONTRIBUTOR, "Network Contributor", ["Microsoft.Network/*"]),
    ]:
        fake.add(
            role_definition_id(guid, sub),
            AUTH,
            role_definition(guid, name, actions, sub),
            auth_models.RoleDefinition,
        )


def _serve_diagnostics(fake: FakeArm) -> None:
    settings = {
        "hardened": [
            diagnostic("to-workspace", cluster_id("hardened"), [
                {"category": "kube-audit-admin"}, {"category": "kube-apiserver"},
                {"category": "kube-controller-manager"}, {"category": "kube-scheduler"},
            ], workspaceId=WORKSPACE),
        ],
        "public-wide": [],
        "public-narrow": [
            diagnostic("apiserver-only", cluster_id("public-narrow"),
                       [{"category": "kube-apiserver"}], storageAccountId=STORAGE),
        ],
        "public-broad": [
            diagnostic("all", cluster_id("public-broad"), [{"categoryGroup": "allLogs"}],
                       workspaceId=WORKSPACE),
        ],
    }  # fmt: skip
    for name, items in settings.items():
        path = f"{cluster_id(name)}/providers/Microsoft.Insights/diagnosticSettings"
        fake.add_list(path, MON, items, mon_models.DiagnosticSettingsResource)


def _serve_keys(fake: FakeArm) -> None:
    vaults = [vault("hardkv", "sec"), vault("narrowkv", "sec"), vault("broadkv", "sec")]
    fake.add_list(
        f"/subscriptions/{SUB}/providers/Microsoft.KeyVault/vaults",
        KV,
        vaults,
        kv_models.Vault,
        page_size=2,
    )
    hard, narrow, broad = (v["id"] for v in vaults)
    good = {"enabled": True, "exp": NOW_EPOCH + 5 * YEAR, "created": NOW_EPOCH - YEAR}
    fake.add(
        f"{hard}/keys/etcd/versions/0a1b2c3d",
        KV,
        key(hard, "etcd", "0a1b2c3d", **good),
        kv_models.Key,
    )
    fake.add(f"{hard}/keys/etcd", KV, rotating(key(hard, "etcd", None, **good)), kv_models.Key)
    fake.fail(f"{narrow}/keys/etcd/versions/11aa22bb", KV, 403, "Forbidden")
    expired = {"enabled": True, "exp": NOW_EPOCH - YEAR}
    fake.add(
        f"{broad}/keys/etcd/versions/99ff88ee",
        KV,
        key(broad, "etcd", "99ff88ee", **expired),
        kv_models.Key,
    )
    fake.add(f"{broad}/keys/etcd", KV, rotating(key(broad, "etcd", None, **expired)),
             kv_models.Key)  # fmt: skip
