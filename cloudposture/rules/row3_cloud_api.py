"""Row 3: Kubernetes access to the cloud provider API.

The table asks that the control plane and the nodes each get their own cloud permissions,
following least privilege for the resources they must manage. Anything a node's identity may
do, every pod that reaches the node's metadata service may do too.
"""

from __future__ import annotations

from cloudposture.model import ClusterPosture, Evidence, NodePool, Severity
from cloudposture.rules import references as ref
from cloudposture.rules.base import Outcome, Rule, RuleMeta, RuleSettings, ev, unknown
from cloudposture.rules.guidance import guide
from cloudposture.rules.judge import (
    PoolVerdict,
    all_hold,
    fact,
    flag_link,
    identities_with,
    identity_facts,
    identity_link,
    judge_flag,
    judge_pools,
    pool_fact,
    with_evidence,
)


def _identity_detail(pool: NodePool, field: str) -> str:
    """The identities that make the pool fail on ``field``, each with its grants."""
    named = []
    for identity in identities_with(pool, field):
        grants = ", ".join(identity.grants)
        named.append(f"{identity.id}: {grants}" if grants else identity.id)
    return "; ".join(named)


def _identity_ids(pool: NodePool) -> Evidence:
    """Every identity the pool runs as, so a verdict shows the ones that passed too."""
    ids = None if pool.identities is None else [i.id for i in pool.identities]
    return ev(f"node_pools[{pool.name}].identities", ids, pool.source_of("identities"))


def _admin_identity(pool: NodePool) -> PoolVerdict:
    return all_hold(
        identity_link(pool, "admin_equivalent"),
        detail=_identity_detail(pool, "admin_equivalent"),
        extra=(_identity_ids(pool), *identity_facts(pool, "grants")),
    )


def check_node_admin(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when any identity of any node pool holds admin-equivalent cloud permissions (the
    worst identity decides; names the pool, the identity and the grants, with every identity
    of the pool in the evidence); ERROR when an identity or its summary is unknown and none
    fails."""
    return judge_pools(
        posture,
        _admin_identity,
        fail="node identity holds admin-equivalent cloud permissions in node pool(s)",
        ok="no node identity holds admin-equivalent cloud permissions",
    )


def check_control_plane_minimum(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when the control plane's identity is broader than the provider's documented
    minimum (names the identity and the grants that make it broad)."""
    identity = posture.control_plane_identity
    if identity is None:
        missing = ev("control_plane_identity", None)
        return with_evidence(unknown(posture, "control_plane_identity"), missing)
    grants = ", ".join(identity.grants) or "grants not itemized"
    return judge_flag(
        posture,
        fact(identity, "control_plane_identity", "exceeds_minimum"),
        bad=True,
        fail=f"the control-plane identity {identity.id} is broader than the documented "
        f"minimum: {grants}",
        ok=f"the control-plane identity {identity.id} stays within the documented minimum",
        extra=(
            fact(identity, "control_plane_identity", "id"),
            fact(identity, "control_plane_identity", "grants"),
        ),
    )


def check_default_identity(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when any node pool runs as the provider's default identity (GCE default SA)."""
    return judge_pools(
        posture,
        lambda pool: all_hold(
            identity_link(pool, "is_default"),
            detail=_identity_detail(pool, "is_default"),
            extra=(_identity_ids(pool),),
        ),
        fail="nodes run as the provider's default identity in node pool(s)",
        ok="every node pool runs as a dedicated identity",
    )


def _metadata_exposure(pool: NodePool) -> PoolVerdict:
    """The pool's metadata exposure; the detail names every identity whose credentials
    pods could read there."""
    ids = ", ".join(i.id for i in pool.identities or [])
    detail = pool.metadata_detail or ""
    if ids:
        detail = f"{detail}; credentials of {ids}" if detail else f"credentials of {ids}"
    return all_hold(
        flag_link(pool, "metadata_credentials_exposed"),
        detail=detail,
        extra=(pool_fact(pool, "metadata_detail"), _identity_ids(pool)),
    )


def check_metadata_credentials(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when pods can read the node identity's credentials from the instance metadata
    service in any node pool (with the provider's detail, e.g. IMDSv1 or hop limit 2)."""
    return judge_pools(
        posture,
        _metadata_exposure,
        fail="pods can read node credentials from instance metadata in node pool(s)",
        ok="no node pool exposes node credentials to pods through instance metadata",
    )


def check_workload_identity(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when the cluster offers workloads no cloud identity of their own, so they must
    borrow the node's."""
    wi = posture.workload_identity
    mechanisms = ", ".join(wi.mechanisms) or "mechanism not named"
    return judge_flag(
        posture,
        fact(wi, "workload_identity", "enabled"),
        bad=False,
        fail="workloads have no cloud identity of their own and must borrow the node's",
        ok=f"per-workload cloud identity is available ({mechanisms})",
        extra=(fact(wi, "workload_identity", "mechanisms"),),
    )


def check_default_full_scope(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when a node pool runs as the default identity with an OAuth scope covering the
    whole cloud API; ruled out by a dedicated identity or narrower scopes."""
    return judge_pools(
        posture,
        lambda pool: all_hold(
            flag_link(pool, "full_cloud_api_scope"),
            identity_link(pool, "is_default"),
            detail=_identity_detail(pool, "is_default"),
        ),
        fail="the default identity has the full cloud API scope in node pool(s)",
        ok="no node pool pairs the default identity with the full cloud API scope",
    )


EKS_NODE_ROLE_DOCS = "https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html"
GKE_SA_DOCS = "https://cloud.google.com/kubernetes-engine/docs/how-to/service-accounts"
AKS_IDENTITY_DOCS = "https://learn.microsoft.com/azure/aks/use-managed-identity"
GKE_DEDICATED_SA_CLI = (
    "gcloud container node-pools create <pool> --cluster <cluster> --location <location> "
    "--service-account <node-sa>@<project>.iam.gserviceaccount.com"
)
GKE_DEDICATED_SA_CONSOLE = (
    "Kubernetes Engine > Clusters > <cluster> > Add node pool > Security: choose a dedicated "
    "service account"
)
GKE_NODE_SA_EVIDENCE = (
    "nodePools[].config.serviceAccount ('default' or <number>-compute@developer."
    "gserviceaccount.com is the Compute Engine default service account)"
)

IAM_001 = Rule(
    meta=RuleMeta(
        id="IAM-001",
        title="Node identity holds admin-equivalent cloud permissions",
        row="3",
        severity=Severity.CRITICAL,
        rationale=(
            "Every pod that reaches a node's metadata service, and anyone who compromises a "
            "node, acts with the node's cloud identity. If that identity can administer the "
            "account, one vulnerable container becomes a takeover of the whole cloud account. "
            "Nodes need only a few permissions: pulling images, networking, writing logs."
        ),
        guidance={
            "aws": guide(
                evidence=(
                    "eks:DescribeNodegroup nodeRole -> iam:ListAttachedRolePolicies, "
                    "ListRolePolicies, GetRolePolicy (AdministratorAccess, PowerUserAccess, "
                    "IAMFullAccess, or Action '*')"
                ),
                summary=(
                    "Keep only AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryReadOnly and "
                    "the CNI policy on the node role; give workloads their own roles (IRSA or "
                    "Pod Identity)."
                ),
                console=(
                    "IAM > Roles > <node role> > Permissions: remove AdministratorAccess, "
                    "PowerUserAccess, IAMFullAccess and wildcard statements"
                ),
                cli="aws iam detach-role-policy --role-name <node-role> "
                "--policy-arn arn:aws:iam::aws:policy/AdministratorAccess",
                terraform="aws_iam_role_policy_attachment.policy_arn",
                docs=[EKS_NODE_ROLE_DOCS],
            ),
            "gcp": guide(
                evidence=(
                    "nodePools[].config.serviceAccount -> roles/owner or roles/editor bindings "
                    "in the project's, its folders' and its organization's getIamPolicy"
                ),
                summary=(
                    "Run nodes as a service account holding only "
                    "roles/container.defaultNodeServiceAccount; remove owner and editor."
                ),
                console="IAM & Admin > IAM > <node service account>: remove Owner and Editor",
                cli="gcloud projects remove-iam-policy-binding <project> "
                "--member serviceAccount:<node-sa> --role roles/editor",
                terraform="google_project_iam_member.role",
                docs=[GKE_SA_DOCS],
            ),
            "azure": guide(
                evidence=(
                    "managedClusters identityProfile.kubeletidentity -> Microsoft.Authorization/"
                    "roleAssignments (Owner, Contributor, User Access Administrator at "
                    "subscription or resource-group scope)"
                ),
                summary=(
                    "Remove broad role assignments from the kubelet identity; keep AcrPull on "
                    "the registry and give workloads their own identities."
                ),
                console=(
                    "Subscriptions > <subscription> > Access control (IAM) > Role assignments: "
                    "remove the kubelet identity's Owner / Contributor"
                ),
                cli="az role assignment delete --assignee <kubelet-identity-object-id> "
                "--role Contributor --scope /subscriptions/<subscription-id>",
                terraform="azurerm_role_assignment.role_definition_name",
                docs=[AKS_IDENTITY_DOCS],
            ),
        },
    ),
    check=check_node_admin,
)

IAM_002 = Rule(
    meta=RuleMeta(
        id="IAM-002",
        title="Control-plane identity broader than the documented minimum",
        row="3",
        severity=Severity.HIGH,
        rationale=(
            "The control plane's cloud identity manages load balancers, network interfaces "
            "and volumes for the cluster. The provider documents exactly what it needs; "
            "anything more is power an attacker inherits by abusing a controller, and it "
            "blurs the separation the table asks for between control plane and nodes."
        ),
        guidance={
            "aws": guide(
                evidence=(
                    "eks:DescribeCluster roleArn -> iam:ListAttachedRolePolicies, "
                    "ListRolePolicies (anything beyond AmazonEKSClusterPolicy)"
                ),
                summary="Leave only AmazonEKSClusterPolicy (and the documented EKS-managed "
                "policies you use) on the cluster role.",
                console="IAM > Roles > <cluster role> > Permissions: detach the extra policies",
                cli="aws iam detach-role-policy --role-name <cluster-role> "
                "--policy-arn <extra-policy-arn>",
                terraform="aws_iam_role_policy_attachment.policy_arn",
                docs=["https://docs.aws.amazon.com/eks/latest/userguide/cluster-iam-role.html"],
            ),
            "azure": guide(
                evidence=(
                    "managedClusters identity.principalId -> Microsoft.Authorization/"
                    "roleAssignments (Owner / Contributor at subscription scope)"
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
        },
        not_applicable={
            "gcp": "Google manages the GKE control plane's identity; customers cannot grant it "
            "roles",
        },
    ),
    check=check_control_plane_minimum,
)

IAM_003 = Rule(
    meta=RuleMeta(
        id="IAM-003",
        title="Nodes run as the provider's default identity",
        row="3",
        severity=Severity.MEDIUM,
        rationale=(
            "The Compute Engine default service account is shared by every VM in the project "
            "and has historically held the Editor role. Nodes running as it get far more than "
            "they need and share an identity with unrelated workloads, so neither least "
            "privilege nor attribution is possible."
        ),
        guidance={
            "gcp": guide(
                evidence=GKE_NODE_SA_EVIDENCE,
                summary=(
                    "Create a dedicated least-privilege node service account and node pools "
                    "that use it; move the workloads and delete the old pools."
                ),
                console=GKE_DEDICATED_SA_CONSOLE,
                cli=GKE_DEDICATED_SA_CLI,
                terraform="google_container_node_pool.node_config.service_account",
                docs=[GKE_SA_DOCS],
                refs=[ref.GKE_DEFAULT_SA],
            ),
        },
        not_applicable={
            "aws": "EKS has no default node identity: every node group names its own IAM role "
            "(judged by IAM-001)",
            "azure": "AKS gives each cluster its own kubelet managed identity, not a shared "
            "default (judged by IAM-001)",
        },
    ),
    check=check_default_identity,
)

IAM_004 = Rule(
    meta=RuleMeta(
        id="IAM-004",
        title="Pods can read node credentials from instance metadata",
        row="3",
        severity=Severity.HIGH,
        rationale=(
            "The instance metadata service hands the node identity's credentials to whoever "
            "asks from the node. Unless pods are blocked from it, any pod (or an SSRF bug in "
            "one) can take the node's cloud permissions, which defeats per-workload identity "
            "and the separation the table asks for."
        ),
        guidance={
            "aws": guide(
                evidence=(
                    "ec2:DescribeLaunchTemplateVersions / ec2:DescribeInstances MetadataOptions."
                    "HttpTokens and HttpPutResponseHopLimit"
                ),
                summary=(
                    "Require IMDSv2 with a hop limit of 1 so pods cannot reach node "
                    "credentials; give pods IRSA or Pod Identity instead."
                ),
                console=(
                    "EC2 > Launch templates > <template> > Modify template (new version) > "
                    "Advanced details: Metadata version 'V2 only', response hop limit 1"
                ),
                cli="aws ec2 modify-instance-metadata-options --instance-id <instance> "
                "--http-tokens required --http-put-response-hop-limit 1",
                terraform="aws_launch_template.metadata_options.http_put_response_hop_limit",
                docs=[
                    "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/"
                    "configuring-instance-metadata-options.html"
                ],
            ),
            "gcp": guide(
                evidence=(
                    "nodePools[].config.workloadMetadataConfig.mode (GKE_METADATA protects; "
                    "unset or GCE_METADATA exposes)"
                ),
                summary="Enable Workload Identity and the GKE metadata server on every node pool.",
                console=(
                    "Kubernetes Engine > Clusters > <cluster> > Nodes > <pool> > Edit > "
                    "Security: Enable GKE Metadata Server"
                ),
                cli="gcloud container node-pools update <pool> --cluster <cluster> "
                "--location <location> --workload-metadata=GKE_METADATA",
                terraform="google_container_node_pool.node_config.workload_metadata_config.mode",
                docs=[
                    "https://cloud.google.com/kubernetes-engine/docs/how-to/"
                    "protecting-cluster-metadata"
                ],
                refs=[ref.GKE_METADATA_SERVER],
            ),
        },
        not_applicable={
            "azure": "AKS has no node setting that hides the instance metadata service from "
            "pods; limit the kubelet identity (IAM-001) and use workload identity (IAM-005)",
        },
    ),
    check=check_metadata_credentials,
)

IAM_005 = Rule(
    meta=RuleMeta(
        id="IAM-005",
        title="No per-workload cloud identity",
        row="3",
        severity=Severity.MEDIUM,
        rationale=(
            "Without a per-workload identity, pods that call cloud APIs must use the node's "
            "identity or long-lived keys in Secrets. Either way every pod gets the union of "
            "all workloads' permissions. Workload identity gives each service account its own "
            "short-lived, auditable cloud credentials."
        ),
        guidance={
            "aws": guide(
                evidence=(
                    "eks:DescribeCluster identity.oidc.issuer + iam:ListOpenIDConnectProviders "
                    "(IRSA); eks:ListAddons eks-pod-identity-agent (Pod Identity)"
                ),
                summary="Install the EKS Pod Identity Agent (or register the cluster's OIDC "
                "provider for IRSA) and give workloads their own roles.",
                console=(
                    "EKS > Clusters > <cluster> > Add-ons > Get more add-ons: Amazon EKS Pod "
                    "Identity Agent"
                ),
                cli="aws eks create-addon --cluster-name <cluster> "
                "--addon-name eks-pod-identity-agent",
                terraform="aws_eks_addon.addon_name",
                docs=["https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html"],
                refs=[ref.EKS_DEDICATED_SA],
            ),
            "gcp": guide(
                evidence="container.projects.locations.clusters.get workloadIdentityConfig."
                "workloadPool",
                summary="Enable Workload Identity Federation for GKE on the cluster and the GKE "
                "metadata server on its node pools.",
                console=(
                    "Kubernetes Engine > Clusters > <cluster> > Security > Workload Identity: "
                    "Enable"
                ),
                cli="gcloud container clusters update <cluster> --location <location> "
                "--workload-pool=<project>.svc.id.goog",
                terraform="google_container_cluster.workload_identity_config.workload_pool",
                docs=["https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity"],
                refs=[ref.GKE_WORKLOAD_IDENTITY],
            ),
            "azure": guide(
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
        },
    ),
    check=check_workload_identity,
)

IAM_006 = Rule(
    meta=RuleMeta(
        id="IAM-006",
        title="Default identity with the full cloud API scope on nodes",
        row="3",
        severity=Severity.HIGH,
        rationale=(
            "On GKE, OAuth access scopes cap what a VM's service account can do. The "
            "cloud-platform scope removes that cap, so nodes running as the Compute Engine "
            "default service account can use every role that account holds, often Editor on "
            "the whole project."
        ),
        guidance={
            "gcp": guide(
                evidence=(
                    "nodePools[].config.oauthScopes contains https://www.googleapis.com/auth/"
                    "cloud-platform, with " + GKE_NODE_SA_EVIDENCE
                ),
                summary=(
                    "Run node pools as a dedicated least-privilege service account (then IAM, "
                    "not scopes, limits it); until then, keep the default scopes."
                ),
                console=GKE_DEDICATED_SA_CONSOLE,
                cli=GKE_DEDICATED_SA_CLI,
                terraform="google_container_node_pool.node_config.oauth_scopes",
                docs=["https://cloud.google.com/compute/docs/access/service-accounts"],
                refs=[ref.GKE_DEFAULT_SA],
            ),
        },
        not_applicable={
            "aws": "EC2 instances have no OAuth scopes; IAM policies alone decide (IAM-001)",
            "azure": "Azure VMs have no OAuth access scopes; role assignments alone decide "
            "(IAM-001)",
        },
    ),
    check=check_default_full_scope,
)

RULES = (IAM_001, IAM_002, IAM_003, IAM_004, IAM_005, IAM_006)
