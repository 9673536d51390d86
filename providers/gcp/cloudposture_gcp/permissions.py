"""The exact read-only IAM permissions a GKE scan uses, per API call.

``docs/permissions/gcp-custom-role.yaml`` ships the same list as a custom role definition
(``gcloud iam roles create cloudposture_reader --project P --file ...``); a test keeps the
two in sync, and another checks that every call the adapter makes against the fake API is
listed here.

The folder and organization permissions are read on the ancestors of every scanned project
(grant the role on the organization): IAM grants and audit configs are inherited from them.
``resourcemanager.organizations.get`` is not needed: the walk up the hierarchy ends at the
organization's name, which ``parent`` already gives, and its IAM policy is read directly.

Not needed, on purpose: ``container.clusters.getCredentials``. Without it the listing simply
omits client keys and passwords; whether a client certificate or basic auth is configured
still shows in ``clientCertificateConfig`` and ``username``.
"""

from __future__ import annotations

from collections.abc import Mapping

PERMISSIONS_BY_CALL: Mapping[str, tuple[str, ...]] = {
    "container:ListClusters": ("container.clusters.list",),
    "container:GetCluster": ("container.clusters.get",),
    "container:GetServerConfig": ("container.clusters.list",),
    "resourcemanager:GetProject": ("resourcemanager.projects.get",),
    "resourcemanager:GetIamPolicy": ("resourcemanager.projects.getIamPolicy",),
    "resourcemanager:GetFolder": ("resourcemanager.folders.get",),
    "resourcemanager:GetFolderIamPolicy": ("resourcemanager.folders.getIamPolicy",),
    "resourcemanager:GetOrganizationIamPolicy": ("resourcemanager.organizations.getIamPolicy",),
    "resourcemanager:ListProjects": ("resourcemanager.projects.list",),
    "resourcemanager:ListFolders": ("resourcemanager.folders.list",),
    "compute:GetEffectiveFirewalls": ("compute.networks.getEffectiveFirewalls",),
    # regionNetworkFirewallPolicies.getEffectiveFirewalls is authorized on the network.
    "compute:GetRegionEffectiveFirewalls": ("compute.networks.getRegionEffectiveFirewalls",),
    "compute:GetNetwork": ("compute.networks.get",),
    "cloudkms:GetCryptoKey": ("cloudkms.cryptoKeys.get",),
    # The roles bound to node service accounts (IAM-001 judges their permissions): custom
    # ones, and predefined ones outside the known escalators; on the organization for
    # organization-level custom roles (predefined roles belong to no project).
    "iam:GetRole": ("iam.roles.get",),
}

DISCOVERY_ONLY = frozenset({"resourcemanager:ListProjects", "resourcemanager:ListFolders"})
"""Needed only with --organization / --folder, on the organization or folder."""


def required_permissions() -> list[str]:
    """Every permission of the custom role, sorted and unique."""
    return sorted({p for perms in PERMISSIONS_BY_CALL.values() for p in perms})
