"""Is a cluster's Kubernetes version still in AKS standard support? (pure)

ListKubernetesVersions (per location) returns each minor version AKS offers with its support
plans. ``KubernetesOfficial`` is community/standard support; a minor listed only under
``AKSLongTermSupport`` is kept alive by the paid Premium tier, which is past standard support;
a minor missing from the list (or only in preview) is not supported at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cloudposture.model import VersionSupport

STANDARD_PLAN = "KubernetesOfficial"
_SOURCE = "containerservice:ListKubernetesVersions values[].capabilities.supportPlan"
CLUSTER_SOURCE = "containerservice:ManagedClusters.Get properties.currentKubernetesVersion"
NO_VERSION = "AKS reported no Kubernetes version for the cluster"


def unreported_version() -> VersionSupport:
    """A cluster body without a version: nothing to judge support by."""
    return VersionSupport(
        detail="the cluster reported no Kubernetes version",
        unknown_reasons=dict.fromkeys(("version", "standard_support"), NO_VERSION),
        sources={"version": CLUSTER_SOURCE},
    )


def minor_of(version: str) -> str:
    """'1.29.2' -> '1.29'."""
    return ".".join(version.split(".")[:2])


def version_support(cluster_version: str | None, versions: Mapping[str, Any]) -> VersionSupport:
    """Judge ``cluster_version`` against a KubernetesVersionListResult dict."""
    if not cluster_version:
        return unreported_version()
    minor = minor_of(cluster_version)
    offered = {str(v.get("version")): v for v in versions.get("values") or []}
    entry = offered.get(minor)
    sources = {"version": CLUSTER_SOURCE, "standard_support": _SOURCE}
    if entry is None:
        listed = ", ".join(sorted(offered, key=_sort_key)) or "none"
        return VersionSupport(
            version=cluster_version,
            standard_support=False,
            detail=f"{minor} is no longer offered by AKS in this location (offered: {listed})",
            sources=sources,
        )
    plans = [str(p) for p in (entry.get("capabilities") or {}).get("supportPlan") or []]
    if entry.get("isPreview"):
        detail = f"{minor} is a preview version"
        standard = False
    elif STANDARD_PLAN in plans:
        detail = f"{minor} is in AKS standard support ({', '.join(plans)})"
        standard = True
    else:
        detail = f"{minor} is only under {', '.join(plans) or 'no support plan'}"
        standard = False
    return VersionSupport(
        version=cluster_version, standard_support=standard, detail=detail, sources=sources
    )


def _sort_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))
