"""Pure IAM policy analysis: is a role admin-equivalent, does it hold wildcard grants?

Why by hand and not with the IAM policy simulator: the simulator needs extra permissions and
one call per (action, resource) pair, and it still cannot say "broad". The questions the rules
ask are coarse and can be answered from the documents alone:

- *admin-equivalent*: the role can do anything, or can make itself able to (``*``, ``iam:*``,
  an ``Allow`` with ``NotAction``, or a known IAM privilege-escalation action on all resources).
- *wildcard grants*: ``<service>:*`` (or ``*``) on all resources.

``Deny`` statements and conditions are not subtracted: a finding errs towards "broad", and says
which grant made it so. Every policy is judged by its document, AWS-managed ones included: a
service-role policy such as ``AmazonElasticMapReduceRole`` grants ``iam:PassRole`` with
``ec2:RunInstances`` on ``*`` under a harmless-looking name. Names are only a floor: a known
admin-equivalent AWS-managed policy needs no reading, ``*FullAccess`` stays a service wildcard
whatever its document says, and an AWS-managed policy whose document could not be read leaves
the verdict unknown instead of assumed harmless.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any, Literal

from cloudposture.model import Identity

AWS_MANAGED_PREFIX = ":iam::aws:policy/"

# AWS-managed policies that are admin-equivalent, with why.
ADMIN_EQUIVALENT_MANAGED: Mapping[str, str] = {
    "AdministratorAccess": "grants * on *",
    "PowerUserAccess": "grants every action except IAM/Organizations management on *",
    "IAMFullAccess": "grants iam:* on *: the role can grant itself anything",
    "AdministratorAccess-Amplify": "creates IAM roles and policies and passes them to services",
    "AdministratorAccess-AWSElasticBeanstalk": "passes any role to EC2 and CloudFormation",
}

# Documented permissions of the EKS cluster (control-plane) role: anything beyond is broader
# than the minimum. AmazonEKSServicePolicy was required for clusters created before 2020-04-16;
# the four Auto Mode policies are documented for EKS Auto Mode clusters.
CLUSTER_ROLE_MINIMUM = frozenset(
    {
        "AmazonEKSClusterPolicy",
        "AmazonEKSVPCResourceController",
        "AmazonEKSServicePolicy",
        "AmazonEKSComputePolicy",
        "AmazonEKSBlockStoragePolicy",
        "AmazonEKSLoadBalancingPolicy",
        "AmazonEKSNetworkingPolicy",
    }
)

# Actions that let a principal raise its own privileges when allowed on every resource
# (Rhino Security Labs' list of IAM privilege-escalation methods).
SELF_ESCALATION_ACTIONS = (
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:PutRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:AddUserToGroup",
    "iam:UpdateAssumeRolePolicy",
)
# With iam:PassRole on *, these hand any role (an admin one, say) to compute the caller controls.
PASS_ROLE_TARGETS = (
    "ec2:RunInstances",
    "lambda:CreateFunction",
    "cloudformation:CreateStack",
    "glue:CreateDevEndpoint",
    "ecs:RunTask",
)


@dataclass
class PolicyVerdict:
    """What one role's policies add up to."""

    admin_equivalent: bool = False
    wildcard: bool = False
    grants: list[str] = field(default_factory=list)

    def note(self, grant: str) -> None:
        if grant not in self.grants:
            self.grants.append(grant)


def policy_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def is_aws_managed(arn: str) -> bool:
    return AWS_MANAGED_PREFIX in arn


def parse_document(document: Any) -> dict[str, Any]:
    """A policy document as a dict (boto3 decodes them; raw API answers are URL-encoded)."""
    if isinstance(document, dict):
        return document
    text = urllib.parse.unquote(str(document))
    parsed = json.loads(text)
    return parsed if isinstance(parsed, dict) else {}


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _matches(patterns: Iterable[str], action: str) -> bool:
    action = action.lower()
    return any(fnmatchcase(action, p.lower()) for p in patterns)


def _on_all_resources(statement: Mapping[str, Any]) -> bool:
    if "NotResource" in statement:
        return True
    return "*" in _as_list(statement.get("Resource"))


def allowed_on_all_resources(document: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(action patterns, NotAction lists flattened) of Allow statements on every resource."""
    actions: list[str] = []
    not_actions: list[str] = []
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    for st in statements:
        if not isinstance(st, dict) or st.get("Effect") != "Allow" or not _on_all_resources(st):
            continue
        if "NotAction" in st:
            not_actions.extend(_as_list(st["NotAction"]) or ["(nothing)"])
        actions.extend(_as_list(st.get("Action")))
    return actions, not_actions


def judge_documents(documents: Sequence[tuple[str, Mapping[str, Any]]]) -> PolicyVerdict:
    """Judge the documents of one role together (escalation can span two policies); every
    grant names the policies it comes from."""
    verdict = PolicyVerdict()
    labelled: list[tuple[str, str]] = []
    for label, document in documents:
        actions, not_actions = allowed_on_all_resources(document)
        labelled.extend((label, action) for action in actions)
        if not_actions:
            verdict.admin_equivalent = verdict.wildcard = True
            verdict.note(f"{label}: Allow NotAction {sorted(set(not_actions))} on *")
        for action in actions:
            lowered = action.lower()
            if lowered in ("*", "*:*", "iam:*"):
                verdict.admin_equivalent = verdict.wildcard = True
                verdict.note(f"{label}: Allow {action} on *")
            elif lowered.endswith(":*"):
                verdict.wildcard = True
                verdict.note(f"{label}: Allow {action} on *")
    if verdict.admin_equivalent:
        return verdict  # already everything: escalation paths add nothing
    all_actions = [action for _, action in labelled]
    escalation = [a for a in SELF_ESCALATION_ACTIONS if _matches(all_actions, a)]
    if escalation:
        verdict.admin_equivalent = True
        where = _granted_by(labelled, escalation)
        verdict.note(f"privilege escalation: {', '.join(escalation)} on * ({where})")
    if _matches(all_actions, "iam:PassRole"):
        targets = [a for a in PASS_ROLE_TARGETS if _matches(all_actions, a)]
        if targets:
            verdict.admin_equivalent = True
            where = _granted_by(labelled, ["iam:PassRole", *targets])
            verdict.note(
                f"privilege escalation: iam:PassRole with {', '.join(targets)} on * ({where})"
            )
    return verdict


def _granted_by(labelled: Sequence[tuple[str, str]], actions: Sequence[str]) -> str:
    """The labels of the policies whose patterns allow any of ``actions``, in order."""
    labels = [label for label, pattern in labelled if any(_matches([pattern], a) for a in actions)]
    return ", ".join(dict.fromkeys(labels))


def managed_label(arn: str) -> str:
    return f"AWS managed policy {policy_name(arn)}"


def judge_managed_by_name(
    arns: Iterable[str],
    verdict: PolicyVerdict,
    documents: Mapping[str, Mapping[str, Any]] | None = None,
) -> None:
    """The floor the names of AWS-managed policies set: known admin-equivalents are admin;
    ``*FullAccess`` is a service wildcard (noted only when its own document, if read, does
    not already show one)."""
    for arn in arns:
        if not is_aws_managed(arn):
            continue
        name = policy_name(arn)
        if name in ADMIN_EQUIVALENT_MANAGED:
            verdict.admin_equivalent = verdict.wildcard = True
            verdict.note(f"{managed_label(arn)}: {ADMIN_EQUIVALENT_MANAGED[name]}")
        elif name.endswith("FullAccess"):
            verdict.wildcard = True
            document = (documents or {}).get(arn)
            if document is None or not judge_documents([("", document)]).wildcard:
                verdict.note(f"{managed_label(arn)}: full access to a service (by its name)")


def beyond_cluster_minimum(attached_arns: Iterable[str], inline_names: Iterable[str]) -> list[str]:
    """What a cluster role holds beyond the documented EKS minimum (empty: nothing)."""
    extra = [
        policy_name(arn)
        for arn in attached_arns
        if not (is_aws_managed(arn) and policy_name(arn) in CLUSTER_ROLE_MINIMUM)
    ]
    extra += [f"inline {name}" for name in inline_names]
    return extra


PER_ROLE_SOURCE = "iam:ListAttachedRolePolicies, iam:GetPolicyVersion, iam:GetRolePolicy"
MANAGED_SOURCE = "AWS managed policy documents: iam:GetPolicy, iam:GetPolicyVersion"


@dataclass(frozen=True)
class RoleFacts:
    """What IAM says about one role: attached policy ARNs and the documents worth reading."""

    arn: str
    attached: tuple[str, ...]
    inline_names: tuple[str, ...]
    documents: tuple[tuple[str, Mapping[str, Any]], ...]
    """(label, document) for inline and customer-managed policies."""
    boundary: str | None = None
    missing_policies: tuple[str, ...] = ()
    """Customer managed policies attached but not yet read (a listing that lacked them)."""
    source: str = PER_ROLE_SOURCE
    """The calls the facts came from, for the evidence."""


def managed_to_read(facts: RoleFacts) -> tuple[str, ...]:
    """The AWS-managed policies whose documents the role's verdict still needs: none when
    the known admin-equivalent names and the role's own documents already make it admin
    with wildcard grants (nothing a document adds could change either), else every attached
    AWS-managed policy."""
    known = judge_documents(facts.documents)
    judge_managed_by_name(facts.attached, known)
    if known.admin_equivalent and known.wildcard:
        return ()
    return tuple(dict.fromkeys(arn for arn in facts.attached if is_aws_managed(arn)))


def summarize_role(
    facts: RoleFacts,
    role: Literal["control-plane", "node"],
    managed: Mapping[str, Mapping[str, Any] | None] | None = None,
) -> Identity:
    """A role's policies -> the neutral :class:`Identity` summary.

    ``managed``: AWS-managed policy ARN -> its default version's document, or None when it
    could not be read. A policy of :func:`managed_to_read` without a document leaves
    ``admin_equivalent`` and ``wildcard_grants`` unknown unless what was read already makes
    them true: an unread policy is never assumed harmless.
    """
    to_read = managed_to_read(facts)
    read = {arn: doc for arn in to_read if (doc := (managed or {}).get(arn)) is not None}
    unread = len(read) < len(to_read)
    verdict = judge_documents(
        [*facts.documents, *((managed_label(arn), doc) for arn, doc in read.items())]
    )
    judge_managed_by_name(facts.attached, verdict, read)
    if facts.boundary and verdict.grants:
        verdict.note(f"limited by permissions boundary {policy_name(facts.boundary)}")
    source = f"{facts.source}; {MANAGED_SOURCE}" if to_read else facts.source
    sources = {"admin_equivalent": source, "wildcard_grants": source}
    exceeds: bool | None = None
    if role == "control-plane":
        extra = beyond_cluster_minimum(facts.attached, facts.inline_names)
        exceeds = bool(extra)
        for name in extra:
            verdict.note(f"beyond the EKS cluster role minimum: {name}")
        sources["exceeds_minimum"] = (
            "iam:ListAttachedRolePolicies, iam:ListRolePolicies"
            if facts.source == PER_ROLE_SOURCE
            else facts.source
        )
    return Identity(
        id=facts.arn,
        role=role,
        is_default=False,
        admin_equivalent=_known(verdict.admin_equivalent, unread),
        wildcard_grants=_known(verdict.wildcard, unread),
        exceeds_minimum=exceeds,
        grants=verdict.grants,
        sources=sources
        | {"is_default": "EKS has no provider-default identity: every role is chosen"},
    )


def _known(granted: bool, unread: bool) -> bool | None:
    """True once any policy grants it; otherwise False only if every policy was read."""
    return True if granted else (None if unread else False)
