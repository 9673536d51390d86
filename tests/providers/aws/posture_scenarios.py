"""The EKS clusters the posture contract runs on (``tests/contract/test_posture_complete.py``).

One world, seeded and read through real boto3 clients: a ThreadedMotoServer behind the EKS
front (:mod:`cloudposture_aws.emulator`), holding the five demo clusters
(:mod:`cloudposture_aws.demo`: good, exposed, self-managed nodes, a Fargate profile) and five
more beside the demo's in ``eu-west-1``:

- ``mixed-pools``: a CUSTOM-AMI node group with no template and no running node (metadata
  exposure undocumented), self-managed nodes without an instance profile, a Fargate profile,
  an unparsable vpc-cni configuration, a key rotating every 90 days;
- ``denied-iam-and-templates``: read while the IAM role reads (the account-wide listing and
  iam:GetRole), iam:ListOpenIDConnectProviders, kms:GetKeyRotationStatus and
  ec2:DescribeLaunchTemplateVersions are refused, as an SCP would;
- ``denied-key-and-nodes``: read while kms:DescribeKey and the EC2 instance, security group
  and subnet reads are refused;
- ``denied-managed-policies``: read while iam:GetPolicyVersion is refused, so the roles are
  read but the AWS-managed policies attached to them are not (their verdicts unknown);
- ``no-addons-api``: read from moto directly, which has no EKS add-on API (eks:ListAddons
  fails) and no eks:DescribeClusterVersions.

Why its own moto account: moto keeps its state in process-wide backends, and the AWS tests'
session fixture seeds the demo into the default account of the same process. Seeding and
scanning as a role assumed in :data:`ACCOUNT` keeps the two worlds apart. The clean clusters
are read in one scan; each denied one by a fresh scanner (no memo of the clean reads) while
its denials hold.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import boto3
from cloudposture_aws.demo import REGIONS, ClientFor, Seeder, emulated_aws, seed_demo, world
from cloudposture_aws.emulator import EksExtras

from cloudposture.model import ClusterPosture

from .support import scanner

ACCOUNT = "210987654321"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/cloudposture-scenarios"
REGION = REGIONS[1]
MIXED = "mixed-pools"
DENIED_IAM = "denied-iam-and-templates"
DENIED_EC2 = "denied-key-and-nodes"
DENIED_POLICIES = "denied-managed-policies"
NO_ADDONS_API = "no-addons-api"
DENIALS: dict[str, set[str]] = {
    DENIED_IAM: {
        "iam:GetAccountAuthorizationDetails",
        "iam:GetRole",
        "iam:ListOpenIDConnectProviders",
        "kms:GetKeyRotationStatus",
        "ec2:DescribeLaunchTemplateVersions",
    },
    DENIED_EC2: {
        "kms:DescribeKey",
        "ec2:DescribeInstances",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
    },
    DENIED_POLICIES: {"iam:GetPolicyVersion"},
}


def scenario_postures() -> list[ClusterPosture]:
    with emulated_aws(_seed) as front:
        special = {*DENIALS, NO_ADDONS_API}
        postures = _collect(front.url, REGIONS, lambda name: name not in special)
        for cluster, denied in DENIALS.items():
            front.extras.denied_actions.update(denied)
            try:
                postures += _collect(front.url, (REGION,), lambda name, c=cluster: name == c)
            finally:
                front.extras.denied_actions.clear()
        postures += _collect(front.backend_url, (REGION,), lambda name: name == NO_ADDONS_API)
    return postures


def _collect(url: str, regions: Collection[str], wanted: Any) -> list[ClusterPosture]:
    aws = scanner({"endpoint_url": url, "region": tuple(regions), "role_arn": ROLE})
    return [
        aws.collect(ref)
        for target in aws.targets()
        for ref in aws.discover(target)
        if wanted(ref.name)
    ]


def _seed(client: ClientFor) -> EksExtras:
    """The demo and the scenario clusters, all created as the role assumed in ACCOUNT."""
    endpoint = client("sts", REGIONS[0]).meta.endpoint_url
    answer = client("sts", REGIONS[0]).assume_role(RoleArn=ROLE, RoleSessionName="seed")
    keys = answer["Credentials"]
    session = boto3.session.Session(
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
        aws_session_token=keys["SessionToken"],
    )

    def assumed(service: str, region: str) -> Any:
        return session.client(service, region_name=region, endpoint_url=endpoint)  # type: ignore[call-overload]

    extras = seed_demo(assumed)
    seeder = Seeder(assumed)
    seeder.extras = extras  # one set of EKS extras for the front, demo and scenarios alike
    _seed_scenarios(seeder)
    return extras


def _seed_scenarios(s: Seeder) -> None:
    cluster_role = s.role("scenario-cluster", ["AmazonEKSClusterPolicy"])
    node_role = s.role("scenario-node", ["AmazonEKSWorkerNodePolicy"])
    profile = s.instance_profile("scenario-node", "scenario-node")
    subnet = s.subnet(REGION, "10.0.1.0/24")
    nodes_sg = s.group(REGION, "scenario-nodes", [world("tcp", 443)])
    template = s.template(REGION, "scenario-nodes", "required", 1, [nodes_sg])
    common: dict[str, Any] = {"role": cluster_role, "version": "1.35", "subnets": [subnet]}

    s.cluster(
        REGION,
        MIXED,
        public=True,
        private=True,
        cidrs=["198.51.100.0/24"],
        logs=["audit"],
        key=s.key(REGION, rotation_days=90),
        addons={"vpc-cni": {"configurationValues": "{not: [valid"}, "eks-pod-identity-agent": {}},
        **common,
    )
    s.nodegroup(REGION, MIXED, "custom-ami", role=node_role, subnets=[subnet], ami="CUSTOM")
    s.fargate(REGION, MIXED, "serverless-jobs", node_role, [subnet])
    bare = {"eks:cluster-name": MIXED, "aws:autoscaling:groupName": "bare-asg"}
    s.instances(REGION, subnet, [nodes_sg], bare, None)

    for name in DENIALS:
        s.cluster(
            REGION,
            name,
            public=False,
            private=True,
            logs=["api", "audit"],
            key=s.key(REGION),
            addons={"vpc-cni": {"configurationValues": '{"enableNetworkPolicy": "true"}'}},
            irsa=True,
            **common,
        )
        s.nodegroup(REGION, name, "managed", role=node_role, subnets=[subnet], template=template)
        s.fargate(REGION, name, "jobs", node_role, [subnet])
        tags = {f"kubernetes.io/cluster/{name}": "owned", "aws:autoscaling:groupName": "asg"}
        s.instances(REGION, subnet, [nodes_sg], tags, profile)

    s.cluster(REGION, NO_ADDONS_API, public=True, private=False, **common)
    s.nodegroup(REGION, NO_ADDONS_API, "managed", role=node_role, subnets=[subnet])
