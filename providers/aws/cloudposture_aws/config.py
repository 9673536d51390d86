"""``targets.aws`` in the nightly config: the typed entry, its scan unit, its example block.

Pure and cheap (pydantic only): ``cloudposture config validate`` never imports boto3.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

import click
from pydantic import AfterValidator, Field

from cloudposture.endpoints import checked_endpoint
from cloudposture.model import ConfigurationError
from cloudposture.plugin import ScanUnit
from cloudposture.plugin.settings import (
    CONFIG_ONLY,
    Cli,
    CliOnly,
    HttpUrl,
    NonEmpty,
    TargetEntry,
    drop_none,
    regions_or,
)

_ACCOUNT_ID = re.compile(r"^\d{12}$")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
_ROLE_NAME = re.compile(r"^[\w+=,.@/-]{1,512}$")


def _account_id(value: str) -> str:
    if not _ACCOUNT_ID.match(value):
        raise ValueError("an AWS account id is 12 digits (quote it so YAML keeps the zeros)")
    return value


def _role_arn(value: str) -> str:
    if not _ROLE_ARN.match(value):
        raise ValueError("not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)")
    return value


def _role_name(value: str) -> str:
    if not _ROLE_NAME.match(value) or value.startswith("arn:"):
        raise ValueError("a role name such as 'cloudposture-audit', not an ARN")
    return value


def _endpoint(value: Any) -> Any:
    """The one loopback rule (cloudposture.endpoints): signed requests never in clear."""
    try:
        checked_endpoint(str(value), "endpoint_url")
    except ConfigurationError as exc:
        raise ValueError(str(exc)) from None
    return value


AccountId = Annotated[str, AfterValidator(_account_id)]
RoleArn = Annotated[str, AfterValidator(_role_arn)]
RoleName = Annotated[str, AfterValidator(_role_name)]


class AwsOrganization(TargetEntry):
    """Discover member accounts with Organizations ListAccounts, then assume a role in each."""

    role_name: RoleName = Field(description="role assumed in every member account")
    external_id: str | None = Field(default=None, description="sts:ExternalId for that role")
    include_accounts: list[AccountId] = Field(
        default_factory=list, description="only these members (default: every ACTIVE member)"
    )
    exclude_accounts: list[AccountId] = Field(default_factory=list)


class AwsTarget(TargetEntry):
    """An AWS account (profile and/or role ARN), or an organization to fan out over: one
    ``targets.aws`` entry, and (see the ``Cli`` metadata) the options of ``scan aws``."""

    name: Annotated[str | None, CONFIG_ONLY] = Field(
        default=None, description="label in reports (default: account id)"
    )
    profile: Annotated[str | None, Cli(help="AWS profile (default: botocore's chain).")] = None
    regions: Annotated[
        list[NonEmpty] | None,
        Cli(
            flag="--region",
            metavar="REGION",
            help="Region to scan, repeatable (default: every region enabled for the account).",
        ),
    ] = Field(default=None, description="default: top-level regions")
    role_arn: Annotated[
        RoleArn | None,
        Cli(help="Assume this role first (sts:AssumeRole, session 'cloudposture')."),
    ] = Field(default=None, description="assumed first; with organization: the management account")
    external_id: Annotated[str | None, Cli(help="External id for --role-arn.")] = None
    organization: Annotated[AwsOrganization | None, CONFIG_ONLY] = None
    endpoint_url: Annotated[Annotated[HttpUrl, AfterValidator(_endpoint)] | None, CONFIG_ONLY] = (
        Field(
            default=None,
            description="custom AWS endpoint (https, or plain http to loopback only)",
        )
    )


class AwsSettings(AwsTarget):
    """The settings of ``scan aws``: every ``targets.aws`` key plus the botocore retry knobs,
    which only the command line offers (a config entry keeps AWS_RETRY_MODE / the profile's)."""

    retry_mode: CliOnly[Literal["standard", "adaptive"] | None] = Field(
        default=None,
        description="botocore retry mode (default: AWS_RETRY_MODE / the profile's, else "
        "standard, with cloudposture's throttling backoff and per-service concurrency).",
    )
    max_attempts: CliOnly[int | None] = Field(
        default=None,
        ge=1,
        le=50,
        description="botocore max attempts per call (default: AWS_MAX_ATTEMPTS / the "
        "profile's, else 25; --call-deadline normally decides first).",
    )
    call_deadline: CliOnly[
        Annotated[
            float | None,
            Cli(
                metavar="SECONDS",
                type=click.FloatRange(min=0, min_open=True, max=86400),
            ),
        ]
    ] = Field(
        default=None,
        description="Most time one API call may take, retries, waits and a slow reply "
        "included; past it the call is an ERROR with the reason (default 90).",
    )


def aws_units(target: AwsTarget, origin: str, default_regions: tuple[str, ...]) -> list[ScanUnit]:
    """One unit per entry: an organization stays one unit here; the plugin fans it out into
    one scanner per member account, and sharding then acts on those scanners."""
    settings: dict[str, Any] = drop_none(
        {
            "profile": target.profile,
            "region": regions_or(target.regions, default_regions),
            "role_arn": target.role_arn,
            "external_id": target.external_id,
            "endpoint_url": target.endpoint_url,
        }
    )
    org = target.organization
    if org is not None:
        settings.update(
            drop_none(
                {
                    "organization_role": org.role_name,
                    "organization_external_id": org.external_id,
                    "organization_include": tuple(org.include_accounts),
                    "organization_exclude": tuple(org.exclude_accounts),
                }
            )
        )
    label = target.name or _account_of(target.role_arn) or target.profile or origin
    return [ScanUnit("aws", label, settings, (), origin)]


def _account_of(role_arn: str | None) -> str | None:
    return role_arn.split(":")[4] if role_arn else None


EXAMPLE = """\
    # One account through a named profile, in its own regions.
    - name: payments-prod            # label in reports (default: the account id)
      profile: payments-prod
      regions: [eu-west-1]
    # One account through a role, with an external id.
    - role_arn: arn:aws:iam::111111111111:role/cloudposture-audit
      external_id: ${CLOUDPOSTURE_EXTERNAL_ID}
      endpoint_url: https://vpce-example.eks.eu-west-1.vpce.amazonaws.com   # rarely needed
    # Every member account of an organization: ListAccounts from the management account
    # (this entry's profile / role_arn), then sts:AssumeRole into role_name in each member.
    # A member whose role cannot be assumed is a coverage error; the others complete.
    - name: org
      profile: org-management
      organization:
        role_name: cloudposture-audit
        external_id: ${CLOUDPOSTURE_ORG_EXTERNAL_ID}
        include_accounts: []             # only these members (default: every ACTIVE one)
        exclude_accounts: ["222222222222"]
"""
