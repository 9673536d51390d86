"""Reads shared across clusters within one scan: each role, policy, key, launch template,
security group and subnet is fetched once, however many clusters and node groups use it.

Reads that serve many clusters are made per account or per region, not per cluster: IAM from
one ``GetAccountAuthorizationDetails`` listing once the scan has more than a handful of
clusters (:mod:`cloudposture_aws.account_iam`; AWS-managed policy documents, which that listing
leaves out, one policy at a time but once per scan), node instances from one ``DescribeInstances``
per region, security groups and subnets in batches shared across clusters
(:mod:`cloudposture_aws.batch`).

Every fetch raises :class:`CollectionFailure` (memoized too, so a denied call is not repeated);
the adapter decides which posture facts a failure leaves unknown.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from cloudposture.model import CollectionError, CollectionFailure
from cloudposture.plugin.lookup import SharedLookup
from cloudposture_aws import account_iam
from cloudposture_aws.account_iam import AccountIam
from cloudposture_aws.batch import BatchLookup
from cloudposture_aws.clients import ClientFactory
from cloudposture_aws.errors import failing_as
from cloudposture_aws.iam_analysis import RoleFacts, is_aws_managed, parse_document, policy_name

Item = Mapping[str, Any]

ACCOUNT_IAM_AFTER = 5
"""More clusters than this in the scan: read IAM account-wide (a handful: role by role)."""
LEGACY_CLUSTER_TAG_KEYS = "kubernetes.io/cluster/*"
CLUSTER_TAG = "eks:cluster-name"
RUNNING = ["pending", "running"]


class AwsLookups:
    """The per-scan memo of shared reads, over one :class:`ClientFactory`."""

    def __init__(self, clients: ClientFactory, account_iam_after: int = ACCOUNT_IAM_AFTER) -> None:
        self.clients = clients
        self.account_iam_after = account_iam_after
        self._clusters = 0
        self._count_lock = threading.Lock()
        self.account: SharedLookup[str, AccountIam | None] = SharedLookup(self._account_iam)
        self.instances: SharedLookup[str, list[Item]] = SharedLookup(self._region_instances)
        self.roles: SharedLookup[str, RoleFacts] = SharedLookup(self._role)
        self.policies: SharedLookup[str, Item] = SharedLookup(self._policy_document)
        self.instance_profiles: SharedLookup[str, str] = SharedLookup(self._instance_profile_role)
        self.oidc_providers: SharedLookup[str, list[str]] = SharedLookup(self._oidc_providers)
        self.keys: SharedLookup[tuple[str, str], Item] = SharedLookup(self._describe_key)
        self.rotation: SharedLookup[tuple[str, str], Item] = SharedLookup(self._rotation)
        self.templates: SharedLookup[tuple[str, str, str], Item] = SharedLookup(self._template)
        self.versions: SharedLookup[str, list[Item] | None] = SharedLookup(self._versions)
        self.groups = BatchLookup(self._security_groups)
        self.subnets = BatchLookup(self._subnets)

    def clusters_found(self, count: int) -> None:
        """Discovery found ``count`` more clusters: decides how IAM is read."""
        with self._count_lock:
            self._clusters += count

    @property
    def account_wide(self) -> bool:
        with self._count_lock:
            return self._clusters > self.account_iam_after

    # --- IAM ------------------------------------------------------------------------------

    def _listed(self) -> AccountIam | None:
        """The account-wide listing when this scan reads IAM that way (None otherwise, or
        when the listing failed: role-by-role reads then say why, role by role)."""
        return self.account.get("") if self.account_wide else None

    def _account_iam(self, _key: str) -> AccountIam | None:
        iam = self.clients.client("iam")
        try:
            with failing_as(account_iam.SOURCE):
                pages = iam.get_paginator("get_account_authorization_details").paginate(
                    Filter=account_iam.FILTERS,
                    PaginationConfig={"PageSize": account_iam.PAGE_SIZE},
                )
                return account_iam.account_iam(pages)
        except CollectionFailure:
            return None

    def _role(self, arn: str) -> RoleFacts:
        listed = self._listed()
        facts = listed.roles.get(arn) if listed is not None else None
        if facts is None:
            return self._read_role(arn)
        extra = tuple(
            (f"customer managed policy {policy_name(p)}", self.policies.get(p))
            for p in facts.missing_policies
        )
        return replace(facts, documents=(*facts.documents, *extra), missing_policies=())

    def _read_role(self, arn: str) -> RoleFacts:
        """GetRole, its attached and inline policies: 3+ calls for one role."""
        iam = self.clients.client("iam")
        name = arn.rsplit("/", 1)[-1]
        with failing_as("iam:GetRole", arn):
            role = iam.get_role(RoleName=name)["Role"]
        with failing_as("iam:ListAttachedRolePolicies", arn):
            pages = iam.get_paginator("list_attached_role_policies").paginate(RoleName=name)
            attached = [p["PolicyArn"] for page in pages for p in page["AttachedPolicies"]]
        with failing_as("iam:ListRolePolicies", arn):
            pages = iam.get_paginator("list_role_policies").paginate(RoleName=name)
            inline = [n for page in pages for n in page["PolicyNames"]]
        documents: list[tuple[str, Item]] = []
        for policy in inline:
            with failing_as("iam:GetRolePolicy", f"{arn} inline policy {policy}"):
                doc = iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"]
            documents.append((f"inline policy {policy}", parse_document(doc)))
        for policy_arn in attached:
            if not is_aws_managed(policy_arn):
                label = f"customer managed policy {policy_name(policy_arn)}"
                documents.append((label, self.policies.get(policy_arn)))
        boundary = (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
        return RoleFacts(
            arn=str(role.get("Arn", arn)),
            attached=tuple(attached),
            inline_names=tuple(inline),
            documents=tuple(documents),
            boundary=boundary,
        )

    def _policy_document(self, arn: str) -> Item:
        """A managed policy's default version (customer or AWS managed). Two calls: the
        document comes only from GetPolicyVersion, whose VersionId is required, and only
        GetPolicy names the default version."""
        iam = self.clients.client("iam")
        with failing_as("iam:GetPolicy", arn):
            version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
        with failing_as("iam:GetPolicyVersion", arn):
            doc = iam.get_policy_version(PolicyArn=arn, VersionId=version)
        return parse_document(doc["PolicyVersion"]["Document"])

    def _instance_profile_role(self, arn: str) -> str:
        """Instance profile ARN -> the ARN of its role (self-managed nodes' identity)."""
        listed = self._listed()
        if listed is not None and arn in listed.profiles:
            return listed.profiles[arn]
        iam = self.clients.client("iam")
        with failing_as("iam:GetInstanceProfile", arn):
            profile = iam.get_instance_profile(InstanceProfileName=arn.rsplit("/", 1)[-1])
        roles = profile["InstanceProfile"].get("Roles") or []
        if not roles:
            return ""
        return str(roles[0]["Arn"])

    def _oidc_providers(self, _account: str) -> list[str]:
        with failing_as("iam:ListOpenIDConnectProviders"):
            answer = self.clients.client("iam").list_open_id_connect_providers()
        return [p["Arn"] for p in answer.get("OpenIDConnectProviderList", [])]

    # --- KMS, EKS versions, launch templates --------------------------------------------

    def _describe_key(self, key: tuple[str, str]) -> Item:
        region, arn = key
        with failing_as("kms:DescribeKey", arn):
            return dict(self.clients.client("kms", region).describe_key(KeyId=arn)["KeyMetadata"])

    def _rotation(self, key: tuple[str, str]) -> Item:
        region, arn = key
        with failing_as("kms:GetKeyRotationStatus", arn):
            return dict(self.clients.client("kms", region).get_key_rotation_status(KeyId=arn))

    def _versions(self, region: str) -> list[Item] | None:
        """eks:DescribeClusterVersions (every version); None when the endpoint cannot answer,
        so the embedded release calendar is used instead."""
        eks = self.clients.client("eks", region)
        try:
            pages = eks.get_paginator("describe_cluster_versions").paginate(includeAll=True)
            return [v for page in pages for v in page.get("clusterVersions", [])]
        except (ClientError, BotoCoreError):
            return None

    def _template(self, key: tuple[str, str, str]) -> Item:
        region, template_id, version = key
        with failing_as("ec2:DescribeLaunchTemplateVersions", f"{template_id} version {version}"):
            answer = self.clients.client("ec2", region).describe_launch_template_versions(
                LaunchTemplateId=template_id, Versions=[version]
            )
        versions = answer.get("LaunchTemplateVersions") or []
        if not versions:
            raise CollectionFailure(
                _not_found("ec2:DescribeLaunchTemplateVersions", f"{template_id} {version}")
            )
        return dict(versions[0])

    # --- EC2: per region, and batched across clusters -------------------------------------

    def _region_instances(self, region: str) -> list[Item]:
        """Every running EKS node of the region, in one listing: instances tagged
        kubernetes.io/cluster/<name> or eks:cluster-name (the tag-key filter matches either)."""
        filters = [
            {"Name": "tag-key", "Values": [LEGACY_CLUSTER_TAG_KEYS, CLUSTER_TAG]},
            {"Name": "instance-state-name", "Values": RUNNING},
        ]
        ec2 = self.clients.client("ec2", region)
        with failing_as("ec2:DescribeInstances", f"EKS nodes in {region}"):
            pages = ec2.get_paginator("describe_instances").paginate(Filters=filters)
            return [i for page in pages for r in page["Reservations"] for i in r["Instances"]]

    def _security_groups(self, region: str, ids: list[str], by_filter: bool) -> dict[str, Item]:
        return self._by_id(region, ids, by_filter, "security_groups", "group-id", "GroupId")

    def _subnets(self, region: str, ids: list[str], by_filter: bool) -> dict[str, Item]:
        return self._by_id(region, ids, by_filter, "subnets", "subnet-id", "SubnetId")

    def _by_id(
        self, region: str, ids: list[str], by_filter: bool, what: str, name: str, id_key: str
    ) -> dict[str, Item]:
        """ec2:Describe<what> for ``ids``: by id (AWS fails naming an id it does not have), or
        filtered on the ids (AWS answers those it has)."""
        ec2 = self.clients.client("ec2", region)
        key = "".join(w.title() for w in what.split("_"))
        args: dict[str, Any] = (
            {"Filters": [{"Name": name, "Values": ids}]} if by_filter else {id_key + "s": ids}
        )
        with failing_as(f"ec2:Describe{key}", ", ".join(ids)):
            pages = ec2.get_paginator(f"describe_{what}").paginate(**args)
            return {i[id_key]: i for page in pages for i in page[key]}


def _not_found(call: str, resource: str) -> CollectionError:
    return CollectionError(call=call, kind="not-found", resource=resource, message="not found")
