"""The ACK scan's settings, from CLI options or a config file's ``targets.alibaba`` entry.

Pure and cheap (no Alibaba SDK import): a bad role ARN or a plain-http endpoint to another
machine fails with one line before any SDK loads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cloudposture.endpoints import checked_endpoint
from cloudposture.model import ConfigurationError
from cloudposture.plugin.settings import setting_strings

ROLE_ARN = re.compile(r"^acs:ram::\d+:role/[\w+=,.@-]{1,64}$")
REGION = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+$")


class AlibabaSettings(BaseModel):
    """What one Alibaba Cloud scan needs: whose credentials, which regions, which endpoint."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    regions: tuple[str, ...] = Field(
        default=(), description="regions to scan; empty: every region ecs:DescribeRegions returns"
    )
    profile: str | None = Field(
        default=None,
        description="a profile of the Alibaba Cloud CLI (~/.aliyun/config.json) or of "
        "~/.alibabacloud/credentials.ini; default: the SDK's default credential chain",
    )
    role_arn: str | None = Field(
        default=None, description="assume this RAM role first (sts:AssumeRole)"
    )
    endpoint: str | None = Field(
        default=None,
        description="send every service's calls to this base URL (private endpoints, tests); "
        "https, or plain http to loopback only",
    )

    @field_validator("role_arn")
    @classmethod
    def _role(cls, value: str | None) -> str | None:
        if value and not ROLE_ARN.match(value):
            raise ValueError("not a RAM role ARN (acs:ram::<account id>:role/<name>)")
        return value or None

    @field_validator("regions")
    @classmethod
    def _regions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [r for r in value if not REGION.match(r)]
        if bad:
            raise ValueError(f"not a region id: {', '.join(bad)} (e.g. cn-hangzhou)")
        return value

    @field_validator("endpoint")
    @classmethod
    def _endpoint(cls, value: str | None) -> str | None:
        if not value:
            return None
        url = checked_endpoint(value, "alibaba: --endpoint")
        parts = urlsplit(url)
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError(
                "the endpoint is a base URL (scheme://host[:port]); the SDK adds each API's path"
            )
        return url

    @property
    def endpoint_host(self) -> str | None:
        """``host[:port]`` for the SDK's ``Config.endpoint``."""
        return urlsplit(self.endpoint).netloc if self.endpoint else None

    @property
    def protocol(self) -> str:
        return urlsplit(self.endpoint).scheme if self.endpoint else "https"

    @classmethod
    def from_mapping(cls, settings: Mapping[str, Any]) -> AlibabaSettings:
        """CLI options by parameter name (``region``, ...) or a config entry (``regions``)."""
        try:
            return cls(
                regions=setting_strings(settings.get("region") or settings.get("regions")),
                profile=settings.get("profile") or None,
                role_arn=settings.get("role_arn") or None,
                endpoint=settings.get("endpoint") or None,
            )
        except ConfigurationError:
            raise
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            message = str(first["msg"]).removeprefix("Value error, ")
            raise ConfigurationError(f"alibaba: {where}: {message}") from None
