"""A third-party provider plugin, installed only on the test's PYTHONPATH.

It proves the entry-point mechanism works for plugins outside this repository's providers and
lets CLI tests drive exit codes without any cloud SDK.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import click

from cloudposture.model import CollectionError, ConfigurationError
from cloudposture.plugin import ProviderPlugin, ProviderScanner
from cloudposture.rules.base import ProviderGuidance
from cloudposture.rules.guidance import guide
from tests.core.fakes import FakeScanner

SCENARIOS: dict[str, dict[str, Any]] = {
    "clean": {"clusters": {("111", "r1"): [("private", False)]}},
    "public": {"clusters": {("111", "r1"): [("private", False), ("open", True)]}},
    "denied": {
        "clusters": {("111", "r1"): [("open", True)], ("111", "r2"): [("x", False)]},
        "failing_regions": {
            "r2": CollectionError(
                call="fake:ListClusters", kind="denied", code="AccessDenied", message="no"
            )
        },
    },
}


class FakePlugin(ProviderPlugin):
    name = "fake"
    summary = "A fake cloud for tests."
    title = "Fake cloud"
    guidance: Mapping[str, ProviderGuidance] = {
        "CP-002": guide(
            evidence="fake:DescribeCluster endpoint.public",
            summary="Turn the public endpoint off.",
            console="Fake console > Clusters > <cluster> > Endpoint",
            cli="fake cluster update <cluster> --no-public-endpoint",
            terraform="fake_cluster.public_endpoint",
            docs=["https://fake.example/docs/endpoint"],
        )
    }
    not_applicable: Mapping[str, str] = {"ETCD-001": "the fake cloud has no etcd"}

    def cli_options(self) -> Sequence[click.Parameter]:
        return [click.Option(["--scenario"], type=click.Choice(sorted(SCENARIOS)), required=True)]

    def scanners(self, settings: Mapping[str, Any], max_workers: int) -> Sequence[ProviderScanner]:
        if settings.get("scenario") is None:
            raise ConfigurationError("no scenario")
        return [FakeScanner(**SCENARIOS[settings["scenario"]])]


plugin = FakePlugin()
