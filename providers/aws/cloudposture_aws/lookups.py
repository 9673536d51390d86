"""Reads shared across clusters within one scan: each role, policy, key, launch template,
security group and subnet is fetched once, however many clusters and node groups use it.

Every fetch raises :class:`CollectionFailure` (memoized too, so a denied call is not repeated);
the adapter decides which posture facts a failure leaves unknown.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from cloudposture.model import CollectionError, CollectionFailure
from cloudposture.plugin.lookup import SharedLookup
from cloudposture_aws.clients import ClientFactory
from cloudposture_aws.errors import failing_as
from cloudposture_aws.iam_analysis import RoleFacts, is_aws_managed, parse_document, policy_name

Item = Mapping[str, Any]


class BatchLookup:
    """Like SharedLookup, but fetches every id not yet known in one call per batch."""

    def __init__(self, fetch_many: Callable[[str, list[str]], dict[str, Item | None]]) -> None:
        self._fetch_many = fetch_many
        self._lock = threading.Lock()
        self._results: dict[tuple[str, str], Future[Item | None]] = {}

    def get_many(self, region: str, ids: Iterable[str]) -> dict[str, Item | None]:
        wanted = list(dict.fromkeys(ids))
        mine: list[str] = []
        with self._lock:
            for item_id in wanted:
                if (region, item_id) not in self._results:
                    self._results[(region, item_id)] = Future()
                    mine.append(item_id)
        if mine:
            try:
                found = self._fetch_many(region, mine)
            except BaseException as exc:  # noqa: BLE001 - handed to every waiter
                for item_id in mine:
                    self._results[(region, item_id)].set_exception(exc)
            else:
                for item_id in mine:
                    self._results[(region, item_id)].set_result(found.get(item_id))
        return {item_id: self._results[(region, item_id)].result() for item_id in wanted}


class AwsLookups:
    """The per-scan memo of shared reads, over one :class:`ClientFactory`."""

    def __init__(self, clients: ClientFactory) -> None:
        self.clients = clients
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

    # --- IAM ------------------------------------------------------------------------------

    def _role(self, arn: str) -> RoleFacts:
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
        iam = self.clients.client("iam")
        with failing_as("iam:GetPolicy", arn):
            version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
        with failing_as("iam:GetPolicyVersion", arn):
            doc = iam.get_policy_version(PolicyArn=arn, VersionId=version)
        return parse_document(doc["PolicyVersion"]["Document"])

    def _instance_profile_role(self, arn: str) -> str:
        """Instance profile ARN -> the ARN of its role (self-managed nodes' identity)."""
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

    # --- EC2, batched -------------------------------------------------------------------

    def _security_groups(self, region: str, ids: list[str]) -> dict[str, Item | None]:
        return self._batched(region, ids, "describe_security_groups", "GroupIds", "SecurityGroups")

    def _subnets(self, region: str, ids: list[str]) -> dict[str, Item | None]:
        return self._batched(region, ids, "describe_subnets", "SubnetIds", "Subnets")

    def _batched(
        self, region: str, ids: list[str], operation: str, param: str, key: str
    ) -> dict[str, Item | None]:
        """One call for the batch; when AWS says one id does not exist, ask id by id so the
        missing ones are known to be gone (None) and the rest are still read."""
        ec2 = self.clients.client("ec2", region)
        call = "ec2:" + "".join(w.title() for w in operation.split("_"))
        id_key = "GroupId" if key == "SecurityGroups" else "SubnetId"
        try:
            with failing_as(call, ", ".join(ids)):
                pages = ec2.get_paginator(operation).paginate(**{param: ids})
                return {i[id_key]: i for page in pages for i in page[key]}
        except CollectionFailure as failure:
            if failure.error.kind != "not-found" or len(ids) == 1:
                if failure.error.kind == "not-found":
                    return {}
                raise
        found: dict[str, Item | None] = {}
        for item_id in ids:
            found.update(self._batched(region, [item_id], operation, param, key))
        return found


def _not_found(call: str, resource: str) -> CollectionError:
    return CollectionError(call=call, kind="not-found", resource=resource, message="not found")
