"""Google GKE guidance for every rule: the evidence's source, the fix, the CIS controls.

The rules in ``cloudposture.rules`` judge the provider-neutral model only; what to tell
a GKE user (where the fact was read, console path, CLI command, Terraform attribute, docs,
benchmark controls) and which rules have no meaning here live in this module. The plugin
object exposes ``GUIDANCE`` and ``NOT_APPLICABLE``; the core gathers them for ``rules show``,
docs/rules, NOT_APPLICABLE findings and every output format. Imports no SDK: cheap to import.
"""

from __future__ import annotations

from cloudposture.model import Reference
from cloudposture.rules.base import ProviderGuidance
from cloudposture.rules.guidance import Steps, cis, guide, guide_steps

CIS_GKE = "CIS Google Kubernetes Engine (GKE) Benchmark"
CIS_GKE_CITED_VERSION = "v1.6.0"
"""GKE is cited at v1.6.0, not v1.7.0, because v1.6.0 is the edition whose full control list
could be verified (kube-bench's ``cfg/gke-1.6.0``); a control whose number could not be
verified is left out rather than guessed."""


def _gke(control: str, title: str) -> Reference:
    return cis(CIS_GKE, CIS_GKE_CITED_VERSION, control, title)


GKE_CNI_NETPOL = _gke("4.3.1", "Ensure that the CNI in use supports Network Policies")
GKE_DEFAULT_SA = _gke(
    "5.2.1", "Ensure GKE clusters are not running using the Compute Engine default service account"
)
GKE_WORKLOAD_IDENTITY = _gke(
    "5.2.2", "Prefer using dedicated GCP Service Accounts and Workload Identity"
)
GKE_SECRETS_KMS = _gke(
    "5.3.1", "Ensure Kubernetes Secrets are encrypted using keys managed in Cloud KMS"
)
GKE_METADATA_SERVER = _gke("5.4.1", "Ensure the GKE Metadata Server is Enabled")
GKE_RELEASE_CHANNELS = _gke(
    "5.5.4", "When creating New Clusters - Automate GKE version management using Release Channels"
)
GKE_AUTHORIZED_NETWORKS = _gke("5.6.3", "Ensure Control Plane Authorized Networks is Enabled")
GKE_PRIVATE_ENDPOINT = _gke(
    "5.6.4", "Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled"
)
GKE_PRIVATE_NODES = _gke("5.6.5", "Ensure clusters are created with Private Nodes")
GKE_FIREWALL_NODES = _gke("5.6.6", "Consider firewalling GKE worker nodes")
GKE_LOGGING = _gke("5.7.1", "Ensure Logging and Cloud Monitoring is Enabled")
GKE_NO_CLIENT_CERTS = _gke("5.8.1", "Ensure authentication using Client Certificates is Disabled")
GKE_NO_LEGACY_ABAC = _gke("5.8.3", "Ensure Legacy Authorization (ABAC) is Disabled")

GKE_AUTHORIZED_DOCS = "https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks"

GKE_ISOLATION_DOCS = (
    "https://cloud.google.com/kubernetes-engine/docs/how-to/latest/network-isolation"
)

GKE_CIDRS_CLI = (
    "gcloud container clusters update <cluster> --location <location> "
    "--enable-master-authorized-networks --master-authorized-networks 203.0.113.0/24 "
    "--no-enable-google-cloud-access"
)

GKE_CIDRS_CONSOLE = (
    "Kubernetes Engine > Clusters > <cluster> > Networking > Control plane authorized "
    "networks: enable, add only your administration CIDRs, untick Google Cloud public IPs"
)

GKE_CIDRS = Steps(
    console=GKE_CIDRS_CONSOLE,
    cli=GKE_CIDRS_CLI,
    terraform="google_container_cluster.master_authorized_networks_config.cidr_blocks",
    docs=(GKE_AUTHORIZED_DOCS,),
    refs=(GKE_AUTHORIZED_NETWORKS,),
)

GKE_FIREWALL_DOCS = "https://cloud.google.com/kubernetes-engine/docs/concepts/firewall-rules"

GKE_FIREWALL_EVIDENCE = (
    "compute.networks.getEffectiveFirewalls and regionNetworkFirewallPolicies."
    "getEffectiveFirewalls: hierarchical, global and regional network firewall policies and "
    "VPC firewall rules, in enforcement order (deny and goto_next honoured), that allow "
    "INGRESS from 0.0.0.0/0 or ::/0 to targets (all instances, network tags, service "
    "accounts) matching the node pool"
)

GKE_FIREWALL_CONSOLE = (
    "VPC network > Firewall > <rule targeting the nodes>: narrow Source IPv4 ranges or delete "
    "the rule"
)

GKE_FIREWALL_TF = "google_compute_firewall.source_ranges"

GKE_SA_DOCS = "https://cloud.google.com/kubernetes-engine/docs/how-to/service-accounts"

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

GKE_LOGS_DOCS = "https://cloud.google.com/kubernetes-engine/docs/how-to/audit-logging"


GUIDANCE: dict[str, ProviderGuidance] = {
    "CP-001": guide_steps(
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
    "CP-002": guide(
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
        refs=[GKE_PRIVATE_ENDPOINT],
    ),
    "CP-003": guide_steps(
        GKE_CIDRS,
        evidence=(
            "container.projects.locations.clusters.get masterAuthorizedNetworksConfig.cidrBlocks"
        ),
        summary="Replace broad authorized networks with the exact egress ranges of your "
        "administrators and CI.",
    ),
    "CP-004": guide(
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
        docs=["https://cloud.google.com/kubernetes-engine/docs/how-to/api-server-authentication"],
        refs=[GKE_NO_CLIENT_CERTS, GKE_NO_LEGACY_ABAC],
    ),
    "NODE-001": guide(
        evidence=(
            "container.projects.locations.clusters.get privateClusterConfig."
            "enablePrivateNodes and nodePools[].networkConfig.enablePrivateNodes"
        ),
        summary="Enable private nodes for the cluster or the node pool (Cloud NAT for egress).",
        console=(
            "Kubernetes Engine > Clusters > <cluster> > Nodes > <pool> > Edit > "
            "Networking: enable private nodes"
        ),
        cli="gcloud container node-pools update <pool> --cluster <cluster> "
        "--location <location> --enable-private-nodes",
        terraform="google_container_cluster.private_cluster_config.enable_private_nodes",
        docs=["https://cloud.google.com/kubernetes-engine/docs/how-to/latest/network-isolation"],
        refs=[GKE_PRIVATE_NODES],
    ),
    "NODE-002": guide(
        evidence=GKE_FIREWALL_EVIDENCE,
        summary=(
            "Narrow or delete firewall rules that let the internet reach admin, "
            "kubelet or etcd ports on the nodes; for SSH allow only IAP TCP "
            "forwarding (35.235.240.0/20)."
        ),
        console=GKE_FIREWALL_CONSOLE,
        cli="gcloud compute firewall-rules update <rule> --source-ranges <admin-cidr>",
        terraform=GKE_FIREWALL_TF,
        docs=[GKE_FIREWALL_DOCS],
        refs=[GKE_FIREWALL_NODES],
    ),
    "NODE-003": guide(
        evidence=GKE_FIREWALL_EVIDENCE + " (k8s-fw-* rules GKE creates for Services are expected)",
        summary=(
            "Narrow or delete firewall rules that open other ports on the nodes to the "
            "internet; expose workloads through Services or Ingress."
        ),
        console=GKE_FIREWALL_CONSOLE,
        cli="gcloud compute firewall-rules delete <rule>",
        terraform=GKE_FIREWALL_TF,
        docs=[GKE_FIREWALL_DOCS],
        refs=[GKE_FIREWALL_NODES],
    ),
    "IAM-001": guide(
        evidence=(
            "nodePools[].config.serviceAccount -> its bindings in the project's, its folders' "
            "and its organization's getIamPolicy: roles/owner or roles/editor, or a role that "
            "can make it owner (setIamPolicy on the project or above, token/key/JWT for other "
            "service accounts, iam.roles.update on a custom role it holds, actAs with a way "
            "to run code); custom roles, and predefined roles outside the known escalators, "
            "judged by their iam.roles.get includedPermissions"
        ),
        summary=(
            "Run nodes as a service account holding only "
            "roles/container.defaultNodeServiceAccount; remove owner, editor and every grant "
            "the finding names."
        ),
        console="IAM & Admin > IAM > <node service account>: remove the roles the finding names",
        cli="gcloud projects remove-iam-policy-binding <project> "
        "--member serviceAccount:<node-sa> --role roles/editor",
        terraform="google_project_iam_member.role",
        docs=[GKE_SA_DOCS],
    ),
    "IAM-003": guide(
        evidence=GKE_NODE_SA_EVIDENCE,
        summary=(
            "Create a dedicated least-privilege node service account and node pools "
            "that use it; move the workloads and delete the old pools."
        ),
        console=GKE_DEDICATED_SA_CONSOLE,
        cli=GKE_DEDICATED_SA_CLI,
        terraform="google_container_node_pool.node_config.service_account",
        docs=[GKE_SA_DOCS],
        refs=[GKE_DEFAULT_SA],
    ),
    "IAM-004": guide(
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
        docs=["https://cloud.google.com/kubernetes-engine/docs/how-to/protecting-cluster-metadata"],
        refs=[GKE_METADATA_SERVER],
    ),
    "IAM-005": guide(
        evidence="container.projects.locations.clusters.get workloadIdentityConfig.workloadPool",
        summary="Enable Workload Identity Federation for GKE on the cluster and the GKE "
        "metadata server on its node pools.",
        console=("Kubernetes Engine > Clusters > <cluster> > Security > Workload Identity: Enable"),
        cli="gcloud container clusters update <cluster> --location <location> "
        "--workload-pool=<project>.svc.id.goog",
        terraform="google_container_cluster.workload_identity_config.workload_pool",
        docs=["https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity"],
        refs=[GKE_WORKLOAD_IDENTITY],
    ),
    "IAM-006": guide(
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
        refs=[GKE_DEFAULT_SA],
    ),
    "ETCD-001": guide(
        evidence="container.projects.locations.clusters.get (managed control plane: "
        "Google runs etcd or Spanner-backed state)",
        summary="Nothing to configure: Google runs the cluster state store, reachable "
        "only from the control plane over TLS. Keep secrets encrypted (ENC-001).",
        console="Kubernetes Engine > Clusters > <cluster> > Details",
        cli="gcloud container clusters describe <cluster> --location <location>",
        terraform="google_container_cluster (no etcd attribute: Google manages etcd)",
        docs=["https://cloud.google.com/kubernetes-engine/docs/concepts/control-plane-security"],
    ),
    "ENC-001": guide(
        evidence="container.projects.locations.clusters.get databaseEncryption.state "
        "(ENCRYPTED) and keyName",
        summary="Enable application-layer secrets encryption with a Cloud KMS key in the "
        "cluster's location.",
        console="Kubernetes Engine > Clusters > <cluster> > Security > Application-layer "
        "secrets encryption: Enable, choose the key",
        cli="gcloud container clusters update <cluster> --location <location> "
        "--database-encryption-key "
        "projects/<key-project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>",
        terraform="google_container_cluster.database_encryption.key_name",
        docs=["https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets"],
        refs=[GKE_SECRETS_KMS],
    ),
    "ENC-002": guide(
        evidence="cloudkms.projects.locations.keyRings.cryptoKeys.get primary.state, "
        "rotationPeriod and nextRotationTime",
        summary="Keep the primary key version enabled and set a rotation period.",
        console="Security > Key Management > <key ring> > <key> > Edit rotation period",
        cli="gcloud kms keys update <key> --keyring <ring> --location <location> "
        "--rotation-period 90d --next-rotation-time <timestamp>",
        terraform="google_kms_crypto_key.rotation_period",
        docs=["https://cloud.google.com/kms/docs/rotate-key"],
    ),
    "LOG-001": guide(
        evidence=(
            "loggingConfig.componentConfig.enableComponents (APISERVER) and "
            "auditConfigs for container.googleapis.com or allServices (DATA_READ, "
            "DATA_WRITE) merged from the project's, its folders' and its "
            "organization's getIamPolicy"
        ),
        summary=(
            "Send API server logs to Cloud Logging and enable Data Access audit logs "
            "for the Kubernetes Engine API (Admin Activity logs alone miss reads)."
        ),
        console="IAM & Admin > Audit Logs > Kubernetes Engine API: enable Data Read and Data Write",
        cli="gcloud container clusters update <cluster> --location <location> "
        "--logging=SYSTEM,WORKLOAD,API_SERVER",
        terraform="google_project_iam_audit_config.audit_log_config.log_type",
        docs=[GKE_LOGS_DOCS],
        refs=[GKE_LOGGING],
    ),
    "LOG-002": guide(
        evidence="loggingConfig.componentConfig.enableComponents (APISERVER, SCHEDULER, "
        "CONTROLLER_MANAGER)",
        summary="Add the API server, scheduler and controller-manager components to the "
        "cluster's Cloud Logging configuration.",
        console="Kubernetes Engine > Clusters > <cluster> > Features > Cloud Logging: "
        "add API Server, Scheduler, Controller Manager",
        cli="gcloud container clusters update <cluster> --location <location> "
        "--logging=SYSTEM,WORKLOAD,API_SERVER,SCHEDULER,CONTROLLER_MANAGER",
        terraform="google_container_cluster.logging_config.enable_components",
        docs=["https://cloud.google.com/kubernetes-engine/docs/how-to/view-logs"],
        refs=[GKE_LOGGING],
    ),
    "VER-001": guide(
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
        refs=[GKE_RELEASE_CHANNELS],
    ),
    "NET-001": guide(
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
        refs=[GKE_CNI_NETPOL],
    ),
    "PATH-001": guide(
        evidence="the NODE-001, NODE-002/NODE-003, IAM-004 and IAM-001 facts of the same node pool",
        summary="Break a link: enable the GKE metadata server on the pool, remove "
        "owner/editor from its service account, and use private nodes.",
        console="Kubernetes Engine > Clusters > <cluster> > Nodes > <pool> > Edit > "
        "Security: Enable GKE Metadata Server",
        cli="gcloud container node-pools update <pool> --cluster <cluster> "
        "--location <location> --workload-metadata=GKE_METADATA",
        terraform="google_container_node_pool.node_config.workload_metadata_config.mode",
        docs=["https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster"],
    ),
}

NOT_APPLICABLE: dict[str, str] = {
    "NODE-004": (
        "GKE has no node-pool SSH switch: SSH is just a firewall rule, judged by NODE-002"
    ),
    "IAM-002": ("Google manages the GKE control plane's identity; customers cannot grant it roles"),
}
