"""A fake estate behind a real ProviderPlugin / ProviderScanner implementation.

The world is plain data the tests mutate between runs (fix a cluster, add one, break an
account's role); the plugin reads it like a cloud API would, so the run flow, sharding, the
store and the diff are exercised end to end without any SDK.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import click

from cloudposture.model import (
    ClusterPosture,
    ClusterRef,
    CollectionError,
    CollectionFailure,
    ConfigurationError,
    EndpointAccess,
)
from cloudposture.plugin import ProviderPlugin, Target


@dataclass
class World:
    clusters: dict[tuple[str, str], dict[str, bool]] = field(default_factory=dict)
    """(account, region) -> cluster name -> public endpoint on."""
    unassumable: set[str] = field(default_factory=set)
    failing_regions: set[tuple[str, str]] = field(default_factory=set)
    members: list[str] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def regions_of(self, account: str) -> list[str]:
        return sorted(r for a, r in self.clusters if a == account)


class WorldScanner:
    name = "aws"

    def __init__(self, world: World, account: str, regions: Sequence[str]) -> None:
        self.world = world
        self.account = account
        self.label = account
        self.regions = list(regions)

    def targets(self) -> Sequence[Target]:
        if self.account in self.world.unassumable:
            raise ConfigurationError(
                f"cannot assume role arn:aws:iam::{self.account}:role/audit: AccessDenied"
            )
        regions = self.regions or self.world.regions_of(self.account)
        return [Target(provider="aws", account=self.account, region=r) for r in regions]

    def discover(self, target: Target) -> Sequence[ClusterRef]:
        with self.world.lock:
            self.world.calls.append(("discover", f"{target.account}/{target.region}"))
        if (target.account, target.region) in self.world.failing_regions:
            raise CollectionFailure(
                CollectionError(call="eks:ListClusters", kind="denied", code="AccessDenied")
            )
        names = self.world.clusters.get((target.account, target.region), {})
        return [
            ClusterRef(
                provider="aws",
                account=target.account,
                region=target.region,
                name=name,
                native_id=f"arn:aws:eks:{target.region}:{target.account}:cluster/{name}",
            )
            for name in sorted(names)
        ]

    def collect(self, ref: ClusterRef) -> ClusterPosture:
        public = self.world.clusters[(ref.account, ref.region)][ref.name]
        cidrs = ["0.0.0.0/0"] if public else []
        return ClusterPosture(
            ref=ref, endpoint=EndpointAccess(public_enabled=public, authorized_cidrs=cidrs)
        )


class WorldPlugin(ProviderPlugin):
    name = "aws"
    summary = "a fake estate"

    def __init__(self, world: World) -> None:
        self.world = world

    def cli_options(self) -> Sequence[click.Parameter]:
        return []

    def scanners(self, settings: Mapping[str, Any], max_workers: int) -> Sequence[WorldScanner]:
        regions = tuple(settings.get("region") or ())
        if settings.get("organization_role"):
            excluded = set(settings.get("organization_exclude") or ())
            return [
                WorldScanner(self.world, a, regions)
                for a in self.world.members
                if a not in excluded
            ]
        arn = str(settings["role_arn"])
        return [WorldScanner(self.world, arn.split(":")[4], regions)]


def config_text(accounts: Sequence[str], extra: str = "") -> str:
    entries = "".join(f"    - role_arn: arn:aws:iam::{a}:role/audit\n" for a in accounts)
    return f"name: estate\ntargets:\n  aws:\n{entries}rules:\n  only: [CP-001, CP-002]\n{extra}"
