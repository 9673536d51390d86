"""Amazon EKS guidance for every rule: the evidence's source, the fix, the CIS controls.

The rules in ``cloudposture.rules`` judge the provider-neutral model only; what to tell
an EKS user (where the fact was read, console path, CLI command, Terraform attribute, docs,
benchmark controls) and which rules have no meaning here live in this module. The plugin
object exposes ``GUIDANCE`` and ``NOT_APPLICABLE``; the core gathers them for ``rules show``,
docs/rules, NOT_APPLICABLE findings and every output format. Imports no SDK: cheap to import.
"""

from __future__ import annotations

from cloudposture.model import Reference
from cloudposture.rules.base import ProviderGuidance
from cloudposture.rules.guidance import Steps, cis, guide, guide_steps

CIS_EKS = "CIS Amazon Elastic Kubernetes Service (EKS) Benchmark"
CIS_EKS_VERSION = "v1.7.0"


def _eks(control: str, title: str) -> Reference:
    return cis(CIS_EKS, CIS_EKS_VERSION, control, title)


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

EKS_ENDPOINT_DOCS = "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html"

EKS_CIDRS_CLI = (
    "aws eks update-cluster-config --name <cluster> --region <region> "
    '--resources-vpc-config endpointPrivateAccess=true,publicAccessCidrs="203.0.113.0/24"'
)

EKS_CIDRS_CONSOLE = (
    "EKS > Clusters > <cluster> > Networking > Manage endpoint access: keep Public and "
    "private, and under Advanced settings list only your administration CIDRs"
)

EKS_CIDRS = Steps(
    console=EKS_CIDRS_CONSOLE,
    cli=EKS_CIDRS_CLI,
    terraform="aws_eks_cluster.vpc_config.public_access_cidrs",
    docs=(EKS_ENDPOINT_DOCS,),
    refs=(EKS_RESTRICT_ENDPOINT,),
)

EKS_SG_DOCS = "https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html"

EKS_SG_EVIDENCE = (
    "ec2:DescribeSecurityGroups ingress with 0.0.0.0/0 or ::/0 sources on the cluster security "
    "group, additional SGs, node group remote-access SG and launch-template SGs"
)

EKS_SG_CONSOLE = (
    "EC2 > Security groups > <node SG> > Inbound rules > Edit inbound rules: remove or narrow "
    "rules with source 0.0.0.0/0 or ::/0"
)

EKS_NODE_ROLE_DOCS = "https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html"

EKS_LOGS_DOCS = "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html"

EKS_LOGS_CONSOLE = (
    "EKS > Clusters > <cluster> > Observability > Control plane logging > Manage logging"
)


def _eks_logging_cli(types: str) -> str:
    return (
        "aws eks update-cluster-config --name <cluster> --region <region> --logging "
        f'\'{{"clusterLogging":[{{"types":[{types}],"enabled":true}}]}}\''
    )


GUIDANCE: dict[str, ProviderGuidance] = {
    "CP-001": guide_steps(
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
    "CP-002": guide(
        evidence="eks:DescribeCluster cluster.resourcesVpcConfig.endpointPublicAccess",
        summary=(
            "Enable private endpoint access and disable public endpoint access; "
            "administer the cluster from inside the VPC (VPN, Direct Connect, bastion)."
        ),
        console=(
            "EKS > Clusters > <cluster> > Networking > Manage endpoint access: choose Private"
        ),
        cli=(
            "aws eks update-cluster-config --name <cluster> --region <region> "
            "--resources-vpc-config endpointPrivateAccess=true,endpointPublicAccess=false"
        ),
        terraform="aws_eks_cluster.vpc_config.endpoint_public_access",
        docs=[EKS_ENDPOINT_DOCS],
        refs=[EKS_PRIVATE_ENDPOINT],
    ),
    "CP-003": guide_steps(
        EKS_CIDRS,
        evidence="eks:DescribeCluster cluster.resourcesVpcConfig.publicAccessCidrs",
        summary="Replace broad publicAccessCidrs entries with the exact egress ranges of "
        "your administrators and CI.",
    ),
    "CP-004": guide(
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
        refs=[EKS_ACCESS_MANAGER, EKS_IAM_AUTHENTICATOR],
    ),
    "NODE-001": guide(
        evidence=(
            "eks:DescribeNodegroup subnets -> ec2:DescribeSubnets MapPublicIpOnLaunch; "
            "launch template NetworkInterfaces.AssociatePublicIpAddress"
        ),
        summary=(
            "Run node groups in private subnets (NAT for egress), or turn off public IP "
            "auto-assignment on their subnets and roll the node group."
        ),
        console=(
            "VPC > Subnets > <node subnet> > Actions > Edit subnet settings: untick "
            "'Enable auto-assign public IPv4 address'"
        ),
        cli="aws ec2 modify-subnet-attribute --subnet-id <subnet> --no-map-public-ip-on-launch",
        terraform="aws_subnet.map_public_ip_on_launch",
        docs=["https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html"],
        refs=[EKS_PRIVATE_NODES],
    ),
    "NODE-002": guide(
        evidence=EKS_SG_EVIDENCE,
        summary=(
            "Remove internet sources from security-group rules on admin, kubelet and "
            "etcd ports; administer nodes through SSM Session Manager instead of SSH."
        ),
        console=EKS_SG_CONSOLE,
        cli="aws ec2 revoke-security-group-ingress --group-id <sg> --protocol tcp "
        "--port 22 --cidr 0.0.0.0/0",
        terraform="aws_vpc_security_group_ingress_rule.cidr_ipv4",
        docs=[EKS_SG_DOCS],
    ),
    "NODE-003": guide(
        evidence=EKS_SG_EVIDENCE + " (rules created by the AWS load balancer "
        "controllers for Services are expected)",
        summary=(
            "Remove internet sources from node security-group rules that are not "
            "NodePort/LoadBalancer traffic; expose workloads through Services."
        ),
        console=EKS_SG_CONSOLE,
        cli="aws ec2 revoke-security-group-ingress --group-id <sg> --protocol tcp "
        "--port <port> --cidr 0.0.0.0/0",
        terraform="aws_vpc_security_group_ingress_rule.cidr_ipv4",
        docs=[EKS_SG_DOCS],
    ),
    "NODE-004": guide(
        evidence=(
            "eks:DescribeNodegroup nodegroup.remoteAccess (ec2SshKey set, "
            "sourceSecurityGroups empty)"
        ),
        summary=(
            "Remote access is fixed per node group: create a replacement node group "
            "with sourceSecurityGroups (or without remote access; prefer SSM Session "
            "Manager), then delete the old one."
        ),
        console=(
            "EKS > Clusters > <cluster> > Compute > Add node group > Configure remote "
            "access: 'Allow SSH remote access from' Selected security groups"
        ),
        cli=(
            "aws eks create-nodegroup --cluster-name <cluster> --nodegroup-name <new> "
            "--subnets <subnets> --node-role <role-arn> "
            "--remote-access ec2SshKey=<key>,sourceSecurityGroups=<sg>"
        ),
        terraform="aws_eks_node_group.remote_access.source_security_group_ids",
        docs=["https://docs.aws.amazon.com/eks/latest/APIReference/API_RemoteAccessConfig.html"],
    ),
    "IAM-001": guide(
        evidence=(
            "eks:DescribeNodegroup nodeRole -> iam:ListAttachedRolePolicies, "
            "ListRolePolicies, GetRolePolicy, GetPolicy, GetPolicyVersion (AdministratorAccess, "
            "PowerUserAccess, IAMFullAccess, Action '*', or an escalation such as iam:PassRole "
            "with ec2:RunInstances on *, in any policy, AWS-managed ones included)"
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
    "IAM-002": guide(
        evidence=(
            "eks:DescribeCluster roleArn -> iam:ListAttachedRolePolicies, "
            "ListRolePolicies (anything beyond AmazonEKSClusterPolicy)"
        ),
        summary="Leave only AmazonEKSClusterPolicy (and the documented EKS-managed "
        "policies you use) on the cluster role.",
        console="IAM > Roles > <cluster role> > Permissions: detach the extra policies",
        cli="aws iam detach-role-policy --role-name <cluster-role> --policy-arn <extra-policy-arn>",
        terraform="aws_iam_role_policy_attachment.policy_arn",
        docs=["https://docs.aws.amazon.com/eks/latest/userguide/cluster-iam-role.html"],
    ),
    "IAM-004": guide(
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
    "IAM-005": guide(
        evidence=(
            "eks:DescribeCluster identity.oidc.issuer + iam:ListOpenIDConnectProviders "
            "(IRSA); eks:ListAddons eks-pod-identity-agent (Pod Identity)"
        ),
        summary="Install the EKS Pod Identity Agent (or register the cluster's OIDC "
        "provider for IRSA) and give workloads their own roles.",
        console=(
            "EKS > Clusters > <cluster> > Add-ons > Get more add-ons: Amazon EKS Pod Identity Agent"
        ),
        cli="aws eks create-addon --cluster-name <cluster> --addon-name eks-pod-identity-agent",
        terraform="aws_eks_addon.addon_name",
        docs=["https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html"],
        refs=[EKS_DEDICATED_SA],
    ),
    "ETCD-001": guide(
        evidence="eks:DescribeCluster (managed control plane: AWS runs etcd under the "
        "shared-responsibility model)",
        summary="Nothing to configure: AWS runs etcd for EKS, reachable only from the "
        "control plane over TLS. Keep secrets envelope-encrypted (ENC-001).",
        console="EKS > Clusters > <cluster> > Overview (control plane managed by AWS)",
        cli="aws eks describe-cluster --name <cluster> --region <region>",
        terraform="aws_eks_cluster (no etcd attribute: AWS manages etcd)",
        docs=["https://docs.aws.amazon.com/eks/latest/userguide/security.html"],
    ),
    "ENC-001": guide(
        evidence="eks:DescribeCluster cluster.encryptionConfig[] (resources includes "
        "'secrets', provider.keyArn)",
        summary="Enable secrets envelope encryption with a customer-managed KMS key (it "
        "cannot be turned off afterwards).",
        console="EKS > Clusters > <cluster> > Overview > Secrets encryption: Enable, "
        "choose the KMS key",
        cli="aws eks associate-encryption-config --cluster-name <cluster> "
        '--encryption-config \'[{"resources":["secrets"],"provider":'
        '{"keyArn":"<kms-key-arn>"}}]\'',
        terraform="aws_eks_cluster.encryption_config.provider.key_arn",
        docs=["https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html"],
        refs=[EKS_SECRETS_CMK],
    ),
    "ENC-002": guide(
        evidence="kms:DescribeKey KeyMetadata.KeyState and kms:GetKeyRotationStatus "
        "KeyRotationEnabled",
        summary="Keep the key enabled (cancel any pending deletion) and turn on "
        "automatic key rotation.",
        console="KMS > Customer managed keys > <key> > Key rotation: Automatically "
        "rotate this KMS key",
        cli="aws kms enable-key-rotation --key-id <key-id>",
        terraform="aws_kms_key.enable_key_rotation",
        docs=["https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"],
    ),
    "LOG-001": guide(
        evidence="eks:DescribeCluster cluster.logging.clusterLogging[] (types audit "
        "and authenticator enabled)",
        summary="Enable the audit and authenticator control-plane log types (CloudWatch Logs).",
        console=EKS_LOGS_CONSOLE + ": enable Audit and Authenticator",
        cli=_eks_logging_cli('"audit","authenticator"'),
        terraform="aws_eks_cluster.enabled_cluster_log_types",
        docs=[EKS_LOGS_DOCS],
        refs=[EKS_AUDIT_LOGS],
    ),
    "LOG-002": guide(
        evidence="eks:DescribeCluster cluster.logging.clusterLogging[] (types api, "
        "controllerManager, scheduler)",
        summary="Enable the api, controllerManager and scheduler control-plane log types.",
        console=EKS_LOGS_CONSOLE + ": enable API server, Controller manager, Scheduler",
        cli=_eks_logging_cli('"api","controllerManager","scheduler"'),
        terraform="aws_eks_cluster.enabled_cluster_log_types",
        docs=[EKS_LOGS_DOCS],
        refs=[EKS_AUDIT_LOGS],
    ),
    "VER-001": guide(
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
    "NET-001": guide(
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
        refs=[EKS_CNI_NETPOL, EKS_NETWORK_POLICY],
    ),
    "PATH-001": guide(
        evidence="the NODE-001, NODE-002/NODE-003, IAM-004 and IAM-001 facts of the "
        "same node group",
        summary="Break a link, best the last: take admin policies off the node role; "
        "also require IMDSv2 with hop limit 1 and move nodes to private subnets.",
        console="IAM > Roles > <node role> > Permissions: remove AdministratorAccess "
        "and wildcard statements",
        cli="aws iam detach-role-policy --role-name <node-role> "
        "--policy-arn arn:aws:iam::aws:policy/AdministratorAccess",
        terraform="aws_iam_role_policy_attachment.policy_arn",
        docs=[
            "https://docs.aws.amazon.com/eks/latest/best-practices/"
            "identity-and-access-management.html"
        ],
    ),
}

NOT_APPLICABLE: dict[str, str] = {
    "IAM-003": (
        "EKS has no default node identity: every node group names its own IAM role "
        "(judged by IAM-001)"
    ),
    "IAM-006": "EC2 instances have no OAuth scopes; IAM policies alone decide (IAM-001)",
}
