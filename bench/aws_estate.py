"""The EKS estate the AWS benches scan: N clusters over R regions, shaped like a real account.

Each cluster has its own cluster role, its own node role (with an instance profile), its own
private subnet (and a public one shared per region), a node security group, a launch template
(IMDSv2, hop limit 1) used by one managed node group, and one self-managed node tagged
``kubernetes.io/cluster/<name>`` running as the node role's instance profile. Node groups keep
moto's own ``remoteAccess`` quirk, so each names a remote-access security group that does not
exist (as a deleted group would in a real account). Every fifth node role is
AdministratorAccess and every third cluster has a public endpoint, so the findings are a mix
of PASS and FAIL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from cloudposture_aws.demo import NODE_POLICIES, Seeder, vpc_only, world
from cloudposture_aws.emulator import EksExtras

REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2", "eu-central-1"]


def seed_estate(clusters: int, regions: Sequence[str]) -> Callable[[Any], EksExtras]:
    """A seeding function for ``emulated_aws``: the estate described in the module doc."""

    def seed(client: Any) -> EksExtras:
        s = Seeder(client)
        public_subnets = {region: s.subnet(region, "10.0.255.0/24", True) for region in regions}
        for i in range(clusters):
            region = regions[i % len(regions)]
            public = public_subnets[region]
            private = s.subnet(region, f"10.0.{i // len(regions)}.0/24")
            name = f"bench-{i:04d}"
            cluster_role = s.role(f"{name}-cluster", ["AmazonEKSClusterPolicy"])
            node_policies = ["AdministratorAccess"] if i % 5 == 0 else NODE_POLICIES
            node_role = s.role(f"{name}-node", node_policies)
            profile = s.instance_profile(f"{name}-node", f"{name}-node")
            group = s.group(region, f"{name}-nodes", [vpc_only(443), world("tcp", 30080)])
            template = s.template(region, f"{name}-nodes", "required", 1, [group])
            s.cluster(
                region,
                name,
                role=cluster_role,
                version="1.33",
                subnets=[private, public],
                public=i % 3 == 0,
                private=True,
                logs=["api", "audit"],
                cluster_group=group,
            )
            client("eks", region).create_nodegroup(
                clusterName=name,
                nodegroupName="workers",
                nodeRole=node_role,
                subnets=[private],
                amiType="AL2023_x86_64_STANDARD",
                launchTemplate={"id": template, "version": "1"},
            )
            s.instances(
                region, private, [group], {f"kubernetes.io/cluster/{name}": "owned"}, profile
            )
        return s.extras

    return seed
