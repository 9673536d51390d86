"""The nightly job's configuration file, as frozen pydantic models.

Why strict (``extra="forbid"`` everywhere): a typo such as ``supressions:`` must stop the run
before anything is scanned, not silently drop every suppression. Secrets never live here:
credentials come from the environment, profiles, or workload identity, and ``${VAR}``
references (expanded by the loader) keep sink tokens and database passwords out of the file.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from cloudposture.model import Severity

FailOn = Literal["info", "low", "medium", "high", "critical", "none"]
AzureCloud = Literal["public", "china", "usgov"]

_ACCOUNT_ID = re.compile(r"^\d{12}$")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
_ROLE_NAME = re.compile(r"^[\w+=,.@/-]{1,512}$")
_STORE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg", "postgres")


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


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("not an http(s) URL")
    return value


def _sink_url(value: str) -> str:
    parts = urlsplit(value)
    if not re.fullmatch(r"[a-z][a-z0-9+.-]*", parts.scheme) or not (parts.netloc or parts.path):
        raise ValueError("not a sink URL (scheme://destination, the same form as --sink)")
    return value


def _store_url(value: str) -> str:
    if "://" not in value:
        return value  # a plain path: a SQLite file
    scheme = urlsplit(value).scheme
    if scheme not in _STORE_SCHEMES:
        raise ValueError(
            "the store is a file path, sqlite:///PATH or postgresql://USER@HOST/DB (got scheme "
            f"'{scheme or 'none'}')"
        )
    return value


AccountId = Annotated[str, AfterValidator(_account_id)]
RoleArn = Annotated[str, AfterValidator(_role_arn)]
RoleName = Annotated[str, AfterValidator(_role_name)]
HttpUrl = Annotated[str, AfterValidator(_http_url)]
SinkUrl = Annotated[str, AfterValidator(_sink_url)]
StoreUrl = Annotated[str, AfterValidator(_store_url)]
NonEmpty = Annotated[str, Field(min_length=1)]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AwsOrganization(_Section):
    """Discover member accounts with Organizations ListAccounts, then assume a role in each."""

    role_name: RoleName = Field(description="role assumed in every member account")
    external_id: str | None = Field(default=None, description="sts:ExternalId for that role")
    include_accounts: list[AccountId] = Field(
        default_factory=list, description="only these members (default: every ACTIVE member)"
    )
    exclude_accounts: list[AccountId] = Field(default_factory=list)


class AwsTarget(_Section):
    """An AWS account (profile and/or role ARN), or an organization to fan out over."""

    name: str | None = Field(default=None, description="label in reports (default: account id)")
    profile: str | None = None
    role_arn: RoleArn | None = Field(
        default=None, description="assumed first; with organization: the management account"
    )
    external_id: str | None = None
    organization: AwsOrganization | None = None
    regions: list[NonEmpty] | None = Field(default=None, description="default: top-level regions")
    endpoint_url: HttpUrl | None = Field(default=None, description="custom AWS endpoint")


class GcpTarget(_Section):
    """GCP projects, folders or a whole organization."""

    name: str | None = None
    projects: list[NonEmpty] = Field(default_factory=list)
    folders: list[NonEmpty] = Field(default_factory=list)
    organization: str | None = None
    impersonate_service_account: str | None = None
    regions: list[NonEmpty] | None = Field(default=None, description="GKE locations to keep")
    endpoint: HttpUrl | None = None

    @model_validator(mode="after")
    def _has_scope(self) -> GcpTarget:
        if not (self.projects or self.folders or self.organization):
            raise ValueError("give projects, folders or organization")
        return self


class AzureTarget(_Section):
    """Azure subscriptions, management groups, or every subscription the identity can see."""

    name: str | None = None
    subscriptions: list[NonEmpty] = Field(default_factory=list)
    management_groups: list[NonEmpty] = Field(default_factory=list)
    all_visible: bool = False
    cloud: AzureCloud = "public"
    regions: list[NonEmpty] | None = Field(default=None, description="AKS locations to keep")
    arm_endpoint: HttpUrl | None = None

    @model_validator(mode="after")
    def _has_scope(self) -> AzureTarget:
        if not (self.subscriptions or self.management_groups or self.all_visible):
            raise ValueError("give subscriptions, management_groups or all_visible: true")
        return self


class Targets(_Section):
    aws: list[AwsTarget] = Field(default_factory=list)
    gcp: list[GcpTarget] = Field(default_factory=list)
    azure: list[AzureTarget] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> Targets:
        if not (self.aws or self.gcp or self.azure):
            raise ValueError("no targets: add at least one aws, gcp or azure entry")
        return self


class RuleSelection(_Section):
    only: list[NonEmpty] = Field(default_factory=list, description="run only these rule ids")
    skip: list[NonEmpty] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(
        default_factory=dict, description="rule id -> severity override"
    )
    broad_prefix: int = Field(default=24, ge=0, le=128, description="CP-003 prefix limit")


class SuppressionMatch(_Section):
    """Which findings a suppression covers; every given key must match (globs allowed)."""

    provider: str | None = Field(default=None, description="aws, gcp, azure, ...")
    account: str | None = Field(default=None, description="account / project / subscription")
    region: str | None = None
    cluster: str | None = Field(default=None, description="cluster name glob, e.g. dev-*")
    tags: dict[str, str] = Field(default_factory=dict, description="cluster tags (value globs)")


class SuppressionRule(_Section):
    rule: NonEmpty = Field(description="rule id, e.g. CP-002")
    match: SuppressionMatch = Field(default_factory=SuppressionMatch)
    reason: NonEmpty
    owner: NonEmpty
    expires: date = Field(description="YYYY-MM-DD; after it the suppression stops muting")


class Concurrency(_Section):
    """Bounds on API calls in flight; see docs/nightly/concurrency.md for why three."""

    max_workers: int = Field(default=16, ge=1, le=512, description="whole run")
    per_provider: int = Field(default=16, ge=1, le=512)
    per_account: int = Field(default=4, ge=1, le=64)


class Output(_Section):
    formats: list[NonEmpty] = Field(default_factory=list, description="e.g. json, ocsf, sarif")
    directory: str | None = Field(default=None, description="where the formats are written")


class NightlyConfig(_Section):
    """The whole file."""

    name: str | None = Field(
        default=None, description="identifies this config's history (default: file name)"
    )
    regions: list[NonEmpty] | None = Field(
        default=None, description="default regions for targets that give none"
    )
    targets: Targets
    rules: RuleSelection = Field(default_factory=RuleSelection)
    suppressions: list[SuppressionRule] = Field(default_factory=list)
    sinks: list[SinkUrl] = Field(default_factory=list)
    store: StoreUrl | None = Field(
        default=None, description="default: $CLOUDPOSTURE_STATE, else ~/.cloudposture/state.db"
    )
    fail_on: FailOn = "low"
    concurrency: Concurrency = Field(default_factory=Concurrency)
    output: Output = Field(default_factory=Output)

    @property
    def fail_on_severity(self) -> Severity | None:
        return None if self.fail_on == "none" else Severity(self.fail_on)
