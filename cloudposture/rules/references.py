"""CIS benchmark controls the rules cite, defined once so every rule quotes the same words.

Numbers and titles were checked against the published benchmark text (as carried by
kube-bench's ``cfg/eks-1.7.0``, ``cfg/aks-1.7`` and ``cfg/gke-1.6.0`` profiles). GKE is cited
at v1.6.0, not the v1.7.0 that ``base.CIS_GKE_VERSION`` names, because v1.6.0 is the edition
whose full control list could be verified; a control whose number could not be verified is
left out rather than guessed.
"""

from __future__ import annotations

from cloudposture.model import Reference
from cloudposture.rules.base import (
    CIS_AKS,
    CIS_AKS_VERSION,
    CIS_EKS,
    CIS_EKS_VERSION,
    CIS_GKE,
    cis,
)

CIS_GKE_CITED_VERSION = "v1.6.0"


def _eks(control: str, title: str) -> Reference:
    return cis(CIS_EKS, CIS_EKS_VERSION, control, title)


def _gke(control: str, title: str) -> Reference:
    return cis(CIS_GKE, CIS_GKE_CITED_VERSION, control, title)


def _aks(control: str, title: str) -> Reference:
    return cis(CIS_AKS, CIS_AKS_VERSION, control, title)


# --- CIS Amazon EKS Benchmark v1.7.0 -------------------------------------------------------
EKS_AUDIT_LOGS = _eks("2.1.1", "Enable audit Logs")
EKS_ACCESS_MANAGER = _eks(
    "4.1.7",
    "Cluster Access Manager API to streamline and enhance the management of access controls "
    "within EKS clusters",
)
EKS_CNI_NETPOL = _eks("4.3.1", "Ensure CNI plugin supports network policies")
EKS_DEDICATED_SA = _eks("5.2.1", "Prefer using dedicated Amazon EKS Service Accounts")
EKS_SECRETS_CMK = _eks(
    "5.3.1",
    "Ensure Kubernetes Secrets are encrypted using Customer Master Keys (CMKs) managed in AWS KMS",
)
EKS_RESTRICT_ENDPOINT = _eks("5.4.1", "Restrict Access to the Control Plane Endpoint")
EKS_PRIVATE_ENDPOINT = _eks(
    "5.4.2", "Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled"
)
EKS_PRIVATE_NODES = _eks("5.4.3", "Ensure clusters are created with Private Nodes")
EKS_NETWORK_POLICY = _eks("5.4.4", "Ensure Network Policy is Enabled and set as appropriate")
EKS_IAM_AUTHENTICATOR = _eks(
    "5.5.1",
    "Manage Kubernetes RBAC users with AWS IAM Authenticator for Kubernetes or Upgrade to "
    "AWS CLI v1.16.156 or greater",
)

# --- CIS Google Kubernetes Engine (GKE) Benchmark v1.6.0 ---------------------------------
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

# --- CIS Azure Kubernetes Service (AKS) Benchmark v1.7.0 -----------------------------------
AKS_AUDIT_LOGS = _aks("2.1.1", "Enable audit Logs")
AKS_SECRETS_ENCRYPTED = _aks("5.3.1", "Ensure Kubernetes Secrets are encrypted")
AKS_RESTRICT_ENDPOINT = _aks("5.4.1", "Restrict Access to the Control Plane Endpoint")
AKS_PRIVATE_ENDPOINT = _aks(
    "5.4.2", "Ensure clusters are created with Private Endpoint Enabled and Public Access Disabled"
)
AKS_PRIVATE_NODES = _aks("5.4.3", "Ensure clusters are created with Private Nodes")
AKS_NETWORK_POLICY = _aks("5.4.4", "Ensure Network Policy is Enabled and set as appropriate")
AKS_AAD_RBAC = _aks("5.5.1", "Manage Kubernetes RBAC users with Azure AD")
