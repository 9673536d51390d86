"""Keep only the clusters in the configured locations, for providers that list them all.

GKE and AKS list every cluster of a project / subscription in one call, so a config's
``regions`` is applied after discovery: a GKE zone ``europe-west1-b`` belongs to the region
``europe-west1``. AWS takes the regions natively and never needs this.
"""

from __future__ import annotations

from collections.abc import Sequence

from cloudposture.model import ClusterPosture, ClusterRef
from cloudposture.plugin import ProviderScanner, Target


def in_regions(location: str, regions: Sequence[str]) -> bool:
    where = location.lower()
    return any(where == r.lower() or where.startswith(r.lower() + "-") for r in regions)


class RegionFilter:
    """A ProviderScanner that forwards to ``inner`` and drops clusters outside ``regions``."""

    def __init__(self, inner: ProviderScanner, regions: Sequence[str]) -> None:
        self.inner = inner
        self.name = inner.name
        self.label = inner.label
        self.regions = tuple(regions)

    def targets(self) -> Sequence[Target]:
        return self.inner.targets()

    def discover(self, target: Target) -> Sequence[ClusterRef]:
        return [r for r in self.inner.discover(target) if in_regions(r.region, self.regions)]

    def collect(self, ref: ClusterRef) -> ClusterPosture:
        return self.inner.collect(ref)
