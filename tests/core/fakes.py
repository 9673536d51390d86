"""A small in-memory provider scanner implementing the real ProviderScanner interface."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from cloudposture.model import (
    ClusterPosture,
    ClusterRef,
    CollectionError,
    CollectionFailure,
    EndpointAccess,
)
from cloudposture.plugin import Target


def ref(account: str, region: str, name: str) -> ClusterRef:
    return ClusterRef(
        provider="fake",
        account=account,
        region=region,
        name=name,
        native_id=f"fake://{account}/{region}/{name}",
    )


def posture(r: ClusterRef, public: bool | None, **kwargs: object) -> ClusterPosture:
    return ClusterPosture.model_validate(
        {"ref": r, "endpoint": EndpointAccess(public_enabled=public), **kwargs}
    )


@dataclass
class FakeScanner:
    """Clusters per (account, region); failures injected per region or cluster name."""

    clusters: Mapping[tuple[str, str], Sequence[tuple[str, bool | None]]]
    name: str = "fake"
    label: str = ""
    failing_regions: Mapping[str, CollectionError] = field(default_factory=dict)
    failing_clusters: Mapping[str, BaseException] = field(default_factory=dict)
    partial_clusters: Mapping[str, CollectionError] = field(default_factory=dict)
    targets_error: BaseException | None = None
    delay: float = 0.0
    on_call: Callable[[], None] | None = None
    in_flight: int = 0
    max_in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        time.sleep(self.delay)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def targets(self) -> Sequence[Target]:
        if self.targets_error is not None:
            raise self.targets_error
        return [Target(provider=self.name, account=a, region=r) for a, r in self.clusters]

    def discover(self, target: Target) -> Sequence[ClusterRef]:
        self._enter()
        try:
            error = self.failing_regions.get(target.region)
            if error is not None:
                raise CollectionFailure(error)
            names = self.clusters[(target.account, target.region)]
            return [ref(target.account, target.region, n) for n, _ in names]
        finally:
            self._leave()

    def collect(self, r: ClusterRef) -> ClusterPosture:
        self._enter()
        try:
            failure = self.failing_clusters.get(r.name)
            if failure is not None:
                raise failure
            public = dict(self.clusters[(r.account, r.region)])[r.name]
            partial = self.partial_clusters.get(r.name)
            return posture(r, public, collection_errors=[partial] if partial else [])
        finally:
            self._leave()
