"""Row 1: network access to the API server (control plane), and who it accepts credentials from.

The table asks for no public access from the internet, and where public access exists, network
ACLs restricted to the addresses that administer the cluster.
"""

from __future__ import annotations

import ipaddress

from cloudposture.model import (
    ClusterPosture,
    Severity,
    Status,
    is_private_range,
    is_whole_internet,
)
from cloudposture.rules import references as ref
from cloudposture.rules.base import (
    Outcome,
    Rule,
    RuleMeta,
    RuleSettings,
    failed,
    passed,
    unknown,
)
from cloudposture.rules.guidance import Steps, guide, guide_steps
from cloudposture.rules.judge import fact, judge_flag, with_evidence

EKS_ENDPOINT_DOCS = "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html"
GKE_AUTHORIZED_DOCS = "https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks"
GKE_ISOLATION_DOCS = (
    "https://cloud.google.com/kubernetes-engine/docs/how-to/latest/network-isolation"
)
AKS_IP_RANGES_DOCS = "https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges"
AKS_PRIVATE_DOCS = "https://learn.microsoft.com/azure/aks/private-clusters"

EKS_CIDRS_CLI = (
    "aws eks update-cluster-config --name <cluster> --region <region> "
    '--resources-vpc-config endpointPrivateAccess=true,publicAccessCidrs="203.0.113.0/24"'
)
GKE_CIDRS_CLI = (
    "gcloud container clusters update <cluster> --location <location> "
    "--enable-master-authorized-networks --master-authorized-networks 203.0.113.0/24 "
    "--no-enable-google-cloud-access"
)
AKS_CIDRS_CLI = (
    "az aks update --resource-group <rg> --name <cluster> "
    "--api-server-authorized-ip-ranges 203.0.113.0/24"
)
EKS_CIDRS_CONSOLE = (
    "EKS > Clusters > <cluster> > Networking > Manage endpoint access: keep Public and "
    "private, and under Advanced settings list only your administration CIDRs"
)
GKE_CIDRS_CONSOLE = (
    "Kubernetes Engine > Clusters > <cluster> > Networking > Control plane authorized "
    "networks: enable, add only your administration CIDRs, untick Google Cloud public IPs"
)
AKS_CIDRS_CONSOLE = (
    "Kubernetes services > <cluster> > Settings > Networking > Public access: set "
    "'Enable public access from authorized IP addresses' to your administration ranges"
)

EKS_CIDRS = Steps(
    console=EKS_CIDRS_CONSOLE,
    cli=EKS_CIDRS_CLI,
    terraform="aws_eks_cluster.vpc_config.public_access_cidrs",
    docs=(EKS_ENDPOINT_DOCS,),
    refs=(ref.EKS_RESTRICT_ENDPOINT,),
)
GKE_CIDRS = Steps(
    console=GKE_CIDRS_CONSOLE,
    cli=GKE_CIDRS_CLI,
    terraform="google_container_cluster.master_authorized_networks_config.cidr_blocks",
    docs=(GKE_AUTHORIZED_DOCS,),
    refs=(ref.GKE_AUTHORIZED_NETWORKS,),
)
AKS_CIDRS = Steps(
    console=AKS_CIDRS_CONSOLE,
    cli=AKS_CIDRS_CLI,
    terraform="azurerm_kubernetes_cluster.api_server_access_profile.authorized_ip_ranges",
    docs=(AKS_IP_RANGES_DOCS,),
    refs=(ref.AKS_RESTRICT_ENDPOINT,),
)


def _public_endpoint(posture: ClusterPosture) -> bool | Outcome:
    """True/False when known; otherwise the ERROR outcome to return."""
    ep = posture.endpoint
    public = fact(ep, "endpoint", "public_enabled")
    if ep.public_enabled is None:
        return with_evidence(unknown(posture, "endpoint.public_enabled"), public)
    return ep.public_enabled


def check_whole_internet(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when the public endpoint is on and an authorized CIDR is the whole internet, or
    the provider's public ranges may reach it with no authorized networks listed. PASS when
    the public endpoint is off or restricted. ERROR when either fact was not collected."""
    ep = posture.endpoint
    public = _public_endpoint(posture)
    if isinstance(public, Outcome):
        return public
    evidence = (
        fact(ep, "endpoint", "public_enabled"),
        fact(ep, "endpoint", "authorized_cidrs"),
        fact(ep, "endpoint", "provider_ranges_allowed"),
    )
    if not public:
        return passed("the public API endpoint is disabled", *evidence)
    cidrs = ep.authorized_cidrs
    if cidrs is None:
        return with_evidence(unknown(posture, "endpoint.authorized_cidrs"), *evidence)
    open_to_all = [c for c in cidrs if is_whole_internet(c)]
    if open_to_all:
        return failed(
            f"the public API endpoint accepts connections from the whole internet "
            f"({', '.join(open_to_all)})",
            *evidence,
        )
    if not cidrs:
        if ep.provider_ranges_allowed is None:
            return with_evidence(unknown(posture, "endpoint.provider_ranges_allowed"), *evidence)
        if ep.provider_ranges_allowed:
            return failed(
                "the public API endpoint accepts connections from all of the provider's public "
                "address space and no authorized networks restrict it",
                *evidence,
            )
        return passed("the public API endpoint admits no public source address", *evidence)
    return passed(
        f"the public API endpoint is restricted to {len(cidrs)} authorized CIDR(s)", *evidence
    )


def check_public_endpoint(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when the API server has a public endpoint at all, even a restricted one."""
    ep = posture.endpoint
    return judge_flag(
        posture,
        fact(ep, "endpoint", "public_enabled"),
        bad=True,
        fail="the API server has a public endpoint",
        ok="the API server has no public endpoint",
        extra=(fact(ep, "endpoint", "private_enabled"),),
    )


def _prefixlen(cidr: str) -> int | None:
    try:
        return ipaddress.ip_network(cidr, strict=False).prefixlen
    except ValueError:
        return None


def _limit(cidr: str, settings: RuleSettings) -> int:
    return settings.broad_prefix_v6 if ":" in cidr else settings.broad_prefix


def check_broad_cidrs(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when an authorized public CIDR is wider than the configured prefix (default /24:
    a /24 passes, a /23 fails; IPv6 uses its own limit, default /48). Private ranges (RFC 1918,
    ULA) never count. PASS when the public endpoint is off."""
    ep = posture.endpoint
    public = _public_endpoint(posture)
    if isinstance(public, Outcome):
        return public
    evidence = (fact(ep, "endpoint", "public_enabled"), fact(ep, "endpoint", "authorized_cidrs"))
    if not public:
        return passed("the public API endpoint is disabled; no CIDR can be too broad", *evidence)
    if ep.authorized_cidrs is None:
        return with_evidence(unknown(posture, "endpoint.authorized_cidrs"), *evidence)
    unparsable = [c for c in ep.authorized_cidrs if _prefixlen(c) is None]
    if unparsable:
        return Outcome(
            Status.ERROR,
            f"cannot judge: authorized CIDR(s) not understood: {', '.join(unparsable)}",
            evidence,
        )
    broad = [
        c
        for c in ep.authorized_cidrs
        if not is_private_range(c) and (_prefixlen(c) or 0) < _limit(c, settings)
    ]
    if broad:
        return failed(
            f"authorized public CIDR(s) broader than /{settings.broad_prefix} (IPv6: "
            f"/{settings.broad_prefix_v6}): {', '.join(broad)}",
            *evidence,
        )
    return passed(
        f"every authorized public CIDR is /{settings.broad_prefix} or narrower", *evidence
    )


def check_local_credentials(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when the API server accepts credentials that bypass the cloud IdP (client
    certificates, basic auth, local accounts, an aws-auth ConfigMap-only mode)."""
    auth = posture.authentication
    kinds = ", ".join(auth.local_credential_kinds) or "unspecified kind"
    return judge_flag(
        posture,
        fact(auth, "authentication", "local_credentials_enabled"),
        bad=True,
        fail=f"the API server accepts credentials that bypass the cloud IdP ({kinds})",
        ok="the API server accepts only IdP-backed credentials",
        extra=(
            fact(auth, "authentication", "idp_enabled"),
            fact(auth, "authentication", "local_credential_kinds"),
        ),
    )


CP_001 = Rule(
    meta=RuleMeta(
        id="CP-001",
        title="API server reachable from the whole internet",
        row="1",
        severity=Severity.CRITICAL,
        rationale=(
            "An API server open to every address can be probed, brute-forced and attacked "
            "through any authentication or API vulnerability by anyone on the internet. "
            "Restricting the endpoint to the networks that administer the cluster removes "
            "almost all of that attack surface, and still protects the cluster if a "
            "credential leaks."
        ),
        guidance={
            "aws": guide_steps(
                EKS_CIDRS,
                evidence=(
                    "eks:DescribeCluster cluster.resourcesVpcConfig.endpointPublicAccess and "
                    "publicAccessCidrs (0.0.0.0/0 when no list is set)"
                ),
                summary=(
                    "Turn on the private endpoint and restrict publicAccessCidrs to your "
                    "administration ranges, or turn the public endpoint off."
                ),
            ),
            "gcp": guide_steps(
                GKE_CIDRS,
                evidence=(
                    "container.projects.locations.clusters.get privateClusterConfig / "
                    "controlPlaneEndpointsConfig and masterAuthorizedNetworksConfig (enabled, "
                    "cidrBlocks, gcpPublicCidrsAccessEnabled)"
                ),
                summary=(
                    "Enable control plane authorized networks with only your administration "
                    "CIDRs and do not let all Google Cloud public IPs in, or use the private "
                    "endpoint only."
                ),
            ),
            "azure": guide_steps(
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
        },
    ),
    check=check_whole_internet,
)

CP_002 = Rule(
    meta=RuleMeta(
        id="CP-002",
        title="Public API endpoint enabled",
        row="1",
        severity=Severity.MEDIUM,
        rationale=(
            "The infrastructure table's first recommendation is no public access to the "
            "control plane at all. Even with authorized networks, a public endpoint is one "
            "misconfiguration away from the whole internet and reveals the cluster and its "
            "Kubernetes version to scanners. A private endpoint keeps API traffic inside "
            "your network."
        ),
        guidance={
            "aws": guide(
                evidence="eks:DescribeCluster cluster.resourcesVpcConfig.endpointPublicAccess",
                summary=(
                    "Enable private endpoint access and disable public endpoint access; "
                    "administer the cluster from inside the VPC (VPN, Direct Connect, bastion)."
                ),
                console=(
                    "EKS > Clusters > <cluster> > Networking > Manage endpoint access: "
                    "choose Private"
                ),
                cli=(
                    "aws eks update-cluster-config --name <cluster> --region <region> "
                    "--resources-vpc-config endpointPrivateAccess=true,endpointPublicAccess=false"
                ),
                terraform="aws_eks_cluster.vpc_config.endpoint_public_access",
                docs=[EKS_ENDPOINT_DOCS],
                refs=[ref.EKS_PRIVATE_ENDPOINT],
            ),
            "gcp": guide(
                evidence=(
                    "container.projects.locations.clusters.get privateClusterConfig."
                    "enablePrivateEndpoint / controlPlaneEndpointsConfig.ipEndpointsConfig."
                    "enablePublicEndpoint"
                ),
                summary=(
                    "Use the private endpoint only (private nodes are required); reach the "
                    "control plane from the VPC or through the DNS-based endpoint."
                ),
                console=(
                    "Kubernetes Engine > Clusters > <cluster> > Networking > Control plane "
                    "networking: disable 'Access using the control plane's external IP address'"
                ),
                cli=(
                    "gcloud container clusters update <cluster> --location <location> "
                    "--enable-private-endpoint"
                ),
                terraform="google_container_cluster.private_cluster_config.enable_private_endpoint",
                docs=[GKE_ISOLATION_DOCS],
                refs=[ref.GKE_PRIVATE_ENDPOINT],
            ),
            "azure": guide(
                evidence=(
                    "Microsoft.ContainerService/managedClusters apiServerAccessProfile."
                    "enablePrivateCluster"
                ),
                summary=(
                    "Make the cluster private. Clusters with API Server VNet Integration can "
                    "switch in place; others must be recreated with --enable-private-cluster."
                ),
                console=(
                    "Kubernetes services > <cluster> > Settings > Networking: disable public "
                    "access (API Server VNet Integration clusters), else recreate as private"
                ),
                cli=(
                    "az aks update --resource-group <rg> --name <cluster> --enable-private-cluster"
                ),
                terraform="azurerm_kubernetes_cluster.private_cluster_enabled",
                docs=[AKS_PRIVATE_DOCS],
                refs=[ref.AKS_PRIVATE_ENDPOINT],
            ),
        },
    ),
    check=check_public_endpoint,
)

CP_003 = Rule(
    meta=RuleMeta(
        id="CP-003",
        title="Authorized networks too broad",
        row="1",
        severity=Severity.MEDIUM,
        rationale=(
            "Authorized networks only protect the API server if they are narrow: a /16 of a "
            "hosting provider or ISP admits thousands of strangers. The table asks for the set "
            "of addresses needed to administer the cluster, which is rarely wider than a "
            "/24. Private ranges are not counted because they are not reachable from the "
            "internet."
        ),
        guidance={
            "aws": guide_steps(
                EKS_CIDRS,
                evidence="eks:DescribeCluster cluster.resourcesVpcConfig.publicAccessCidrs",
                summary="Replace broad publicAccessCidrs entries with the exact egress ranges of "
                "your administrators and CI.",
            ),
            "gcp": guide_steps(
                GKE_CIDRS,
                evidence=(
                    "container.projects.locations.clusters.get masterAuthorizedNetworksConfig."
                    "cidrBlocks"
                ),
                summary="Replace broad authorized networks with the exact egress ranges of your "
                "administrators and CI.",
            ),
            "azure": guide_steps(
                AKS_CIDRS,
                evidence=(
                    "Microsoft.ContainerService/managedClusters apiServerAccessProfile."
                    "authorizedIPRanges"
                ),
                summary="Replace broad authorized IP ranges with the exact egress ranges of your "
                "administrators and CI.",
            ),
        },
    ),
    check=check_broad_cidrs,
)

CP_004 = Rule(
    meta=RuleMeta(
        id="CP-004",
        title="API server accepts credentials outside the cloud IdP",
        row="1",
        severity=Severity.HIGH,
        rationale=(
            "Client certificates, basic auth and local accounts cannot be revoked one by one, "
            "are not subject to the IdP's MFA and conditional access, and leave no trace in "
            "the cloud audit log of who used them. A leaked admin certificate stays valid "
            "until the cluster CA rotates. Identities from the cloud IdP are short-lived, "
            "revocable and audited."
        ),
        guidance={
            "aws": guide(
                evidence=(
                    "eks:DescribeCluster cluster.accessConfig.authenticationMode (CONFIG_MAP "
                    "relies on the aws-auth ConfigMap only)"
                ),
                summary=(
                    "Switch the authentication mode to EKS access entries (API), migrating "
                    "aws-auth mappings to access entries first (via API_AND_CONFIG_MAP)."
                ),
                console=("EKS > Clusters > <cluster> > Access > Manage access: choose EKS API"),
                cli=(
                    "aws eks update-cluster-config --name <cluster> --region <region> "
                    "--access-config authenticationMode=API"
                ),
                terraform="aws_eks_cluster.access_config.authentication_mode",
                docs=["https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html"],
                refs=[ref.EKS_ACCESS_MANAGER, ref.EKS_IAM_AUTHENTICATOR],
            ),
            "gcp": guide(
                evidence=(
                    "container.projects.locations.clusters.get masterAuth.clientCertificate"
                    "Config.issueClientCertificate, masterAuth.username, legacyAbac.enabled"
                ),
                summary=(
                    "Disable legacy ABAC; clusters that issued a client certificate or basic "
                    "auth credentials must be recreated without them "
                    "(--no-issue-client-certificate)."
                ),
                console=(
                    "Kubernetes Engine > Clusters > <cluster> > Security: disable Legacy "
                    "authorization; check Client certificate is Disabled"
                ),
                cli=(
                    "gcloud container clusters update <cluster> --location <location> "
                    "--no-enable-legacy-authorization"
                ),
                terraform=(
                    "google_container_cluster.master_auth.client_certificate_config."
                    "issue_client_certificate"
                ),
                docs=[
                    "https://cloud.google.com/kubernetes-engine/docs/how-to/api-server-authentication"
                ],
                refs=[ref.GKE_NO_CLIENT_CERTS, ref.GKE_NO_LEGACY_ABAC],
            ),
            "azure": guide(
                evidence=(
                    "Microsoft.ContainerService/managedClusters disableLocalAccounts and aadProfile"
                ),
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
                docs=[
                    "https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad"
                ],
                refs=[ref.AKS_AAD_RBAC],
            ),
        },
    ),
    check=check_local_credentials,
)

RULES = (CP_001, CP_002, CP_003, CP_004)
