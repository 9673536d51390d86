"""OKE guidance for every rule: where the evidence comes from and how to fix it (pure data).

``GUIDANCE`` maps a rule id to its OKE text; ``NOT_APPLICABLE`` maps the rules that have no
OKE meaning to the reason, reported as NOT_APPLICABLE. A test keeps the two covering the
whole rule catalogue, disjointly. No CIS control is cited: the CIS OKE benchmark's control
numbers could not be verified here, so only Oracle's documentation is referenced.
"""

from __future__ import annotations

from collections.abc import Mapping

from cloudposture.rules.base import ProviderGuidance
from cloudposture.rules.guidance import Steps, guide, guide_steps
from cloudposture_oci.not_on_oke import (
    NO_DEFAULT_NODE_IDENTITY,
    NO_LOCAL_CREDENTIALS,
    NO_OAUTH_SCOPES,
    ORACLE_MANAGED_CONTROL_PLANE,
)

_DOCS = "https://docs.oracle.com/iaas/Content/ContEng"
NETWORK_DOCS = f"{_DOCS}/Concepts/contengnetworkconfig.htm"
SECURITY_RULES_DOCS = "https://docs.oracle.com/iaas/Content/Network/Concepts/securitylists.htm"
ENDPOINT_DOCS = f"{_DOCS}/Concepts/contengnetworkconfigexample.htm"
NSG_DOCS = "https://docs.oracle.com/iaas/Content/Network/Concepts/networksecuritygroups.htm"
DYNAMIC_GROUP_DOCS = (
    "https://docs.oracle.com/iaas/Content/Identity/dynamicgroups/managingdynamicgroups.htm"
)
POLICY_DOCS = (
    "https://docs.oracle.com/iaas/Content/Identity/policiesgs/get-started-with-policies.htm"
)
IAM_POLICY_REFERENCE_DOCS = (
    "https://docs.oracle.com/iaas/Content/Identity/policyreference/iampolicyreference.htm"
)
IMDS_DOCS = "https://docs.oracle.com/iaas/Content/Compute/Tasks/gettingmetadata.htm"
WORKLOAD_IDENTITY_DOCS = f"{_DOCS}/Tasks/contengcomparingenhancedwithbasicclusters_topic.htm"
KMS_DOCS = "https://docs.oracle.com/iaas/Content/KeyManagement/Concepts/keyoverview.htm"
KEY_ROTATION_DOCS = KMS_DOCS
LOGS_DOCS = (
    "https://docs.oracle.com/en-us/iaas/Content/Logging/Reference/details_for_container-engine.htm"
)
AUDIT_DOCS = "https://docs.oracle.com/iaas/Content/Audit/Tasks/viewinglogevents.htm"
VERSIONS_DOCS = f"{_DOCS}/Concepts/contengaboutk8sversions.htm"
NETPOL_DOCS = f"{_DOCS}/Tasks/contengsettingupcalico.htm"
SHARED_RESPONSIBILITY_DOCS = f"{_DOCS}/Concepts/contengoverview.htm"

ENDPOINT_CIDRS = Steps(
    console="Networking > Virtual cloud networks > <vcn> > Network security groups > <API "
    "endpoint NSG> (and the endpoint subnet's security lists): allow TCP 6443 only from your "
    "administration CIDRs",
    cli="oci network nsg rules update --nsg-id <endpoint-nsg> --security-rules file://rules.json",
    terraform="oci_core_network_security_group_security_rule.source / "
    "oci_core_security_list.ingress_security_rules.source",
    docs=(SECURITY_RULES_DOCS, NSG_DOCS),
)
NODE_RULES = Steps(
    console="Networking > Virtual cloud networks > <vcn> > Security lists (worker subnet) and "
    "Network security groups (node pool NSGs): remove ingress from 0.0.0.0/0 and ::/0 except "
    "the NodePort range your load balancers need",
    cli="oci network security-list update --security-list-id <id> --ingress-security-rules "
    "file://ingress.json",
    terraform="oci_core_security_list.ingress_security_rules / "
    "oci_core_network_security_group_security_rule",
    docs=(SECURITY_RULES_DOCS, NSG_DOCS),
)
_RULES_EVIDENCE = (
    "core:GetSecurityList ingressSecurityRules of the placement subnets and "
    "core:ListNetworkSecurityGroupSecurityRules of nodeConfigDetails.nsgIds (INGRESS, source "
    "0.0.0.0/0 or ::/0, protocol 6/all, tcpOptions.destinationPortRange; stateless rules count)"
)

GUIDANCE: Mapping[str, ProviderGuidance] = {
    "CP-001": guide_steps(
        ENDPOINT_CIDRS,
        evidence="containerengine:GetCluster endpointConfig.isPublicIpEnabled + the API "
        "endpoint's NSGs (endpointConfig.nsgIds) and endpoint subnet security lists allowing "
        "TCP 6443 from 0.0.0.0/0 or ::/0",
        summary="Remove rules that open TCP 6443 to 0.0.0.0/0 or ::/0, or move the API "
        "endpoint to a private subnet without a public IP.",
    ),
    "CP-002": guide(
        evidence="containerengine:GetCluster endpointConfig.isPublicIpEnabled",
        summary="Give the Kubernetes API endpoint no public IP (a private endpoint subnet) and "
        "reach it through a bastion, VPN or FastConnect.",
        console="Developer Services > Kubernetes Clusters (OKE) > <cluster> > Edit: Kubernetes "
        "API endpoint: Private endpoint (clear 'Assign a public IPv4 address')",
        cli="oci ce cluster update-endpoint-config --cluster-id <cluster> "
        "--is-public-ip-enabled false",
        terraform="oci_containerengine_cluster.endpoint_config.is_public_ip_enabled",
        docs=[ENDPOINT_DOCS],
    ),
    "CP-003": guide_steps(
        ENDPOINT_CIDRS,
        evidence="source CIDRs of NSG and security list rules allowing TCP 6443 to the public "
        "API endpoint",
        summary="Narrow every public source allowed to TCP 6443 to /24 or smaller ranges you "
        "administer from.",
    ),
    "NODE-001": guide(
        evidence="containerengine:GetNodePool nodes[].publicIp + core:GetSubnet "
        "prohibitPublicIpOnVnic of the placement subnets",
        summary="Place node pools in private subnets (prohibitPublicIpOnVnic true) and reach "
        "the internet through a NAT gateway.",
        console="Developer Services > Kubernetes Clusters (OKE) > <cluster> > Node pools > "
        "<pool> > Edit: choose private worker subnets",
        cli="oci ce node-pool update --node-pool-id <pool> --placement-configs "
        "file://private-subnets.json",
        terraform="oci_core_subnet.prohibit_public_ip_on_vnic / "
        "oci_containerengine_node_pool.node_config_details.placement_configs.subnet_id",
        docs=[NETWORK_DOCS],
    ),
    "NODE-002": guide_steps(
        NODE_RULES,
        evidence=_RULES_EVIDENCE,
        summary="Close 22, 3389, 10250, 10255 and 2379-2380 (and any all-ports rule) to the "
        "internet on the worker subnets' security lists and node NSGs.",
    ),
    "NODE-003": guide_steps(
        NODE_RULES,
        evidence=_RULES_EVIDENCE,
        summary="Allow internet ingress to nodes only for the NodePort range your load "
        "balancers use.",
    ),
    "NODE-004": guide(
        evidence="containerengine:GetNodePool sshPublicKey + internet ingress on TCP 22",
        summary="Remove the pool's SSH public key, or close TCP 22 to the internet and use the "
        "OCI Bastion service.",
        console="Developer Services > Kubernetes Clusters (OKE) > <cluster> > Node pools > "
        "<pool> > Edit: remove the SSH key",
        cli="oci ce node-pool update --node-pool-id <pool> --ssh-public-key ''",
        terraform="oci_containerengine_node_pool.ssh_public_key",
        docs=[NETWORK_DOCS],
    ),
    "IAM-001": guide(
        evidence="identity:ListDynamicGroups matchingRule evaluated against the node "
        "instances (instance.id, instance.compartment.id, tag.*) + identity:ListPolicies "
        "statements granting those dynamic groups (or any-user) a way to make themselves "
        "admin: 'manage all-resources' or 'manage policies' (POLICY_CREATE / POLICY_UPDATE) "
        "in the tenancy or the nodes' compartment; in the tenancy, 'use dynamic-groups' "
        "(DYNAMIC_GROUP_UPDATE), 'manage users' (USER_UPDATE + USER_APIKEY_ADD or "
        "USER_UIPASS_RESET), 'use users' with 'use groups' (USER_UPDATE + GROUP_UPDATE), "
        "'use all-resources' or 'manage domains' (a where clause counts only if it limits "
        "the grant to reads, to non-IAM resources or to other principals)",
        summary="Grant the nodes' dynamic group only what the node needs (for example read "
        "repos, use volumes), never manage all-resources or write access to IAM (policies, "
        "dynamic groups, users, groups, domains), even with a region, time or compartment "
        "condition; prefer workload identity for pods.",
        console="Identity & Security > Policies > <policy>: replace the statements the "
        "finding names for the nodes' dynamic group with narrow ones",
        cli="oci iam policy update --policy-id <policy> --statements file://statements.json",
        terraform="oci_identity_policy.statements",
        docs=[DYNAMIC_GROUP_DOCS, POLICY_DOCS, IAM_POLICY_REFERENCE_DOCS],
    ),
    "IAM-004": guide(
        evidence="core:GetInstance instanceOptions.areLegacyImdsEndpointsDisabled on every node",
        summary="Disable the legacy IMDS v1 endpoints on the nodes (IMDSv2 only), and block "
        "169.254.169.254 from pods with a NetworkPolicy.",
        console="Compute > Instances > <node> > Instance metadata service: Edit > Version 2 only",
        cli="oci compute instance update --instance-id <node> "
        "--instance-options '{\"areLegacyImdsEndpointsDisabled\": true}'",
        terraform="oci_core_instance.instance_options.are_legacy_imds_endpoints_disabled",
        docs=[IMDS_DOCS],
    ),
    "IAM-005": guide(
        evidence="containerengine:GetCluster type (ENHANCED_CLUSTER offers OKE workload identity)",
        summary="Upgrade the cluster to an enhanced cluster and grant pods their own "
        "permissions with workload identity policies.",
        console="Developer Services > Kubernetes Clusters (OKE) > <cluster> > Upgrade to "
        "Enhanced cluster",
        cli="oci ce cluster update --cluster-id <cluster> --type ENHANCED_CLUSTER",
        terraform="oci_containerengine_cluster.type",
        docs=[WORKLOAD_IDENTITY_DOCS],
    ),
    "ETCD-001": guide(
        evidence="OKE shared responsibility model: etcd runs in the Oracle-managed control plane",
        summary="Nothing to configure: Oracle runs etcd and restricts it to the control plane "
        "over TLS.",
        console="Developer Services > Kubernetes Clusters (OKE) > <cluster> > Cluster details",
        cli="oci ce cluster get --cluster-id <cluster>",
        terraform="oci_containerengine_cluster (no etcd attribute: Oracle manages etcd)",
        docs=[SHARED_RESPONSIBILITY_DOCS],
    ),
    "ENC-001": guide(
        evidence="containerengine:GetCluster kmsKeyId",
        summary="Encrypt Kubernetes secrets with a customer-managed Vault key (set when the "
        "cluster is created).",
        console="Developer Services > Kubernetes Clusters (OKE) > Create cluster > Advanced "
        "options > Kubernetes secrets encryption: Encrypt using a key that you manage",
        cli="oci ce cluster create ... --kms-key-id <key-ocid>",
        terraform="oci_containerengine_cluster.kms_key_id",
        docs=[KMS_DOCS],
    ),
    "ENC-002": guide(
        evidence="kms:GetKey (at the vault's managementEndpoint) lifecycleState, "
        "isAutoRotationEnabled and autoKeyRotationDetails.rotationIntervalInDays",
        summary="Keep the key ENABLED (cancel any scheduled deletion) and turn on automatic "
        "key rotation.",
        console="Identity & Security > Vault > <vault> > Master encryption keys > <key> > "
        "Edit auto-rotation",
        cli="oci kms management key update --key-id <key> --is-auto-rotation-enabled true "
        "--auto-key-rotation-details '{\"rotationIntervalInDays\": 90}' --endpoint "
        "<management-endpoint>",
        terraform="oci_kms_key.is_auto_rotation_enabled / auto_key_rotation_details",
        docs=[KEY_ROTATION_DOCS],
    ),
    "LOG-001": guide(
        evidence="OCI Audit records the Kubernetes API server's audit events of every OKE "
        "cluster (always on; retention set by the tenancy's Audit configuration)",
        summary="Nothing to enable: read the events in Audit, and route them to your SIEM with "
        "a Connector Hub connector if needed.",
        console="Observability & Management > Audit: filter on the cluster's OCID",
        cli="oci audit event list --compartment-id <compartment> --start-time <t0> --end-time <t1>",
        terraform="oci_audit_configuration.retention_period_days",
        docs=[AUDIT_DOCS],
    ),
    "LOG-002": guide(
        evidence="logging:ListLogs service logs with source service oke-k8s-cp-prod and "
        "resource = the cluster (isEnabled)",
        summary="Enable the cluster's OKE service log (kube-apiserver, kube-controller-"
        "manager, kube-scheduler, cloud-controller-manager) in a log group.",
        console="Observability & Management > Logging > Logs > Enable service log: service "
        "Kubernetes Engine, resource <cluster>, category All service logs",
        cli="oci logging log create --log-group-id <group> --display-name <name> --log-type "
        'SERVICE --configuration \'{"source": {"sourceType": "OCISERVICE", "service": '
        '"oke-k8s-cp-prod", "resource": "<cluster-ocid>", "category": '
        '"all-service-logs"}}\'',
        terraform="oci_logging_log.configuration.source (service = oke-k8s-cp-prod)",
        docs=[LOGS_DOCS],
    ),
    "VER-001": guide(
        evidence="containerengine:GetCluster kubernetesVersion against "
        "containerengine:GetClusterOptions kubernetesVersions",
        summary="Upgrade the control plane, then the node pools, to a version OKE still offers.",
        console="Developer Services > Kubernetes Clusters (OKE) > <cluster> > Upgrade available",
        cli="oci ce cluster update --cluster-id <cluster> --kubernetes-version <version>",
        terraform="oci_containerengine_cluster.kubernetes_version",
        docs=[VERSIONS_DOCS],
    ),
    "NET-001": guide(
        evidence="containerengine:GetCluster clusterPodNetworkOptions[].cniType (neither "
        "flannel nor OCI VCN-native pod networking enforces NetworkPolicy)",
        summary="Install Calico for network policy enforcement, then default-deny namespaces.",
        console="n/a: Calico is installed into the cluster (kubectl or Helm), not through OCI",
        cli="oci ce cluster create-kubeconfig --cluster-id <cluster> --file <kubeconfig>, "
        "then kubectl apply -f <Calico policy-only manifest>",
        terraform="oci_containerengine_cluster (no attribute: install Calico with a "
        "helm_release into the cluster)",
        docs=[NETPOL_DOCS],
    ),
    "PATH-001": guide(
        evidence="NODE-001, NODE-002/003, IAM-004 and IAM-001 facts of the same node pool",
        summary="Break any link: private worker subnets, no internet ingress, IMDSv2 only, or "
        "a narrow dynamic-group policy.",
        console="See the fixes of NODE-001, NODE-002, IAM-004 and IAM-001",
        cli="oci network security-list update --security-list-id <worker-list> "
        "--ingress-security-rules file://ingress.json (or the NODE-001, IAM-004, IAM-001 fix)",
        terraform="oci_core_security_list.ingress_security_rules / oci_identity_policy."
        "statements / oci_core_instance.instance_options",
        docs=[NETWORK_DOCS, DYNAMIC_GROUP_DOCS],
    ),
}

NOT_APPLICABLE: Mapping[str, str] = {
    "CP-004": NO_LOCAL_CREDENTIALS,
    "IAM-002": ORACLE_MANAGED_CONTROL_PLANE,
    "IAM-003": NO_DEFAULT_NODE_IDENTITY,
    "IAM-006": NO_OAUTH_SCOPES,
}
