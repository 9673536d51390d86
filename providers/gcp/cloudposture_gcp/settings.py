"""The GCP scan's settings, read from CLI options or a config file entry, checked early.

Pure and cheap (no Google import): bad settings fail with one line before any SDK loads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cloudposture.endpoints import checked_endpoint
from cloudposture.model import ConfigurationError
from cloudposture.plugin.settings import setting_strings

TOKEN_ENV = "GOOGLE_OAUTH_ACCESS_TOKEN"  # noqa: S105 - the variable's name, not a token


@dataclass(frozen=True)
class GcpSettings:
    projects: tuple[str, ...] = ()
    organization: str | None = None
    folders: tuple[str, ...] = ()
    endpoint: str | None = None
    impersonate_service_account: str | None = None

    @classmethod
    def from_mapping(cls, settings: Mapping[str, Any]) -> GcpSettings:
        """CLI options by parameter name, or a config file's target entry."""
        out = cls(
            projects=setting_strings(settings.get("project") or settings.get("projects")),
            organization=_id(settings.get("organization"), "organizations/"),
            folders=tuple(
                _id(f, "folders/") or "" for f in setting_strings(settings.get("folder"))
            ),
            endpoint=validate_endpoint(settings.get("endpoint")),
            impersonate_service_account=settings.get("impersonate_service_account") or None,
        )
        if not (out.projects or out.organization or out.folders):
            raise ConfigurationError(
                "gcp: give at least one --project, or --organization / --folder to discover "
                "projects"
            )
        return out


def validate_endpoint(url: object) -> str | None:
    """Accept https anywhere, plain http only to this machine: a bearer token must never
    travel unencrypted across a network."""
    if url in (None, ""):
        return None
    return checked_endpoint(str(url), "gcp: --endpoint")


def _id(value: object, prefix: str) -> str | None:
    """'organizations/123' or '123' -> '123'."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    return text.removeprefix(prefix)
