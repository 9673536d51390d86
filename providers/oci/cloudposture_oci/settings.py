"""The OCI scan's settings, read from CLI options or a config file entry, checked early.

Pure and cheap (no ``oci`` import): bad settings fail with one line before the SDK loads.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from cloudposture.endpoints import checked_endpoint
from cloudposture.model import ConfigurationError
from cloudposture.plugin.settings import setting_strings

AuthMode = Literal["api_key", "instance_principal", "resource_principal"]
AUTH_MODES: tuple[AuthMode, ...] = ("api_key", "instance_principal", "resource_principal")
CONFIG_ENV = "OCI_CONFIG_FILE"
DEFAULT_CONFIG_FILE = "~/.oci/config"
DEFAULT_PROFILE = "DEFAULT"
REGION_PLACEHOLDER = "{region}"


@dataclass(frozen=True)
class OciSettings:
    auth: AuthMode = "api_key"
    config_file: str = DEFAULT_CONFIG_FILE
    profile: str = DEFAULT_PROFILE
    regions: tuple[str, ...] = ()
    """Empty: every region the tenancy subscribes to."""
    compartments: tuple[str, ...] = ()
    """Empty: the whole tenancy (every ACTIVE compartment, recursively)."""
    endpoint: str | None = None

    @classmethod
    def from_mapping(
        cls, settings: Mapping[str, Any], environ: Mapping[str, str] | None = None
    ) -> OciSettings:
        """CLI options by parameter name, or a config file's target entry."""
        env = os.environ if environ is None else environ
        auth = str(settings.get("auth") or "api_key").strip().lower().replace("-", "_")
        if auth not in AUTH_MODES:
            raise ConfigurationError(
                f"oci: --auth must be one of {', '.join(AUTH_MODES)}, got {auth!r}"
            )
        config_file = str(settings.get("config_file") or env.get(CONFIG_ENV) or DEFAULT_CONFIG_FILE)
        return cls(
            auth=auth,
            config_file=config_file,
            profile=str(settings.get("profile") or env.get("OCI_CLI_PROFILE") or DEFAULT_PROFILE),
            regions=setting_strings(settings.get("region") or settings.get("regions")),
            compartments=_compartments(settings.get("compartment") or settings.get("compartments")),
            endpoint=validate_endpoint(settings.get("endpoint")),
        )


def validate_endpoint(url: object) -> str | None:
    """https anywhere, plain http only to this machine (requests are signed with the user's
    key; a signature must not travel unencrypted). ``{region}`` in the URL is replaced by
    each scanned region, for one private endpoint per region."""
    if url in (None, ""):
        return None
    text = str(url)
    probe = text.replace(REGION_PLACEHOLDER, "region")
    checked_endpoint(probe, "oci: --endpoint")
    return text.strip().rstrip("/")


def _compartments(value: object) -> tuple[str, ...]:
    out = setting_strings(value)
    bad = [c for c in out if not c.startswith(("ocid1.compartment.", "ocid1.tenancy."))]
    if bad:
        raise ConfigurationError(
            f"oci: --compartment takes a compartment OCID (ocid1.compartment...), got {bad[0]!r}"
        )
    return out
