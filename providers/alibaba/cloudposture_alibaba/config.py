"""``targets.alibaba`` in the nightly config: the typed entry, its scan unit, its example block.

Pure and cheap (pydantic only): ``cloudposture config validate`` never imports an Alibaba
Cloud SDK. The entry takes the settings of ``cloudposture scan alibaba`` and is checked by the
same rules (a RAM role ARN, region ids, an endpoint that is https or plain http to loopback).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator

from cloudposture.model import ConfigurationError
from cloudposture.plugin import ScanUnit
from cloudposture.plugin.settings import (
    CONFIG_ONLY,
    Cli,
    NonEmpty,
    TargetEntry,
    drop_none,
    regions_or,
)
from cloudposture_alibaba.settings import AlibabaSettings


class AlibabaTarget(TargetEntry):
    """One Alibaba Cloud account: its credentials (default chain, a profile, or a role to
    assume) and the regions to scan. One ``targets.alibaba`` entry, and (see the ``Cli``
    metadata) the options of ``scan alibaba``: the option's help speaks to a command-line
    user, the config key's description stays the short one the schema shows."""

    name: Annotated[str | None, CONFIG_ONLY] = Field(
        default=None, description="label in reports and coverage"
    )
    profile: Annotated[
        str | None,
        Cli(
            help="Alibaba Cloud CLI profile (~/.aliyun/config.json) or a section of "
            "~/.alibabacloud/credentials.ini (default: the SDK's default credential chain).",
        ),
    ] = Field(default=None, description="CLI profile or ~/.alibabacloud/credentials.ini section")
    role_arn: Annotated[
        str | None,
        Cli(
            metavar="ARN",
            help="Assume this RAM role first (sts:AssumeRole, session 'cloudposture').",
        ),
    ] = Field(default=None, description="RAM role assumed first")
    regions: Annotated[
        list[NonEmpty] | None,
        Cli(
            flag="--region",
            metavar="REGION",
            help="Region to scan, repeatable (default: every region ecs:DescribeRegions returns).",
        ),
    ] = Field(
        default=None,
        description="default: the top-level regions, else every region DescribeRegions returns",
    )
    endpoint: Annotated[
        str | None,
        Cli(
            metavar="URL",
            help="Send every Alibaba Cloud API call to this base URL (private endpoints, "
            "emulators); https, or plain http to loopback only.",
        ),
    ] = Field(default=None, description="every API at this base URL")

    @field_validator("role_arn", "endpoint")
    @classmethod
    def _as_the_cli_checks_them(cls, value: str | None, info: Any) -> str | None:
        if value is None:
            return None
        try:
            checked = AlibabaSettings.from_mapping({info.field_name: value})
        except ConfigurationError as exc:
            raise ValueError(str(exc).removeprefix("alibaba: ")) from None
        return str(getattr(checked, info.field_name))

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.role_arn:
            return self.role_arn
        return f"profile {self.profile}" if self.profile else "default credentials"


def alibaba_units(
    target: AlibabaTarget, origin: str, default_regions: tuple[str, ...]
) -> list[ScanUnit]:
    """One unit per entry (one account, one set of credentials)."""
    regions = regions_or(target.regions, default_regions)
    settings = drop_none(
        {
            "profile": target.profile,
            "role_arn": target.role_arn,
            "endpoint": target.endpoint,
            "regions": regions or None,
        }
    )
    return [ScanUnit("alibaba", target.label, settings, regions, origin)]


EXAMPLE = """\
    - name: ack-prod
      role_arn: acs:ram::1234567890123456:role/cloudposture-audit   # assumed first
      regions: [cn-hangzhou, ap-southeast-1]   # default: every region DescribeRegions returns
    - name: ack-dev
      profile: audit                           # CLI profile or credentials.ini section
      endpoint: https://proxy.example.internal # every API at one base URL (rarely needed)
"""
