"""``cloudposture demo``: a local moto server seeded with EKS clusters, good and bad.

:func:`seed_demo` builds the scenarios through real boto3 calls (so tests seed exactly the
same way), returning the :class:`EksExtras` the emulator front adds on top of moto.
:func:`demo_environment` starts moto's ThreadedMotoServer and the front on 127.0.0.1 and
yields the settings that scan them.

Clusters (account 123456789012):

- us-east-1 ``payments-prod``: private endpoint, every log type, customer KMS key, access
  entries, supported version, IMDSv2-only nodes in private subnets, least-privilege roles.
- us-east-1 ``analytics-dev``: public endpoint open to the internet, API logs only, no KMS
  key, aws-auth ConfigMap, outdated version, nodes with public IPs, SSH open to the world,
  AdministratorAccess node role, IMDSv1 (EKS's AL2 default), no workload identity.
- us-east-1 ``ml-training``: public endpoint limited to a /24, audit logs only, a disabled
  KMS key, IMDSv1 launch template, node port range and 8080 open to the internet, an inline
  ``*`` node policy; IRSA; plus self-managed GPU nodes.
- eu-west-1 ``legacy-batch``: Kubernetes 1.24, cluster role beyond the EKS minimum, an
  additional security group open on all ports, hop limit 2, no logs, a Fargate profile.
- eu-west-1 ``edge-gateway``: private endpoint, self-managed nodes behind an NLB rule the
  Kubernetes cloud provider opened, Pod Identity, network policy on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import socket
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import boto3
from moto.server import ThreadedMotoServer

from cloudposture_aws.emulator import EksExtras, EksFront

ACCOUNT = "123456789012"
REGIONS = ("us-east-1", "eu-west-1")
DEMO_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
DEMO_IMAGE = "ami-12c6146b"  # an image id moto ships with
ALL_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly"]
STAR_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
READ_PARAMETERS = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["ssm:GetParameter"],
            "Resource": "arn:aws:ssm:*:123456789012:parameter/eks/*",
        }
    ],
}
ClientFor = Callable[[str, str], Any]


def _managed(name: str) -> str:
    return f"arn:aws:iam::aws:policy/{name}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32].upper()


def _epoch(year: int, month: int, day: int) -> int:
    return int(datetime(year, month, day, tzinfo=UTC).timestamp())


DEMO_CLUSTER_VERSIONS = [
    {
        "clusterVersion": "1.35",
        "versionStatus": "STANDARD_SUPPORT",
        "endOfStandardSupportDate": _epoch(2027, 3, 27),
    },
    {
        "clusterVersion": "1.34",
        "versionStatus": "STANDARD_SUPPORT",
        "endOfStandardSupportDate": _epoch(2026, 12, 2),
    },
    {
        "clusterVersion": "1.29",
        "versionStatus": "EXTENDED_SUPPORT",
        "endOfStandardSupportDate": _epoch(2025, 3, 23),
    },
]


class Seeder:
    """Creates demo resources with real boto3 calls; one instance per seeded account."""

    def __init__(self, client: ClientFor) -> None:
        self.client = client
        self.extras = EksExtras(cluster_versions=list(DEMO_CLUSTER_VERSIONS))
        self._vpcs: dict[str, str] = {}

    # --- IAM, KMS -------------------------------------------------------------------------

    def role(
        self,
        name: str,
        managed: Sequence[str] = (),
        inline: dict[str, Any] | None = None,
        customer: dict[str, Any] | None = None,
    ) -> str:
        iam = self.client("iam", REGIONS[0])
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Principal": {"Service": "eks.amazonaws.com"},
                }
            ],
        }
        arn = str(
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"][
                "Arn"
            ]
        )
        for policy in managed:
            iam.attach_role_policy(RoleName=name, PolicyArn=_managed(policy))
        if inline is not None:
            iam.put_role_policy(
                RoleName=name, PolicyName=f"{name}-inline", PolicyDocument=json.dumps(inline)
            )
        if customer is not None:
            policy_arn = iam.create_policy(
                PolicyName=f"{name}-custom", PolicyDocument=json.dumps(customer)
            )["Policy"]["Arn"]
            iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
        return arn

    def instance_profile(self, name: str, role: str) -> str:
        iam = self.client("iam", REGIONS[0])
        arn = str(iam.create_instance_profile(InstanceProfileName=name)["InstanceProfile"]["Arn"])
        iam.add_role_to_instance_profile(InstanceProfileName=name, RoleName=role)
        return arn

    def key(
        self, region: str, rotation: bool = True, enabled: bool = True, rotation_days: int = 365
    ) -> str:
        kms = self.client("kms", region)
        meta = kms.create_key(Description="EKS secrets")["KeyMetadata"]
        if rotation:
            kms.enable_key_rotation(KeyId=meta["KeyId"], RotationPeriodInDays=rotation_days)
            self.extras.rotation_periods[meta["KeyId"]] = rotation_days
        if not enabled:
            kms.disable_key(KeyId=meta["KeyId"])
        return str(meta["Arn"])

    # --- network --------------------------------------------------------------------------

    def vpc(self, region: str) -> str:
        if region not in self._vpcs:
            ec2 = self.client("ec2", region)
            self._vpcs[region] = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        return self._vpcs[region]

    def subnet(self, region: str, cidr: str, public: bool = False) -> str:
        ec2 = self.client("ec2", region)
        subnet = str(
            ec2.create_subnet(VpcId=self.vpc(region), CidrBlock=cidr)["Subnet"]["SubnetId"]
        )
        if public:
            ec2.modify_subnet_attribute(SubnetId=subnet, MapPublicIpOnLaunch={"Value": True})
        return subnet

    def group(
        self,
        region: str,
        name: str,
        ingress: Sequence[dict[str, Any]] = (),
        description: str = "cloudposture demo",
    ) -> str:
        ec2 = self.client("ec2", region)
        group = str(
            ec2.create_security_group(
                GroupName=name, Description=description, VpcId=self.vpc(region)
            )["GroupId"]
        )
        if ingress:
            ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=list(ingress))
        return group

    def template(
        self, region: str, name: str, tokens: str, hops: int, groups: Sequence[str] = ()
    ) -> str:
        data: dict[str, Any] = {
            "MetadataOptions": {
                "HttpTokens": tokens,
                "HttpEndpoint": "enabled",
                "HttpPutResponseHopLimit": hops,
            }
        }
        if groups:
            data["SecurityGroupIds"] = list(groups)
        ec2 = self.client("ec2", region)
        lt = ec2.create_launch_template(LaunchTemplateName=name, LaunchTemplateData=data)
        return str(lt["LaunchTemplate"]["LaunchTemplateId"])

    def instances(
        self,
        region: str,
        subnet: str,
        groups: Sequence[str],
        tags: dict[str, str],
        profile: str | None,
        tokens: str = "required",
        hops: int = 1,
        count: int = 1,
    ) -> None:
        """``profile`` None: nodes without an instance profile (no cloud identity)."""
        ec2 = self.client("ec2", region)
        ec2.run_instances(
            ImageId=DEMO_IMAGE,
            MinCount=count,
            MaxCount=count,
            SubnetId=subnet,
            SecurityGroupIds=list(groups),
            **({"IamInstanceProfile": {"Arn": profile}} if profile else {}),
            MetadataOptions={"HttpTokens": tokens, "HttpPutResponseHopLimit": hops},
            TagSpecifications=[
                {
                    "ResourceType": "instance",
                    "Tags": [{"Key": k, "Value": v} for k, v in tags.items()],
                }
            ],
        )

    # --- EKS ------------------------------------------------------------------------------

    def cluster(
        self,
        region: str,
        name: str,
        *,
        role: str,
        version: str,
        subnets: Sequence[str],
        public: bool,
        private: bool,
        cidrs: Sequence[str] = (),
        logs: Sequence[str] = (),
        key: str | None = None,
        auth: str = "API",
        cluster_group: str | None = None,
        extra_groups: Sequence[str] = (),
        addons: dict[str, dict[str, Any]] | None = None,
        irsa: bool = False,
    ) -> str:
        vpc: dict[str, Any] = {
            "subnetIds": list(subnets),
            "endpointPublicAccess": public,
            "endpointPrivateAccess": private,
            "securityGroupIds": list(extra_groups),
        }
        if cidrs:
            vpc["publicAccessCidrs"] = list(cidrs)
        logging = [{"types": list(logs), "enabled": True}] if logs else []
        rest = [t for t in ALL_LOGS if t not in logs]
        logging += [{"types": rest, "enabled": False}] if rest else []
        args: dict[str, Any] = {
            "name": name,
            "version": version,
            "roleArn": role,
            "resourcesVpcConfig": vpc,
            "logging": {"clusterLogging": logging},
            "tags": {"team": name.split("-")[0], "demo": "cloudposture"},
        }
        if key:
            args["encryptionConfig"] = [{"resources": ["secrets"], "provider": {"keyArn": key}}]
        cluster = self.client("eks", region).create_cluster(**args)["cluster"]
        # moto gives every cluster of a region the same issuer: make each one distinct.
        issuer = f"https://oidc.eks.{region}.amazonaws.com/id/{_digest(cluster['arn'])}"
        patch: dict[str, Any] = {
            "accessConfig": {"authenticationMode": auth},
            "identity": {"oidc": {"issuer": issuer}},
        }
        if cluster_group:
            patch["resourcesVpcConfig"] = {"clusterSecurityGroupId": cluster_group}
        self.extras.cluster_patches[(region, name)] = patch
        self.extras.addons[(region, name)] = dict(addons or {})
        if irsa:
            self.client("iam", REGIONS[0]).create_open_id_connect_provider(
                Url=issuer, ThumbprintList=["9" * 40], ClientIDList=["sts.amazonaws.com"]
            )
        return str(cluster["arn"])

    def nodegroup(
        self,
        region: str,
        cluster: str,
        name: str,
        *,
        role: str,
        subnets: Sequence[str],
        template: str | None = None,
        ssh_group: str | None = None,
        ami: str = "AL2023_x86_64_STANDARD",
    ) -> None:
        args: dict[str, Any] = {
            "clusterName": cluster,
            "nodegroupName": name,
            "nodeRole": role,
            "subnets": list(subnets),
            "amiType": ami,
        }
        if template:
            args["launchTemplate"] = {"id": template, "version": "1"}
        if ssh_group:
            args["remoteAccess"] = {"ec2SshKey": "ops"}
        self.client("eks", region).create_nodegroup(**args)
        # moto invents remoteAccess and a remote-access group that does not exist: make the
        # node group look as EKS reports it (the group EKS opens on 22 to 0.0.0.0/0, or none).
        patch: dict[str, Any] = {"resources": {"remoteAccessSecurityGroup": ssh_group}}
        if not ssh_group:
            patch["remoteAccess"] = None
        self.extras.nodegroup_patches[(region, cluster, name)] = patch

    def fargate(
        self, region: str, cluster: str, name: str, role: str, subnets: Sequence[str]
    ) -> None:
        self.client("eks", region).create_fargate_profile(
            fargateProfileName=name,
            clusterName=cluster,
            podExecutionRoleArn=role,
            subnets=list(subnets),
            selectors=[{"namespace": "batch"}],
        )


def world(
    protocol: str, low: int | None = None, high: int | None = None, description: str = ""
) -> dict[str, Any]:
    """An ingress permission from 0.0.0.0/0 (and ::/0)."""
    rule: dict[str, Any] = {
        "IpProtocol": protocol,
        "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": description}],
        "Ipv6Ranges": [{"CidrIpv6": "::/0", "Description": description}],
    }
    if low is not None:
        rule.update(FromPort=low, ToPort=high if high is not None else low)
    return rule


def vpc_only(port: int) -> dict[str, Any]:
    return {
        "IpProtocol": "tcp",
        "FromPort": port,
        "ToPort": port,
        "IpRanges": [{"CidrIp": "10.0.0.0/16"}],
    }


def seed_demo(client: ClientFor) -> EksExtras:
    """Seed the demo clusters through ``client(service, region)``; returns the EKS extras."""
    s = Seeder(client)
    east, west = REGIONS
    cluster_role = s.role("eks-cluster", ["AmazonEKSClusterPolicy"])
    broad_cluster_role = s.role(
        "eks-cluster-broad", ["AmazonEKSClusterPolicy", "AmazonS3FullAccess"]
    )
    node_role = s.role("eks-node", NODE_POLICIES, customer=READ_PARAMETERS)
    admin_role = s.role("eks-node-admin", ["AdministratorAccess"])
    star_role = s.role("eks-node-star", NODE_POLICIES, inline=STAR_POLICY)
    node_profile = s.instance_profile("eks-node", "eks-node")

    # us-east-1 payments-prod: well configured.
    private_a = s.subnet(east, "10.0.1.0/24")
    private_b = s.subnet(east, "10.0.2.0/24")
    public_east = s.subnet(east, "10.0.100.0/24", public=True)
    cluster_sg = s.group(east, "eks-cluster-sg-payments", [vpc_only(443)])
    lt_good = s.template(east, "payments-nodes", "required", 1, [cluster_sg])
    s.cluster(
        east,
        "payments-prod",
        role=cluster_role,
        version="1.35",
        subnets=[private_a, private_b],
        public=False,
        private=True,
        logs=ALL_LOGS,
        key=s.key(east),
        cluster_group=cluster_sg,
        addons={
            "vpc-cni": {"configurationValues": '{"enableNetworkPolicy": "true"}'},
            "eks-pod-identity-agent": {},
        },
    )
    s.nodegroup(
        east,
        "payments-prod",
        "system",
        role=node_role,
        subnets=[private_a, private_b],
        template=lt_good,
    )

    # us-east-1 analytics-dev: everything wrong.
    ssh_sg = s.group(
        east,
        "eks-remoteAccess-analytics",
        [world("tcp", 22)],
        description="Security group for all nodes in the nodeGroup to allow SSH",
    )
    s.cluster(
        east,
        "analytics-dev",
        role=cluster_role,
        version="1.29",
        subnets=[public_east, private_a],
        public=True,
        private=False,
        logs=["api"],
        auth="CONFIG_MAP",
        addons={"vpc-cni": {}},
    )
    s.nodegroup(
        east,
        "analytics-dev",
        "workers",
        role=admin_role,
        subnets=[public_east],
        ssh_group=ssh_sg,
        ami="AL2_x86_64",
    )

    # us-east-1 ml-training: restricted endpoint, but weak nodes.
    ml_sg = s.group(east, "ml-nodes", [world("tcp", 30000, 32767), world("tcp", 8080)])
    lt_v1 = s.template(east, "ml-nodes", "optional", 1, [ml_sg])
    s.cluster(
        east,
        "ml-training",
        role=cluster_role,
        version="1.35",
        subnets=[private_a, private_b],
        public=True,
        private=True,
        cidrs=["203.0.113.0/24"],
        logs=["audit", "authenticator"],
        key=s.key(east, enabled=False),
        auth="API_AND_CONFIG_MAP",
        addons={"vpc-cni": {"configurationValues": "enableNetworkPolicy: true"}},
        irsa=True,
    )
    s.nodegroup(east, "ml-training", "cpu", role=star_role, subnets=[private_b], template=lt_v1)
    gpu_sg = s.group(east, "ml-gpu", [vpc_only(10250)])
    s.instances(
        east,
        private_b,
        [gpu_sg],
        {"kubernetes.io/cluster/ml-training": "owned", "aws:autoscaling:groupName": "ml-gpu-asg"},
        node_profile,
    )

    # eu-west-1 legacy-batch: old and broad.
    west_a = s.subnet(west, "10.0.1.0/24")
    open_sg = s.group(west, "legacy-shared-nodes", [world("-1")])
    lt_hops = s.template(west, "legacy-nodes", "required", 2)
    s.cluster(
        west,
        "legacy-batch",
        role=broad_cluster_role,
        version="1.24",
        subnets=[west_a],
        public=True,
        private=True,
        cidrs=["0.0.0.0/0"],
        extra_groups=[open_sg],
        addons={"vpc-cni": {}},
    )
    s.nodegroup(west, "legacy-batch", "batch", role=node_role, subnets=[west_a], template=lt_hops)
    s.fargate(west, "legacy-batch", "jobs", node_role, [west_a])

    # eu-west-1 edge-gateway: self-managed nodes, NLB traffic opened by Kubernetes.
    edge_sg = s.group(
        west,
        "edge-nodes",
        [
            world("tcp", 31080, description="kubernetes.io/rule/nlb/client=a1b2c3d4e5f6"),
            vpc_only(10250),
        ],
    )
    s.cluster(
        west,
        "edge-gateway",
        role=cluster_role,
        version="1.34",
        subnets=[west_a],
        public=False,
        private=True,
        logs=ALL_LOGS,
        key=s.key(west),
        addons={
            "vpc-cni": {"configurationValues": '{"enableNetworkPolicy":"true"}'},
            "eks-pod-identity-agent": {},
        },
    )
    s.instances(
        west,
        west_a,
        [edge_sg],
        {"eks:cluster-name": "edge-gateway", "aws:autoscaling:groupName": "edge-asg"},
        node_profile,
        count=2,
    )
    return s.extras


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def emulated_aws(seed: Callable[[ClientFor], EksExtras] = seed_demo) -> Iterator[EksFront]:
    """A moto server plus the EKS front, seeded by ``seed``; stopped on exit."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    werkzeug = logging.getLogger("werkzeug")
    level = werkzeug.level
    werkzeug.setLevel(logging.ERROR)  # one line per request on stderr otherwise
    server.start()
    front: EksFront | None = None
    try:
        backend = f"http://127.0.0.1:{port}"
        front = EksFront(backend, seed_into(backend, seed)).start()
        yield front
    finally:
        if front is not None:
            front.stop()
        server.stop()
        werkzeug.setLevel(level)


def seed_into(backend: str, seed: Callable[[ClientFor], EksExtras] = seed_demo) -> EksExtras:
    """Seed the moto server at ``backend`` with real boto3 calls; what the front adds."""
    session = boto3.session.Session(
        aws_access_key_id=DEMO_KEYS["aws_access_key_id"],
        aws_secret_access_key=DEMO_KEYS["aws_secret_access_key"],
    )

    def client(service: str, region: str) -> Any:
        return session.client(service, region_name=region, endpoint_url=backend)  # type: ignore[call-overload]

    with _aws_managed_policies():
        return seed(client)


@contextmanager
def _aws_managed_policies() -> Iterator[None]:
    """Make moto know the AWS-managed IAM policies (AdministratorAccess ...) so they attach.

    The server runs in this process; moto reads this setting when an account's IAM backend is
    first built (``mock_aws(config=...)`` sets the same key).
    """
    from moto.core.config import default_user_config
    from moto.iam.models import iam_backends

    before = default_user_config["iam"]
    default_user_config["iam"] = {"load_aws_managed_policies": True}
    # An IAM backend built earlier in this process (a test's mock_aws, another server) was built
    # without them and is reused by this server: give it the policies too (additive only).
    for account_backends in iam_backends.values():
        for backend in account_backends.values():
            if not backend.aws_managed_policies:
                backend.aws_managed_policies = backend._init_aws_policies()
                backend.managed_policies.update(backend._init_managed_policies())
    try:
        yield
    finally:
        default_user_config["iam"] = before


@contextmanager
def demo_environment() -> Iterator[dict[str, Any]]:
    """Settings for ``scan aws`` against the seeded demo (endpoint, dummy keys, regions)."""
    with emulated_aws() as front:
        yield {"endpoint_url": front.url, "region": REGIONS, **DEMO_KEYS}
