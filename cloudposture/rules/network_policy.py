"""Network policy (completes the table): workloads can be isolated from each other.

Kubernetes NetworkPolicy objects are silently ignored unless the network plugin enforces
them, so a cluster can hold policies that protect nothing.
"""

from __future__ import annotations

from cloudposture.model import ClusterPosture, Severity
from cloudposture.rules import references as ref
from cloudposture.rules.base import Outcome, Rule, RuleMeta, RuleSettings
from cloudposture.rules.guidance import guide
from cloudposture.rules.judge import fact, judge_flag


def check_enforced(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when no network-policy engine enforces Kubernetes NetworkPolicy for workloads."""
    np = posture.network_policy
    return judge_flag(
        posture,
        fact(np, "network_policy", "enforced"),
        bad=False,
        fail="NetworkPolicy is not enforced: any pod can reach any other pod and the nodes",
        ok=f"NetworkPolicy is enforced ({np.engine or 'engine not named'})",
        extra=(fact(np, "network_policy", "engine"),),
    )


NET_001 = Rule(
    meta=RuleMeta(
        id="NET-001",
        title="No network-policy enforcement available to workloads",
        row="+",
        severity=Severity.LOW,
        rationale=(
            "Without enforcement every pod can reach every other pod, so one compromised "
            "workload can probe databases, internal APIs and node ports across namespaces. "
            "Enforcement is the prerequisite for default-deny policies; the rule is low "
            "because turning it on protects nothing until policies are written."
        ),
        guidance={
            "aws": guide(
                evidence="eks:DescribeAddon vpc-cni configurationValues enableNetworkPolicy "
                "(or a third-party engine such as Calico or Cilium)",
                summary="Turn on network policy in the Amazon VPC CNI add-on (or run Calico or "
                "Cilium), then add default-deny NetworkPolicies.",
                console="EKS > Clusters > <cluster> > Add-ons > Amazon VPC CNI > Edit > "
                'Optional configuration settings: {"enableNetworkPolicy": "true"}',
                cli="aws eks update-addon --cluster-name <cluster> --addon-name vpc-cni "
                '--configuration-values \'{"enableNetworkPolicy":"true"}\'',
                terraform="aws_eks_addon.configuration_values",
                docs=["https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html"],
                refs=[ref.EKS_CNI_NETPOL, ref.EKS_NETWORK_POLICY],
            ),
            "gcp": guide(
                evidence="networkPolicy.enabled and networkConfig.datapathProvider "
                "(ADVANCED_DATAPATH = GKE Dataplane V2 enforces policies)",
                summary="Enable network policy enforcement (first the NetworkPolicy add-on, then "
                "enforcement), or create new clusters with Dataplane V2.",
                console="Kubernetes Engine > Clusters > <cluster> > Networking > Calico "
                "Kubernetes Network policy: Enable",
                cli="gcloud container clusters update <cluster> --location <location> "
                "--enable-network-policy",
                terraform="google_container_cluster.network_policy.enabled",
                docs=["https://cloud.google.com/kubernetes-engine/docs/how-to/network-policy"],
                refs=[ref.GKE_CNI_NETPOL],
            ),
            "azure": guide(
                evidence="managedClusters networkProfile.networkPolicy (azure, calico, cilium; "
                "none or absent = not enforced)",
                summary="Enable a network policy engine on the cluster (Azure, Calico or "
                "Cilium), then add default-deny NetworkPolicies.",
                console="Kubernetes services > <cluster> > Settings > Networking: Network policy",
                cli="az aks update --resource-group <rg> --name <cluster> --network-policy azure",
                terraform="azurerm_kubernetes_cluster.network_profile.network_policy",
                docs=["https://learn.microsoft.com/azure/aks/use-network-policies"],
                refs=[ref.AKS_NETWORK_POLICY],
            ),
        },
    ),
    check=check_enforced,
)

RULES = (NET_001,)
