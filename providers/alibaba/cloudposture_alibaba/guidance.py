"""ACK guidance for every rule, and why some rules have no ACK meaning (plain data, no SDK).

The shape the core gathers from every provider plugin (issue 10): ``GUIDANCE`` maps a rule id
to where the evidence comes from and how to fix it on Alibaba Cloud (console path, ``aliyun``
CLI command, Terraform attribute of the alicloud provider, docs); ``NOT_APPLICABLE`` maps a
rule id to the reason it is reported NOT_APPLICABLE on ACK. CIS references are the
"Kubernetes Engine" section (7) of the CIS Alibaba Cloud Foundation Benchmark v1.0.0, cited only
where a control matches the rule (7.1 Log Service, 7.7 network policy, 7.9 private cluster);
every other rule cites Alibaba Cloud's own documentation.
"""

from __future__ import annotations

from collections.abc import Mapping

from cloudposture.model import Reference, Remediation
from cloudposture.rules.base import ProviderGuidance
from cloudposture.rules.guidance import cis

CIS_ALIBABA = "CIS Alibaba Cloud Foundation Benchmark"
CIS_ALIBABA_VERSION = "v1.0.0"
CIS_LOGS = cis(
    CIS_ALIBABA,
    CIS_ALIBABA_VERSION,
    "7.1",
    "Ensure Log Service is set to 'Enabled' on Kubernetes Engine Clusters",
)
CIS_NETWORK_POLICY = cis(
    CIS_ALIBABA,
    CIS_ALIBABA_VERSION,
    "7.7",
    "Ensure Network policy is enabled on Kubernetes Engine Clusters",
)
CIS_PRIVATE = cis(
    CIS_ALIBABA,
    CIS_ALIBABA_VERSION,
    "7.9",
    "Ensure Kubernetes Cluster is created with Private cluster enabled",
)

API_ACL_DOCS = "https://www.alibabacloud.com/help/en/ack/cluster-access-control"
API_EIP_DOCS = (
    "https://alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/"
    "control-public-access-to-the-api-server-of-a-cluster"
)
CLB_ACL_DOCS = "https://www.alibabacloud.com/help/doc-detail/86001.html"
IMDS_DOCS = (
    "https://www.alibabacloud.com/help/en/ecs/developer-reference/"
    "api-ecs-2014-05-26-modifyinstancemetadataoptions"
)
RRSA_DOCS = "https://www.alibabacloud.com/help/doc-detail/356611.html"
KMS_SECRETS_DOCS = "https://www.alibabacloud.com/help/doc-detail/187472.htm"
CP_LOG_DOCS = (
    "https://alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/developer-reference/"
    "api-cs-2015-12-15-checkcontrolplanelogenable"
)
CP_LOG_UPDATE_DOCS = (
    "https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/developer-reference/"
    "api-cs-2015-12-15-updatecontrolplanelog"
)
HOST_SECURITY_DOCS = (
    "https://alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/security-and-compliance/"
    "host-security"
)

ACL_CLI = (
    "aliyun slb SetLoadBalancerTCPListenerAttribute --RegionId <region> --LoadBalancerId "
    "<api-server-clb> --ListenerPort 6443 --AclStatus on --AclType white --AclId <acl-id> "
    "(after aliyun slb AddAccessControlListEntry --AclId <acl-id> --AclEntrys "
    '\'[{"entry":"203.0.113.0/24"}]\')'
)
ACL_CONSOLE = (
    "ACK console > Clusters > <cluster> > Cluster Information > Basic Information > Internal "
    "Endpoint > Set access control: whitelist only your administration CIDRs"
)
ACL_TF = "alicloud_slb_listener.acl_status / acl_type / acl_id (the API server CLB, port 6443)"
SG_CONSOLE = (
    "ECS console > Network & Security > Security Groups > <node security group> > Inbound: "
    "delete or narrow rules whose source is 0.0.0.0/0 or ::/0"
)
SG_CLI = (
    "aliyun ecs RevokeSecurityGroup --RegionId <region> --SecurityGroupId <sg> --IpProtocol tcp "
    "--PortRange 22/22 --SourceCidrIp 0.0.0.0/0"
)
SG_TF = "alicloud_security_group_rule.cidr_ip"
SG_EVIDENCE = (
    "ecs:DescribeSecurityGroupAttribute (Direction ingress) on the security groups of each "
    "node pool's scaling group and of its ECS instances: Accept rules from 0.0.0.0/0 or ::/0, "
    "less the ports a Drop from the whole internet refuses at the same or a higher Priority"
)
ROLE_EVIDENCE = (
    "cs:DescribeClusterDetail worker_ram_role_name (or the node pool's scaling_group."
    "ram_role_name) -> ram:ListPoliciesForRole -> ram:GetPolicyVersion of each custom policy"
)


def _guide(
    evidence: str,
    summary: str,
    console: str,
    cli: str,
    terraform: str,
    *docs: str,
    refs: tuple[Reference, ...] = (),
) -> ProviderGuidance:
    return ProviderGuidance(
        evidence=evidence,
        remediation=Remediation(
            summary=summary, console=console, cli=cli, terraform=terraform, docs=list(docs)
        ),
        references=refs,
    )


GUIDANCE: Mapping[str, ProviderGuidance] = {
    "CP-001": _guide(
        "cs:DescribeClusterDetail master_url.api_server_endpoint; the API server CLB "
        "(external_loadbalancer_id) listener on 6443: slb:DescribeLoadBalancerTCPListener"
        "Attribute AclStatus / AclType / AclIds -> slb:DescribeAccessControlListAttribute "
        "(access control off, a blacklist, or an empty whitelist admit every address)",
        "Whitelist the API server listener to your administration CIDRs, or unbind the EIP so "
        "the API server has no public endpoint.",
        ACL_CONSOLE,
        ACL_CLI,
        ACL_TF,
        API_ACL_DOCS,
        CLB_ACL_DOCS,
    ),
    "CP-002": _guide(
        "cs:DescribeClusterDetail master_url.api_server_endpoint (an EIP bound to the API "
        "server CLB)",
        "Unbind the EIP from the API server and reach it over the internal endpoint (VPN, "
        "Express Connect, a bastion in the VPC).",
        "ACK console > Clusters > <cluster> > Cluster Information > Basic Information > API "
        "Server Public Endpoint > Unbind EIP",
        "aliyun vpc UnassociateEipAddress --RegionId <region> --AllocationId <eip-id> "
        "--InstanceId <api-server-clb> --InstanceType SlbInstance",
        "alicloud_cs_managed_kubernetes.slb_internet_enabled = false",
        API_EIP_DOCS,
        refs=(CIS_PRIVATE,),
    ),
    "CP-003": _guide(
        "the API server listener ACL's entries (slb:DescribeAccessControlListAttribute "
        "AclEntrys.AclEntry[].AclEntryIP)",
        "Replace broad entries with the narrow CIDRs that administer the cluster.",
        ACL_CONSOLE,
        "aliyun slb RemoveAccessControlListEntry --RegionId <region> --AclId <acl-id> "
        '--AclEntrys \'[{"entry":"<broad cidr>"}]\'',
        "alicloud_slb_acl_entry_attachment.entry",
        API_ACL_DOCS,
        CLB_ACL_DOCS,
    ),
    "NODE-001": _guide(
        "cs:DescribeClusterNodePools scaling_group.internet_max_bandwidth_out > 0 or "
        "auto_scaling.is_bond_eip; ecs:DescribeInstances PublicIpAddress / EipAddress of the "
        "pool's nodes",
        "Give node pools no public bandwidth and no EIPs; reach the internet through a NAT "
        "gateway and serve traffic through load balancers.",
        "ACK console > Clusters > <cluster> > Node Pools > <pool> > Edit: Public IP off "
        "(and unbind EIPs from existing nodes)",
        "aliyun cs PUT /clusters/<cluster-id>/nodepools/<nodepool-id> --body "
        '\'{"scaling_group":{"internet_max_bandwidth_out":0}}\'',
        "alicloud_cs_kubernetes_node_pool.internet_max_bandwidth_out = 0",
        HOST_SECURITY_DOCS,
        refs=(CIS_PRIVATE,),
    ),
    "NODE-002": _guide(
        SG_EVIDENCE,
        "Remove internet rules for SSH, RDP, the kubelet and etcd ports; reach nodes through "
        "a bastion or Cloud Assistant.",
        SG_CONSOLE,
        SG_CLI,
        SG_TF,
        HOST_SECURITY_DOCS,
    ),
    "NODE-003": _guide(
        SG_EVIDENCE,
        "Remove internet rules for ports outside NodePort/LoadBalancer traffic; expose "
        "workloads through LoadBalancer Services instead.",
        SG_CONSOLE,
        "aliyun ecs RevokeSecurityGroup --RegionId <region> --SecurityGroupId <sg> "
        "--IpProtocol tcp --PortRange <port>/<port> --SourceCidrIp 0.0.0.0/0",
        SG_TF,
        HOST_SECURITY_DOCS,
    ),
    "IAM-001": _guide(
        ROLE_EVIDENCE,
        "Detach AdministratorAccess / AliyunRAMFullAccess and wildcard custom policies from the "
        "worker RAM role; give workloads their own roles through RRSA.",
        "RAM console > Identities > Roles > KubernetesWorkerRole-<id> > Permissions: remove "
        "the broad policies",
        "aliyun ram DetachPolicyFromRole --PolicyType System --PolicyName AdministratorAccess "
        "--RoleName <worker-role>",
        "alicloud_ram_role_policy_attachment (remove the broad attachment)",
        RRSA_DOCS,
    ),
    "IAM-004": _guide(
        "ecs:DescribeInstances MetadataOptions.HttpTokens (and HttpPutResponseHopLimit) of "
        "every node: only 'required' (security hardening mode) keeps tokenless requests from "
        "pods away from the worker role's credentials",
        "Require the metadata security hardening mode on every node and in the node pool "
        "configuration, and use RRSA for workloads that call Alibaba Cloud APIs.",
        "ECS console > Instances > <node> > More > Modify Instance Metadata Access Mode: "
        "Enforced security hardening mode",
        "aliyun ecs ModifyInstanceMetadataOptions --RegionId <region> --InstanceId <node> "
        "--HttpEndpoint enabled --HttpTokens required",
        'alicloud_cs_kubernetes_node_pool.instance_metadata_options.http_tokens = "required"',
        IMDS_DOCS,
    ),
    "IAM-005": _guide(
        "cs:DescribeClusterDetail rrsa_config.enabled (RAM Roles for Service Accounts)",
        "Enable RRSA and bind each workload's service account to its own RAM role.",
        "ACK console > Clusters > <cluster> > Cluster Information > Basic Information > "
        "Security and Auditing > RRSA OIDC: Enable",
        "aliyun cs PUT /api/v2/clusters/<cluster-id> --body '{\"enable_rrsa\":true}'",
        "alicloud_cs_managed_kubernetes.enable_rrsa = true",
        RRSA_DOCS,
    ),
    "ETCD-001": _guide(
        "cs:DescribeClusterDetail cluster_type: ManagedKubernetes runs etcd in the ACK-managed "
        "control plane; Kubernetes (dedicated) runs the masters and etcd on your ECS instances",
        "Migrate dedicated clusters to ACK managed (Pro) clusters; until then restrict the "
        "masters' security group to the cluster and keep etcd's peer and client TLS on.",
        "ACK console > Clusters > <dedicated cluster> > Migrate to ACK Pro",
        "aliyun cs POST /clusters/<cluster-id>/migrate --body "
        '\'{"oss_bucket_name":"<bucket>","oss_bucket_endpoint":"<endpoint>"}\' '
        "(MigrateCluster: dedicated to ACK managed Pro)",
        "alicloud_cs_managed_kubernetes (instead of alicloud_cs_kubernetes)",
        HOST_SECURITY_DOCS,
    ),
    "ENC-001": _guide(
        "cs:DescribeClusterDetail meta_data (a JSON string) Capabilities.EncryptionKMSKeyId: a "
        "key id, or empty when secrets are not envelope-encrypted",
        "Turn on Secret encryption with a KMS key you manage (ACK Pro clusters).",
        "ACK console > Clusters > <cluster> > Cluster Information > Basic Information > Secret "
        "Encryption: select a KMS key",
        'aliyun cs POST /clusters --body \'{"cluster_type":"ManagedKubernetes",'
        '"cluster_spec":"ack.pro.small","encryption_provider_key":"<kms-key-id>", '
        "...}' (new clusters; existing ones through the console)",
        "alicloud_cs_managed_kubernetes.encryption_provider_key",
        KMS_SECRETS_DOCS,
    ),
    "ENC-002": _guide(
        "kms:DescribeKey KeyMetadata.KeyState (Enabled), AutomaticRotation (Enabled) and "
        "RotationInterval of the EncryptionKMSKeyId key",
        "Keep the secrets key Enabled (cancel pending deletion) and turn on automatic rotation.",
        "KMS console > Keys > <key>: Enable; Rotation policy: automatic rotation on",
        "aliyun kms UpdateRotationPolicy --KeyId <key-id> --EnableAutomaticRotation true "
        "--RotationInterval 31536000s",
        'alicloud_kms_key.automatic_rotation = "Enabled", alicloud_kms_key.status = "Enabled"',
        KMS_SECRETS_DOCS,
    ),
    "LOG-001": _guide(
        "cs:GetClusterAuditProject audit_enabled and sls_project_name",
        "Turn on cluster auditing so API server audit logs go to Simple Log Service.",
        "ACK console > Clusters > <cluster> > Security and Auditing > Cluster Auditing: Enable",
        "aliyun cs PUT /clusters/<cluster-id>/audit_log --body "
        '\'{"disable":false,"sls_project_name":"<sls-project>"}\'',
        "alicloud_cs_managed_kubernetes.audit_log_config.enabled = true",
        CP_LOG_DOCS,
        refs=(CIS_LOGS,),
    ),
    "LOG-002": _guide(
        "cs:CheckControlPlaneLogEnable components (apiserver, kcm, scheduler)",
        "Collect the apiserver, kcm (controller manager) and scheduler logs into Simple Log "
        "Service.",
        "ACK console > Clusters > <cluster> > Operations > Log Center > Control Plane Component "
        "Logs: Enable for apiserver, kcm, scheduler",
        "aliyun cs PUT /clusters/<cluster-id>/controlplanelog --body "
        '\'{"components":["apiserver","kcm","scheduler","ccm"]}\'',
        "alicloud_cs_managed_kubernetes.control_plane_log_components",
        CP_LOG_DOCS,
        CP_LOG_UPDATE_DOCS,
        refs=(CIS_LOGS,),
    ),
    "VER-001": _guide(
        "cs:DescribeClusterDetail current_version against cs:DescribeKubernetesVersionMetadata "
        "(Mode=supported) version and expiration_date",
        "Upgrade the control plane, then the node pools, to a version ACK supports.",
        "ACK console > Clusters > <cluster> > Cluster Information > Upgrade Cluster",
        "aliyun cs POST /api/v2/clusters/<cluster-id>/upgrade --body "
        '\'{"next_version":"<supported version>"}\'',
        "alicloud_cs_managed_kubernetes.version",
        "https://www.alibabacloud.com/help/doc-detail/115453.html",
    ),
    "NET-001": _guide(
        'cs:DescribeClusterDetail meta_data Addons: terway* with config NetworkPolicy "true", '
        "or calico; Flannel does not enforce NetworkPolicy",
        "Use Terway with its NetworkPolicy option on (new clusters: choose Terway and enable "
        "NetworkPolicy support).",
        "ACK console > Clusters > <cluster> > Operations > Add-ons > terway-eniip > Configure: "
        "NetworkPolicy on",
        "aliyun cs POST /clusters/<cluster-id>/components/terway-eniip/config --body "
        '\'{"config":"{\\"NetworkPolicy\\":\\"true\\"}"}\'',
        "alicloud_cs_managed_kubernetes.addons (terway-eniip with "
        'config = jsonencode({NetworkPolicy = "true"}))',
        "https://www.alibabacloud.com/help/doc-detail/97621.htm",
        refs=(CIS_NETWORK_POLICY,),
    ),
    "PATH-001": _guide(
        "node pools with public IPs (NODE-001), internet ingress (NODE-002/003), metadata not "
        "hardened (IAM-004) and an admin-equivalent worker RAM role (IAM-001)",
        "Break any link, the cheapest first: require metadata hardening, then narrow the worker "
        "role, then remove public IPs and internet rules.",
        "See NODE-001, NODE-002, IAM-004 and IAM-001",
        "aliyun ecs ModifyInstanceMetadataOptions --RegionId <region> --InstanceId <node> "
        "--HttpEndpoint enabled --HttpTokens required",
        "alicloud_cs_kubernetes_node_pool.instance_metadata_options.http_tokens",
        IMDS_DOCS,
        RRSA_DOCS,
    ),
}

NOT_APPLICABLE: Mapping[str, str] = {
    "CP-004": "ACK always issues X.509 client-certificate kubeconfigs bound to RAM identities "
    "and has no switch to refuse them; revoke leaked ones with RevokeK8sClusterKubeConfig",
    "NODE-004": "ACK has no node-pool SSH switch that opens the network: SSH is a security "
    "group rule, judged by NODE-002",
    "IAM-002": "ACK's control plane calls cloud APIs through Alibaba Cloud service roles "
    "(AliyunCSManagedKubernetesRole and friends) whose policies Alibaba Cloud maintains",
    "IAM-003": "ACK has no shared default node identity: each cluster gets its own "
    "KubernetesWorkerRole (judged by IAM-001)",
    "IAM-006": "ECS instances have no OAuth access scopes; RAM policies alone decide (IAM-001)",
}
