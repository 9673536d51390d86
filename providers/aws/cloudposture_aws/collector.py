"""Reads one described EKS cluster's remaining facts and assembles its posture (I/O only).

Every read after eks:DescribeCluster may fail on its own; a failure is recorded once as a
:class:`CollectionError` whose ``affects`` names the posture facts it leaves unknown, and those
facts stay ``None``. Nothing falls back to a default that could read as a PASS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, Literal, TypeVar

from cloudposture.model import (
    ClusterPosture,
    ClusterRef,
    CollectionError,
    Identity,
    NetworkPolicySupport,
    NodePool,
    SecretsEncryption,
)
from cloudposture.plugin.attempt import Attempts
from cloudposture_aws import nodes, normalize
from cloudposture_aws.errors import failing_as
from cloudposture_aws.iam_analysis import RoleFacts, managed_to_read, summarize_role
from cloudposture_aws.lookups import AwsLookups, Item

T = TypeVar("T")

NODEGROUP_TAG = "eks:nodegroup-name"
CLUSTER_TAG = "eks:cluster-name"
LEGACY_CLUSTER_TAG = "kubernetes.io/cluster/{name}"
ASG_TAG = "aws:autoscaling:groupName"
KARPENTER_TAG = "karpenter.sh/nodepool"
ROTATION_FACTS = [
    "secrets_encryption.rotation_enabled",
    "secrets_encryption.rotation_period_days",
]
KEY_FACTS = ["secrets_encryption.key_state", "secrets_encryption.key_usable", *ROTATION_FACTS]
NODE_IDENTITIES = "node_pools.identities"
POOL_FACTS = [
    "node_pools.public_ip",
    "node_pools.internet_ingress",
    "node_pools.metadata_credentials_exposed",
]
NO_OAUTH_SCOPES = "EKS nodes have no OAuth scopes: their cloud API access is their IAM role's"
EKS_POOL_NOT_APPLICABLE = {"full_cloud_api_scope": NO_OAUTH_SCOPES}
"""Node pool facts that do not exist on EKS, whatever the kind of pool."""
NO_CLUSTER_ROLE = "eks:DescribeCluster did not return the cluster's roleArn"
POLICY_VERDICTS = ("admin_equivalent", "wildcard_grants")
"""The identity facts an AWS-managed policy's document decides."""


class ClusterCollector:
    def __init__(
        self, lookups: AwsLookups, ref: ClusterRef, cluster: Mapping[str, Any], today: date
    ) -> None:
        self.lookups = lookups
        self.ref = ref
        self.cluster = cluster
        self.today = today
        self.region = ref.region
        self._attempts = Attempts()
        self.errors: list[CollectionError] = self._attempts.items

    def attempt(self, affects: Sequence[str], fetch: Callable[..., T], *args: Any) -> T | None:
        """``fetch(*args)``, or None with the failure recorded against ``affects``."""
        return self._attempts.attempt(affects, lambda: fetch(*args))

    def posture(self) -> ClusterPosture:
        c = self.cluster
        vpc = c.get("resourcesVpcConfig") or {}
        # ids this cluster will ask for: queued now, read with other clusters' in one batch
        self.lookups.subnets.prime(self.region, vpc.get("subnetIds") or [])
        self.lookups.groups.prime(self.region, [*self._cluster_groups(), *_extra_groups(c)])
        addons = self.attempt(["workload_identity", "network_policy"], self._addons)
        oidc = self.attempt(
            ["workload_identity"], self.lookups.oidc_providers.get, self.ref.account
        )
        issuer = ((c.get("identity") or {}).get("oidc") or {}).get("issuer")
        versions = self.lookups.versions.get(self.region)
        pools = self.node_pools()
        return ClusterPosture(
            ref=self.ref,
            endpoint=normalize.endpoint_access(c),
            authentication=normalize.authentication(c),
            node_pools=pools,
            control_plane_identity=self.identity(
                c.get("roleArn"), "control-plane", ["control_plane_identity"]
            ),
            workload_identity=normalize.workload_identity(
                issuer, oidc, list(addons) if addons is not None else None
            ),
            secrets_encryption=self.secrets(),
            logging=normalize.logging_config(c),
            version=normalize.version_support(c.get("version"), versions, self.today),
            network_policy=(
                normalize.network_policy(addons.get(normalize.VPC_CNI_ADDON))
                if addons is not None
                else NetworkPolicySupport()
            ),
            etcd=normalize.etcd_access(),
            collection_errors=self.errors,
            unknown_reasons={} if c.get("roleArn") else {"control_plane_identity": NO_CLUSTER_ROLE},
        )

    # --- EKS reads owned by this cluster -----------------------------------------------

    def _eks(self) -> Any:
        return self.lookups.clients.client("eks", self.region)

    def _list(self, operation: str, key: str) -> list[str]:
        call = "eks:" + "".join(w.title() for w in operation.split("_"))
        with failing_as(call, self.ref.native_id):
            pages = self._eks().get_paginator(operation).paginate(clusterName=self.ref.name)
            return [name for page in pages for name in page[key]]

    def _addons(self) -> dict[str, Item]:
        """Installed add-on names, with DescribeAddon details for the vpc-cni add-on."""
        names = self._list("list_addons", "addons")
        found: dict[str, Item] = {name: {} for name in names}
        if normalize.VPC_CNI_ADDON in found:
            with failing_as("eks:DescribeAddon", f"{self.ref.native_id} vpc-cni"):
                answer = self._eks().describe_addon(
                    clusterName=self.ref.name, addonName=normalize.VPC_CNI_ADDON
                )
            found[normalize.VPC_CNI_ADDON] = answer["addon"]
        return found

    def _describe(self, operation: str, key: str, param: str, name: str) -> Item:
        call = "eks:" + "".join(w.title() for w in operation.split("_"))
        with failing_as(call, f"{self.ref.native_id} {name}"):
            answer = getattr(self._eks(), operation)(clusterName=self.ref.name, **{param: name})
            return dict(answer[key])

    # --- identities, keys ---------------------------------------------------------------

    def identity(
        self, arn: str | None, role: Literal["control-plane", "node"], affects: Sequence[str]
    ) -> Identity | None:
        if not arn:
            return None
        facts = self.attempt(affects, self.lookups.roles.get, arn)
        if facts is None:
            return None
        verdicts = [f"{place}.{field}" for place in affects for field in POLICY_VERDICTS]
        return summarize_role(facts, role, self._managed_documents(facts, verdicts))

    def _managed_documents(
        self, facts: RoleFacts, affects: Sequence[str]
    ) -> dict[str, Item | None]:
        """The AWS-managed policies the role's verdict needs, each read once per scan
        (None: unreadable, recorded against the identity facts it leaves open)."""
        return {
            arn: self.attempt(affects, self.lookups.policies.get, arn)
            for arn in managed_to_read(facts)
        }

    def node_identities(self, arns: Sequence[str | None]) -> list[Identity] | None:
        """Every distinct role the nodes run as, summarized; None when any of them is
        unknown (no role named, an unreadable instance profile or role), so no rule passes
        on a part of the pool."""
        if not arns or any(not arn for arn in arns):
            return None
        return self._summarized([a for a in arns if a])

    def _summarized(self, arns: Sequence[str]) -> list[Identity] | None:
        """Each distinct role of ``arns`` summarized; None when any cannot be read."""
        found: list[Identity] = []
        for arn in dict.fromkeys(arns):
            identity = self.identity(arn, "node", [NODE_IDENTITIES])
            if identity is None:
                return None
            found.append(identity)
        return found

    def secrets(self) -> SecretsEncryption:
        key_arn = normalize.secrets_key_arn(self.cluster)
        if key_arn is None:
            return normalize.secrets_encryption(self.cluster)
        key = self.attempt(KEY_FACTS, self.lookups.keys.get, (self.region, key_arn))
        if key is None:
            failed = [e.one_line() for e in self.errors if e.call == "kms:DescribeKey"]
            return normalize.secrets_encryption(self.cluster, key_error=failed[0])
        rotation = None
        if key.get("KeyManager") != "AWS":
            rotation = self.attempt(
                ROTATION_FACTS,
                self.lookups.rotation.get,
                (self.region, key_arn),
            )
        return normalize.secrets_encryption(self.cluster, key, rotation)

    # --- node pools ---------------------------------------------------------------------

    def node_pools(self) -> list[NodePool] | None:
        groups = self.attempt(["node_pools"], self._list, "list_nodegroups", "nodegroups")
        profiles = self.attempt(
            ["node_pools"], self._list, "list_fargate_profiles", "fargateProfileNames"
        )
        if groups is None or profiles is None:
            return None
        instances = self.attempt(["node_pools"], self._instances)
        pools = [self._managed(name, instances) for name in groups]
        pools += [self._fargate(name) for name in profiles]
        if instances is None:
            pools.append(_pool(name="self-managed nodes (unreadable)", kind="self-managed"))
        else:
            pools += self._self_managed(instances, set(groups))
        return pools

    def _instances(self) -> list[Item]:
        """Running nodes of this cluster, out of the region's one listing of EKS nodes:
        tagged kubernetes.io/cluster/<name> or eks:cluster-name=<name>."""
        legacy = LEGACY_CLUSTER_TAG.format(name=self.ref.name)
        region = self.lookups.instances.get(self.region)
        mine = [
            i for i in region if legacy in _tags(i) or _tags(i).get(CLUSTER_TAG) == self.ref.name
        ]
        self.lookups.groups.prime(
            self.region, [g["GroupId"] for i in region for g in i.get("SecurityGroups") or []]
        )
        return mine

    def _groups(self, ids: Sequence[str]) -> dict[str, Item | None] | None:
        if not ids:
            return {}
        return self.attempt(
            ["node_pools.internet_ingress"], self.lookups.groups.get_many, self.region, ids
        )

    def _cluster_groups(self) -> list[str]:
        vpc = self.cluster.get("resourcesVpcConfig") or {}
        return [g for g in [vpc.get("clusterSecurityGroupId")] if g]

    def _managed(self, name: str, instances: Sequence[Item] | None) -> NodePool:
        ng = self.attempt(
            ["node_pools"], self._describe, "describe_nodegroup", "nodegroup", "nodegroupName", name
        )
        if ng is None:
            return _pool(name=name, kind="managed")
        remote_sg = (ng.get("resources") or {}).get("remoteAccessSecurityGroup")
        self.lookups.subnets.prime(self.region, ng.get("subnets") or [])
        self.lookups.groups.prime(self.region, [remote_sg] if remote_sg else [])
        template: nodes.LaunchTemplate | None = None
        template_failed = False
        lt = ng.get("launchTemplate") or {}
        if lt.get("id") or lt.get("name"):
            raw = self.attempt(
                POOL_FACTS,
                self.lookups.templates.get,
                (
                    self.region,
                    str(lt.get("id") or lt.get("name")),
                    str(lt.get("version") or "$Default"),
                ),
            )
            template = nodes.launch_template(raw) if raw is not None else None
            template_failed = raw is None
        mine = [i for i in instances or [] if _tags(i).get(NODEGROUP_TAG) == name]
        subnet_ids = list(ng.get("subnets") or [])
        subnets = self.attempt(
            ["node_pools.public_ip"], self.lookups.subnets.get_many, self.region, subnet_ids
        )
        base = list(template.security_groups) if template and template.security_groups else []
        group_ids = (base or self._cluster_groups()) + _extra_groups(self.cluster)
        group_ids += [remote_sg] if remote_sg else []
        group_ids += [g["GroupId"] for i in mine for g in i.get("SecurityGroups") or []]
        groups = self._groups(group_ids)
        observed_public = any(i.get("PublicIpAddress") for i in mine)
        if template_failed and not observed_public:
            public, public_src = None, "ec2:DescribeLaunchTemplateVersions (unreadable)"
        else:
            found_subnets = None if subnets is None else [s for s in subnets.values() if s]
            public, public_src = nodes.public_ip(template, found_subnets, mine)
        unknown: dict[str, str] = {}
        if template_failed and not any(i.get("MetadataOptions") for i in mine):
            exposed, detail, meta_src = None, None, "ec2:DescribeLaunchTemplateVersions"
        else:
            exposed, detail, meta_src = nodes.pool_metadata(template, mine, ng.get("amiType"))
            unknown = _metadata_unknown(exposed, detail)
        ssh, restricted = nodes.ssh_access(ng)
        ingress_src = "ec2:DescribeSecurityGroups " + ", ".join(dict.fromkeys(group_ids))
        return _pool(
            name=name,
            kind="managed",
            public_ip=public,
            internet_ingress=None
            if template_failed or groups is None
            else nodes.ingress_of(group_ids, groups),
            ssh_access=ssh,
            ssh_source_restricted=restricted,
            identities=self.node_identities([ng.get("nodeRole")]),
            metadata_credentials_exposed=exposed,
            metadata_detail=detail,
            unknown_reasons=unknown,
            sources={
                "public_ip": public_src,
                "internet_ingress": ingress_src,
                "ssh_access": "eks:DescribeNodegroup nodegroup.remoteAccess.ec2SshKey",
                "ssh_source_restricted": "eks:DescribeNodegroup "
                "nodegroup.remoteAccess.sourceSecurityGroups",
                "identities": "eks:DescribeNodegroup nodegroup.nodeRole",
                "metadata_credentials_exposed": meta_src,
            },
        )

    def _fargate(self, name: str) -> NodePool:
        """Fargate runs each pod in its own AWS-managed micro-VM in private subnets: no node
        with a public IP, no node ingress, no IMDS reachable from the pod."""
        profile = self.attempt(
            ["node_pools"],
            self._describe,
            "describe_fargate_profile",
            "fargateProfile",
            "fargateProfileName",
            name,
        )
        role = (profile or {}).get("podExecutionRoleArn")
        why = "EKS Fargate: AWS-managed micro-VM per pod in private subnets"
        return _pool(
            name=name,
            kind="serverless",
            public_ip=False,
            internet_ingress=[],
            ssh_access=False,
            identities=self.node_identities([role]) if profile else None,
            metadata_credentials_exposed=False,
            metadata_detail="EKS Fargate pods cannot reach the instance metadata service",
            sources={
                "public_ip": why,
                "internet_ingress": why,
                "identities": "eks:DescribeFargateProfile fargateProfile.podExecutionRoleArn",
                "metadata_credentials_exposed": why,
            },
        )

    def _self_managed(self, instances: Sequence[Item], managed: set[str]) -> list[NodePool]:
        by_pool: dict[str, list[Item]] = {}
        for inst in instances:
            tags = _tags(inst)
            if tags.get(NODEGROUP_TAG) in managed:
                continue
            key = tags.get(ASG_TAG) or tags.get(KARPENTER_TAG) or "self-managed"
            by_pool.setdefault(key, []).append(inst)
        return [self._self_managed_pool(name, group) for name, group in sorted(by_pool.items())]

    def _self_managed_pool(self, name: str, instances: Sequence[Item]) -> NodePool:
        group_ids = [g["GroupId"] for i in instances for g in i.get("SecurityGroups") or []]
        groups = self._groups(group_ids)
        exposed, detail, meta_src = nodes.pool_metadata(None, instances, None)
        profiles = sorted({p["Arn"] for i in instances if (p := i.get("IamInstanceProfile"))})
        roles = [
            self.attempt([NODE_IDENTITIES], self.lookups.instance_profiles.get, profile)
            for profile in profiles
        ]
        # Nodes without an instance profile (or with a profile that holds no role, read as
        # "") have no cloud identity: they add none. An unreadable profile leaves all unknown.
        identities = None if None in roles else self._summarized([r for r in roles if r])
        source = "ec2:DescribeInstances Reservations[].Instances[]"
        return _pool(
            name=name,
            kind="self-managed",
            public_ip=any(i.get("PublicIpAddress") for i in instances),
            internet_ingress=None if groups is None else nodes.ingress_of(group_ids, groups),
            ssh_access=False,
            identities=identities,
            metadata_credentials_exposed=exposed,
            metadata_detail=detail,
            unknown_reasons=_metadata_unknown(exposed, detail),
            sources={
                "public_ip": f"{source}.PublicIpAddress",
                "internet_ingress": f"{source}.SecurityGroups, ec2:DescribeSecurityGroups",
                "ssh_access": "self-managed nodes have no EKS remote access (port 22 is judged "
                "from their security groups)",
                "identities": f"{source}.IamInstanceProfile, iam:GetInstanceProfile",
                "metadata_credentials_exposed": meta_src,
            },
        )


def _pool(**fields: Any) -> NodePool:
    """A node pool with the facts EKS does not have declared as such."""
    return NodePool(not_applicable=dict(EKS_POOL_NOT_APPLICABLE), **fields)


def _metadata_unknown(exposed: bool | None, detail: str) -> dict[str, str]:
    """When neither a node nor a template nor a documented default settles metadata
    exposure, the detail already says why (the AMI type's default is not documented)."""
    return {} if exposed is not None else {"metadata_credentials_exposed": detail}


def _extra_groups(cluster: Mapping[str, Any]) -> list[str]:
    return list((cluster.get("resourcesVpcConfig") or {}).get("securityGroupIds") or [])


def _tags(item: Mapping[str, Any]) -> dict[str, str]:
    return {t["Key"]: t.get("Value", "") for t in item.get("Tags") or []}
