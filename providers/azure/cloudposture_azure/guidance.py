"""Azure AKS guidance for every rule: the evidence's source, the fix, the CIS controls.

The rules in ``cloudposture.rules`` judge the provider-neutral model only; what to tell
an AKS user (where the fact was read, console path, CLI command, Terraform attribute, docs,
benchmark controls) and which rules have no meaning here live in this module. The plugin
object exposes ``GUIDANCE`` and ``NOT_APPLICABLE``; the core gathers them for ``rules show``,
docs/rules, NOT_APPLICABLE findings and every output format. Imports no SDK: cheap to import.
"""

from __future__ import annotations

from cloudposture.model import Reference
from cloudposture.rules.base import ProviderGuidance
from cloudposture.rules.guidance import Steps, cis, guide, guide_steps

CIS_AKS = "CIS Azure Kubernetes Service (AKS) Benchmark"
CIS_AKS_VERSION = "v1.7.0"


def _aks(control: str, title: str) -> Reference:
    return cis(CIS_AKS, CIS_AKS_VERSION, control, title)


AKS_AUDIT_LOGS = _aks("2.1.1", "Enable audit Logs")
AKS_SECRETS_ENCRYPTED = _aks("5.3.1", "Ensure Kubernetes Secrets are encrypted")
AKS_RESTRICT_ENDPOINT = _aks("5.4.1", "Restrict Access to the Control Plane Endpoint")
AKS_PRIVATE_ENDPOINT = _aks(
    "5.4.2", "Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled"
)
AKS_PRIVATE_NODES = _aks("5.4.3", "Ensure clusters are created with Private Nodes")
AKS_NETWORK_POLICY = _aks("5.4.4", "Ensure Network Policy is Enabled and set as appropriate")
AKS_AAD_RBAC = _aks("5.5.1", "Manage Kubernetes RBAC users with Azure AD")

AKS_IP_RANGES_DOCS = "https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges"

AKS_PRIVATE_DOCS = "https://learn.microsoft.com/azure/aks/private-clusters"

AKS_CIDRS_CLI = (
    "az aks update --resource-group <rg> --name <cluster> "
    "--api-server-authorized-ip-ranges 203.0.113.0/24"
)

AKS_CIDRS_CONSOLE = (
    "Kubernetes services > <cluster> > Settings > Networking > Public access: set "
    "'Enable public access from authorized IP addresses' to your administration ranges"
)

AKS_CIDRS = Steps(
    console=AKS_CIDRS_CONSOLE,
    cli=AKS_CIDRS_CLI,
    terraform="azurerm_kubernetes_cluster.api_server_access_profile.authorized_ip_ranges",
    docs=(AKS_IP_RANGES_DOCS,),
    refs=(AKS_RESTRICT_ENDPOINT,),
)

AKS_NSG_DOCS = "https://learn.microsoft.com/azure/aks/concepts-network#network-security-groups"

AKS_NSG_EVIDENCE = (
    "Microsoft.Network/networkSecurityGroups securityRules (Inbound, Allow, source Internet / * "
    "/ 0.0.0.0/0) on the node subnets and the node resource group"
)

AKS_NSG_CONSOLE = (
    "Network security groups > <node NSG> > Inbound security rules: narrow the source or "
    "delete the rule"
)

AKS_NSG = Steps(
    console=AKS_NSG_CONSOLE,
    cli="az network nsg rule delete --resource-group <node-rg> --nsg-name <nsg> --name <rule>",
    terraform="azurerm_network_security_rule.source_address_prefix",
    docs=(AKS_NSG_DOCS,),
)

AKS_IDENTITY_DOCS = "https://learn.microsoft.com/azure/aks/use-managed-identity"

AKS_LOGS_DOCS = "https://learn.microsoft.com/azure/aks/monitor-aks"

AKS_LOGS_CONSOLE = (
    "Kubernetes services > <cluster> > Monitoring > Diagnostic settings > Add diagnostic setting"
)

AKS_LOGS_EVIDENCE = "Microsoft.Insights/diagnosticSettings on the cluster resource (log categories)"


def _aks_logging_cli(categories: list[str]) -> str:
    logs = ",".join(f'{{"category":"{c}","enabled":true}}' for c in categories)
    return (
        "az monitor diagnostic-settings create --name aks-control-plane "
        f"--resource <cluster-resource-id> --workspace <workspace-id> --logs '[{logs}]'"
    )


GUIDANCE: dict[str, ProviderGuidance] = {
    "CP-001": guide_steps(
        AKS_CIDRS,
        evidence=(
            "Microsoft.ContainerService/managedClusters apiServerAccessProfile."
            "enablePrivateCluster and authorizedIPRanges (none = every address)"
        ),
        summary=(
            "Set API server authorized IP ranges to your administration ranges, or make "
            "the cluster private."
        ),
    ),
    "CP-002": guide(
        evidence=(
            "Microsoft.ContainerService/managedClusters apiServerAccessProfile.enablePrivateCluster"
        ),
        summary=(
            "Make the cluster private. Clusters with API Server VNet Integration can "
            "switch in place; others must be recreated with --enable-private-cluster."
        ),
        console=(
            "Kubernetes services > <cluster> > Settings > Networking: disable public "
            "access (API Server VNet Integration clusters), else recreate as private"
        ),
        cli=("az aks update --resource-group <rg> --name <cluster> --enable-private-cluster"),
        terraform="azurerm_kubernetes_cluster.private_cluster_enabled",
        docs=[AKS_PRIVATE_DOCS],
        refs=[AKS_PRIVATE_ENDPOINT],
    ),
    "CP-003": guide_steps(
        AKS_CIDRS,
        evidence=(
            "Microsoft.ContainerService/managedClusters apiServerAccessProfile.authorizedIPRanges"
        ),
        summary="Replace broad authorized IP ranges with the exact egress ranges of your "
        "administrators and CI.",
    ),
    "CP-004": guide(
        evidence=("Microsoft.ContainerService/managedClusters disableLocalAccounts and aadProfile"),
        summary=(
            "Integrate Microsoft Entra ID and disable local accounts so every user "
            "authenticates through Entra ID."
        ),
        console=(
            "Kubernetes services > <cluster> > Settings > Security configuration: "
            "Microsoft Entra ID authentication, untick 'Kubernetes local accounts'"
        ),
        cli=(
            "az aks update --resource-group <rg> --name <cluster> --enable-aad "
            "--disable-local-accounts"
        ),
        terraform="azurerm_kubernetes_cluster.local_account_disabled",
        docs=["https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad"],
        refs=[AKS_AAD_RBAC],
    ),
    "NODE-001": guide(
        evidence="Microsoft.ContainerService/managedClusters agentPoolProfiles[]."
        "enableNodePublicIP",
        summary=(
            "The setting is fixed per agent pool: add a pool without node public IPs, "
            "move the workloads, delete the old pool."
        ),
        console=(
            "Kubernetes services > <cluster> > Node pools > Add node pool: leave "
            "'Enable public IP per node' off"
        ),
        cli="az aks nodepool add --resource-group <rg> --cluster-name <cluster> --name <newpool>",
        terraform="azurerm_kubernetes_cluster_node_pool.node_public_ip_enabled",
        docs=["https://learn.microsoft.com/azure/aks/use-node-public-ips"],
        refs=[AKS_PRIVATE_NODES],
    ),
    "NODE-002": guide_steps(
        AKS_NSG,
        evidence=AKS_NSG_EVIDENCE,
        summary=(
            "Narrow or delete NSG rules that let the internet reach admin, kubelet or "
            "etcd ports on the nodes; use Azure Bastion or kubectl debug for access."
        ),
    ),
    "NODE-003": guide_steps(
        AKS_NSG,
        evidence=AKS_NSG_EVIDENCE + " (k8s-azure-lb rules AKS creates for Services are expected)",
        summary=(
            "Narrow or delete NSG rules that open other ports on the nodes to the "
            "internet; expose workloads through Services or Ingress."
        ),
    ),
    "IAM-001": guide(
        evidence=(
            "managedClusters identityProfile.kubeletidentity -> Microsoft.Authorization/"
            "roleAssignments at subscription, management-group or root scope (Owner, "
            "Contributor, User Access Administrator, a '*' custom role, or any role that can "
            "make its holder Owner: roleAssignments/write, as Role Based Access Control "
            "Administrator has, or roleDefinitions/write over a custom role it holds)"
        ),
        summary=(
            "Remove broad role assignments from the kubelet identity; keep AcrPull on "
            "the registry and give workloads their own identities."
        ),
        console=(
            "Subscriptions > <subscription> > Access control (IAM) > Role assignments: "
            "remove the kubelet identity's Owner / Contributor / Role Based Access "
            "Control Administrator"
        ),
        cli="az role assignment delete --assignee <kubelet-identity-object-id> "
        "--role Contributor --scope /subscriptions/<subscription-id>",
        terraform="azurerm_role_assignment.role_definition_name",
        docs=[AKS_IDENTITY_DOCS],
    ),
    "IAM-002": guide(
        evidence=(
            "managedClusters identity.principalId -> Microsoft.Authorization/"
            "roleAssignments (Owner / Contributor, or a role that can assign roles or edit "
            "one it holds, at subscription scope or above)"
        ),
        summary=(
            "Grant the cluster identity only the documented roles (e.g. Network "
            "Contributor on the cluster's subnet) at the narrowest scope."
        ),
        console=(
            "Subscriptions > <subscription> > Access control (IAM) > Role assignments: "
            "remove the cluster identity's Owner / Contributor"
        ),
        cli="az role assignment delete --assignee <cluster-identity-principal-id> "
        "--role Contributor --scope /subscriptions/<subscription-id>",
        terraform="azurerm_role_assignment.scope",
        docs=[AKS_IDENTITY_DOCS],
    ),
    "IAM-005": guide(
        evidence="managedClusters oidcIssuerProfile.enabled and securityProfile."
        "workloadIdentity.enabled",
        summary="Enable the OIDC issuer and Microsoft Entra Workload ID on the cluster.",
        console=(
            "Kubernetes services > <cluster> > Settings > Security configuration: "
            "enable OIDC issuer and Workload Identity"
        ),
        cli="az aks update --resource-group <rg> --name <cluster> --enable-oidc-issuer "
        "--enable-workload-identity",
        terraform="azurerm_kubernetes_cluster.workload_identity_enabled",
        docs=["https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster"],
    ),
    "ETCD-001": guide(
        evidence="Microsoft.ContainerService/managedClusters (managed control plane: "
        "Azure runs etcd)",
        summary="Nothing to configure: Azure runs etcd for AKS, reachable only from the "
        "control plane over TLS. Keep secrets encrypted (ENC-001).",
        console="Kubernetes services > <cluster> > Overview",
        cli="az aks show --resource-group <rg> --name <cluster>",
        terraform="azurerm_kubernetes_cluster (no etcd attribute: Azure manages etcd)",
        docs=["https://learn.microsoft.com/azure/aks/concepts-security"],
    ),
    "ENC-001": guide(
        evidence="managedClusters securityProfile.azureKeyVaultKms.enabled and keyId",
        summary="Enable KMS etcd encryption with a Key Vault key.",
        console="Key vaults > <vault> > Keys > <key>: copy the key identifier, then "
        "enable KMS etcd encryption on the cluster with it",
        cli="az aks update --resource-group <rg> --name <cluster> "
        "--enable-azure-keyvault-kms --azure-keyvault-kms-key-id <key-id> "
        "--azure-keyvault-kms-key-vault-network-access Public",
        terraform="azurerm_kubernetes_cluster.key_management_service.key_vault_key_id",
        docs=["https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption"],
        refs=[AKS_SECRETS_ENCRYPTED],
    ),
    "ENC-002": guide(
        evidence="Key Vault keys get attributes.enabled / exp and the key's rotation "
        "policy (best effort: ERROR with the reason when the vault cannot be read)",
        summary="Keep the key enabled and unexpired and give it an automatic rotation policy.",
        console="Key vaults > <vault> > Keys > <key> > Rotation policy: enable auto-rotation",
        cli="az keyvault key rotation-policy update --vault-name <vault> --name <key> "
        "--value @rotation-policy.json",
        terraform="azurerm_key_vault_key.rotation_policy",
        docs=["https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation"],
    ),
    "LOG-001": guide(
        evidence=AKS_LOGS_EVIDENCE + ": kube-audit or kube-audit-admin enabled",
        summary="Add a diagnostic setting that sends kube-audit-admin (or kube-audit) "
        "to a Log Analytics workspace or storage account.",
        console=AKS_LOGS_CONSOLE + ": tick kube-audit-admin",
        cli=_aks_logging_cli(["kube-audit-admin"]),
        terraform="azurerm_monitor_diagnostic_setting.enabled_log.category",
        docs=[AKS_LOGS_DOCS],
        refs=[AKS_AUDIT_LOGS],
    ),
    "LOG-002": guide(
        evidence=AKS_LOGS_EVIDENCE + ": kube-apiserver, kube-controller-manager, kube-scheduler",
        summary="Send kube-apiserver, kube-controller-manager and kube-scheduler to a "
        "Log Analytics workspace or storage account.",
        console=AKS_LOGS_CONSOLE + ": tick kube-apiserver, kube-controller-manager, kube-scheduler",
        cli=_aks_logging_cli(["kube-apiserver", "kube-controller-manager", "kube-scheduler"]),
        terraform="azurerm_monitor_diagnostic_setting.enabled_log.category",
        docs=[AKS_LOGS_DOCS],
        refs=[AKS_AUDIT_LOGS],
    ),
    "VER-001": guide(
        evidence="managedClusters currentKubernetesVersion against the AKS supported "
        "versions (Microsoft.ContainerService/locations/kubernetesVersions)",
        summary="Upgrade the cluster to a supported minor version and set an automatic "
        "upgrade channel.",
        console="Kubernetes services > <cluster> > Settings > Cluster configuration > "
        "Upgrade version",
        cli="az aks upgrade --resource-group <rg> --name <cluster> --kubernetes-version <version>",
        terraform="azurerm_kubernetes_cluster.kubernetes_version",
        docs=["https://learn.microsoft.com/azure/aks/supported-kubernetes-versions"],
    ),
    "NET-001": guide(
        evidence="managedClusters networkProfile.networkPolicy (azure, calico, cilium; "
        "none or absent = not enforced)",
        summary="Enable a network policy engine on the cluster (Azure, Calico or "
        "Cilium), then add default-deny NetworkPolicies.",
        console="Kubernetes services > <cluster> > Settings > Networking: Network policy",
        cli="az aks update --resource-group <rg> --name <cluster> --network-policy azure",
        terraform="azurerm_kubernetes_cluster.network_profile.network_policy",
        docs=["https://learn.microsoft.com/azure/aks/use-network-policies"],
        refs=[AKS_NETWORK_POLICY],
    ),
    "PATH-001": guide(
        evidence="the NODE-001, NODE-002/NODE-003, IAM-004 and IAM-001 facts of the "
        "same agent pool",
        summary="Break a link: remove broad role assignments from the kubelet identity, "
        "and move the pool off node public IPs.",
        console="Subscriptions > <subscription> > Access control (IAM) > Role "
        "assignments: remove the kubelet identity's Owner / Contributor",
        cli="az role assignment delete --assignee <kubelet-identity-object-id> "
        "--role Contributor --scope /subscriptions/<subscription-id>",
        terraform="azurerm_role_assignment.role_definition_name",
        docs=["https://learn.microsoft.com/azure/aks/use-managed-identity"],
    ),
}

NOT_APPLICABLE: dict[str, str] = {
    "NODE-004": (
        "AKS has no provider SSH remote access that opens the network; node "
        "access rules are NSG rules, judged by NODE-002"
    ),
    "IAM-003": (
        "AKS gives each cluster its own kubelet managed identity, not a shared "
        "default (judged by IAM-001)"
    ),
    "IAM-004": (
        "AKS has no node setting that hides the instance metadata service from "
        "pods; limit the kubelet identity (IAM-001) and use workload identity (IAM-005)"
    ),
    "IAM-006": ("Azure VMs have no OAuth access scopes; role assignments alone decide (IAM-001)"),
}
