"""The account's roles, customer managed policies and instance profiles, from one listing.

``iam:GetAccountAuthorizationDetails`` returns every role with its inline policies, attached
policies, permissions boundary and instance profiles, and every customer managed policy with
its versions: a few pages per account instead of three to five calls per role. A scan of more
than a handful of clusters reads IAM this way; a small scan reads only the roles it needs.

AWS-managed policies are not requested (no ``AWSManagedPolicy`` filter): that would return
every one of the ~1,300 documents, pages of overhead when a scan needs the few attached to its
EKS roles. Those are read one by one, once per scan (:class:`cloudposture_aws.lookups.AwsLookups`
``policies``), and only when the role's verdict is not already settled.

Pure functions here: API-shaped pages in, :class:`AccountIam` out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cloudposture_aws.iam_analysis import RoleFacts, is_aws_managed, parse_document, policy_name

FILTERS = ["Role", "LocalManagedPolicy"]
PAGE_SIZE = 1000  # the API's largest MaxItems
SOURCE = "iam:GetAccountAuthorizationDetails"


@dataclass(frozen=True)
class AccountIam:
    roles: Mapping[str, RoleFacts]
    """role ARN -> its facts."""
    profiles: Mapping[str, str]
    """instance profile ARN -> the ARN of its role."""


def account_iam(pages: Iterable[Mapping[str, Any]]) -> AccountIam:
    """Every role of the listing as :class:`RoleFacts`, with customer managed policy documents
    resolved from the same listing (a policy it lacks is left out of ``documents`` and named in
    ``missing_policies``, so the caller can read it on its own)."""
    role_items: list[Mapping[str, Any]] = []
    documents: dict[str, dict[str, Any]] = {}
    for page in pages:
        role_items += page.get("RoleDetailList") or []
        for policy in page.get("Policies") or []:
            default = [
                v for v in policy.get("PolicyVersionList") or [] if v.get("IsDefaultVersion")
            ]
            if default and "Document" in default[0]:
                documents[str(policy["Arn"])] = parse_document(default[0]["Document"])
    roles: dict[str, RoleFacts] = {}
    profiles: dict[str, str] = {}
    for item in role_items:
        facts = _role_facts(item, documents)
        roles[facts.arn] = facts
        for profile in item.get("InstanceProfileList") or []:
            profiles[str(profile["Arn"])] = facts.arn
    return AccountIam(roles=roles, profiles=profiles)


def _role_facts(item: Mapping[str, Any], documents: Mapping[str, dict[str, Any]]) -> RoleFacts:
    attached = tuple(str(p["PolicyArn"]) for p in item.get("AttachedManagedPolicies") or [])
    inline = [
        (str(p["PolicyName"]), p.get("PolicyDocument")) for p in item.get("RolePolicyList") or []
    ]
    found: list[tuple[str, Mapping[str, Any]]] = [
        (f"inline policy {name}", parse_document(doc)) for name, doc in inline
    ]
    missing: list[str] = []
    for arn in attached:
        if is_aws_managed(arn):
            continue
        if arn in documents:
            found.append((f"customer managed policy {policy_name(arn)}", documents[arn]))
        else:
            missing.append(arn)
    boundary = (item.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
    return RoleFacts(
        arn=str(item["Arn"]),
        attached=attached,
        inline_names=tuple(name for name, _ in inline),
        documents=tuple(found),
        boundary=boundary,
        missing_policies=tuple(missing),
        source=SOURCE,
    )
