"""Version (completes the table): the cluster runs a Kubernetes version the provider supports.

Past standard support, security fixes stop (or cost extra under extended support, which ends
too), and the provider may upgrade the cluster on its own schedule.
"""

from __future__ import annotations

from cloudposture.model import ClusterPosture, Severity
from cloudposture.rules import references as ref
from cloudposture.rules.base import Outcome, Rule, RuleMeta, RuleSettings
from cloudposture.rules.guidance import guide
from cloudposture.rules.judge import fact, judge_flag


def check_standard_support(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when the cluster's Kubernetes version is past the provider's standard support
    (names the version and the provider's detail, e.g. the end date)."""
    v = posture.version
    version = v.version or "unknown version"
    detail = f": {v.detail}" if v.detail else ""
    return judge_flag(
        posture,
        fact(v, "version", "standard_support"),
        bad=False,
        fail=f"Kubernetes {version} is past the provider's standard support{detail}",
        ok=f"Kubernetes {version} is in the provider's standard support{detail}",
        extra=(fact(v, "version", "version"), fact(v, "version", "detail")),
    )


VER_001 = Rule(
    meta=RuleMeta(
        id="VER-001",
        title="Kubernetes version past the provider's standard support",
        row="+",
        severity=Severity.MEDIUM,
        rationale=(
            "Outside standard support a version gets no new security patches unless paid "
            "extended support applies, and every provider eventually forces an upgrade on "
            "its own schedule. Known vulnerabilities stay open and the forced upgrade "
            "arrives untested."
        ),
        guidance={
            "aws": guide(
                evidence="eks:DescribeCluster cluster.version against the EKS release calendar "
                "(eks:DescribeClusterVersions)",
                summary="Upgrade the control plane one minor version at a time, then the node "
                "groups and add-ons.",
                console="EKS > Clusters > <cluster> > Upgrade version",
                cli="aws eks update-cluster-version --name <cluster> --region <region> "
                "--kubernetes-version <next-minor>",
                terraform="aws_eks_cluster.version",
                docs=["https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html"],
            ),
            "gcp": guide(
                evidence="currentMasterVersion against the GKE release schedule "
                "(container.projects.locations.getServerConfig)",
                summary="Upgrade the control plane and node pools, and enrol the cluster in a "
                "release channel so upgrades happen before support ends.",
                console="Kubernetes Engine > Clusters > <cluster> > Details > Cluster basics > "
                "Version: Upgrade available",
                cli="gcloud container clusters upgrade <cluster> --location <location> --master "
                "--cluster-version <version>",
                terraform="google_container_cluster.min_master_version",
                docs=["https://cloud.google.com/kubernetes-engine/docs/release-schedule"],
                refs=[ref.GKE_RELEASE_CHANNELS],
            ),
            "azure": guide(
                evidence="managedClusters currentKubernetesVersion against the AKS supported "
                "versions (Microsoft.ContainerService/locations/kubernetesVersions)",
                summary="Upgrade the cluster to a supported minor version and set an automatic "
                "upgrade channel.",
                console="Kubernetes services > <cluster> > Settings > Cluster configuration > "
                "Upgrade version",
                cli="az aks upgrade --resource-group <rg> --name <cluster> "
                "--kubernetes-version <version>",
                terraform="azurerm_kubernetes_cluster.kubernetes_version",
                docs=["https://learn.microsoft.com/azure/aks/supported-kubernetes-versions"],
            ),
        },
    ),
    check=check_standard_support,
)

RULES = (VER_001,)
