"""Is a cluster's Kubernetes minor version still in GKE's standard support?

Pure: the cluster's ``currentMasterVersion`` and the location's ``serverConfig`` in.

GKE offers, per location, the versions a new or upgraded control plane may run:
``validMasterVersions`` (clusters without a release channel) and each release channel's
``validVersions``. A minor version that appears there is in standard support; one that
appears only in the EXTENDED channel is in extended support (paid, past standard), and one
that appears nowhere has left support. Patch versions roll off within weeks, so only the
minor version is compared: a cluster a few patches behind is still supported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cloudposture.model import VersionSupport
from cloudposture_gcp.enums import RELEASE_CHANNEL, enum_name

_MINOR = re.compile(r"^v?(\d+)\.(\d+)")
_VERSION_SOURCE = "container:ListClusters cluster.currentMasterVersion"
NO_VERSION_REPORTED = "the cluster reports no currentMasterVersion (is it still being created?)"
_SUPPORT_SOURCE = (
    "container:GetServerConfig serverConfig.validMasterVersions, "
    "channels[RAPID|REGULAR|STABLE].validVersions"
)


def minor_of(version: str) -> str | None:
    """'1.29.4-gke.1043002' -> '1.29'."""
    match = _MINOR.match(version.strip())
    return f"{match.group(1)}.{match.group(2)}" if match else None


def standard_minors(server_config: Mapping[str, Any]) -> set[str]:
    """Minor versions GKE offers in standard support at this location."""
    versions = list(server_config.get("validMasterVersions") or [])
    for channel in server_config.get("channels") or []:
        if enum_name(channel.get("channel"), RELEASE_CHANNEL) != "EXTENDED":
            versions.extend(channel.get("validVersions") or [])
    return {m for m in (minor_of(str(v)) for v in versions) if m}


def version_support(
    current: str, server_config: Mapping[str, Any] | None, location: str
) -> VersionSupport:
    """The cluster's version and, when the server config was read, its support status."""
    sources = {"version": _VERSION_SOURCE}
    if not current:
        # Nothing to compare, whatever the server config says; a failed server config read
        # is recorded beside this and names standard_support itself.
        return VersionSupport(
            sources=sources,
            unknown_reasons=dict.fromkeys(("version", "standard_support"), NO_VERSION_REPORTED),
        )
    if server_config is None:
        return VersionSupport(version=current, sources=sources)
    sources["standard_support"] = _SUPPORT_SOURCE
    minor = minor_of(current)
    supported = standard_minors(server_config)
    listed = ", ".join(sorted(supported, key=_sort_key))
    if minor is None:
        why = f"cannot read a Kubernetes minor version from {current!r}"
        return VersionSupport(
            version=current,
            detail=why,
            sources=sources,
            unknown_reasons={"standard_support": why},
        )
    ok = minor in supported
    verdict = "is" if ok else "is not"
    return VersionSupport(
        version=current,
        standard_support=ok,
        detail=f"{minor} {verdict} a standard-support minor version in {location} ({listed})",
        sources=sources,
    )


def _sort_key(minor: str) -> tuple[int, ...]:
    return tuple(int(p) for p in minor.split("."))
