"""Issue 9: a network's firewalls are read once per (network, region) for the whole scan.

The estate: 14 clusters in 7 service projects of one Shared VPC (the host project's
``prod-vpc``), in two regions. Counted at the fake server: one ``getEffectiveFirewalls`` for
the network and one regional call per region, whether the scan is one scanner with
concurrent collectors (``scan gcp``) or one scanner per project (the nightly run's units).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest
from cloudposture_gcp.plugin import GcpPlugin

from cloudposture.plugin import ProviderScanner
from tests.providers.gcp.conftest import make_scanner
from tests.providers.gcp.fake_api import FakeGoogleApi, World
from tests.providers.gcp.fixtures import (
    ORG,
    PROD,
    cluster,
    issue_world,
    node_config,
    node_pool,
    org_policy,
    policy,
    project,
)

HOST_NET = f"projects/{PROD}/global/networks/prod-vpc"
REGIONS = ("europe-west1", "us-central1")
SERVICE = [f"acme-svc-{n}" for n in range(7)]


def shared_vpc_world() -> World:
    world = issue_world()
    for n, name in enumerate(SERVICE):
        number = f"7000000000{n:02d}"
        world.projects[name] = project(name, number)
        world.policies[name] = policy([], audit=True)
        world.clusters[name] = [
            cluster(
                name,
                f"c-{region}",
                f"{n:02d}{i:062d}",
                location=region,
                pools=[node_pool(name, region, f"c-{region}", "pool", node_config())],
                networkConfig={"network": HOST_NET},
            )
            for i, region in enumerate(REGIONS)
        ]
    world.policies[ORG] = org_policy()
    return world


@pytest.fixture
def estate() -> Iterator[FakeGoogleApi]:
    with FakeGoogleApi(shared_vpc_world()).running() as running:
        yield running


def _scan(api: FakeGoogleApi, scanners: Sequence[ProviderScanner]) -> int:
    refs = [
        (scanner, ref)
        for scanner in scanners
        for target in scanner.targets()
        for ref in scanner.discover(target)
    ]
    with ThreadPoolExecutor(8) as pool:
        postures = list(pool.map(lambda pair: pair[0].collect(pair[1]), refs))
    assert all(p.collection_errors == [] for p in postures), [
        e.one_line() for p in postures for e in p.collection_errors
    ]
    return len(postures)


def _firewall_reads(api: FakeGoogleApi) -> tuple[list[str], list[str]]:
    return (
        [r for c, r in api.calls if c == "compute:GetEffectiveFirewalls"],
        sorted(r for c, r in api.calls if c == "compute:GetRegionEffectiveFirewalls"),
    )


def test_one_scanner_reads_the_network_once_per_region(estate: FakeGoogleApi) -> None:
    assert _scan(estate, [make_scanner(estate, *SERVICE)]) == 14
    assert _firewall_reads(estate) == (
        [HOST_NET],
        [f"{HOST_NET} (region {r})" for r in REGIONS],
    )


def test_a_scanner_per_project_still_reads_the_network_once_per_region(
    estate: FakeGoogleApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The nightly run builds one unit, so one scanner, per configured project."""
    monkeypatch.setenv("GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.shared-reads")
    plugin = GcpPlugin()
    scanners = [
        s
        for name in SERVICE
        for s in plugin.scanners({"project": (name,), "endpoint": estate.base_url}, 4)
    ]
    assert _scan(estate, scanners) == 14
    assert _firewall_reads(estate) == (
        [HOST_NET],
        [f"{HOST_NET} (region {r})" for r in REGIONS],
    )
    # The organization's policy above all seven projects is read once too.
    assert estate.count("resourcemanager:GetOrganizationIamPolicy") == 1


def test_a_later_scan_reads_afresh(estate: FakeGoogleApi, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sharing lasts as long as the scan's scanners: no stale firewalls in the next scan."""
    monkeypatch.setenv("GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.shared-reads")
    plugin = GcpPlugin()
    settings = {"project": (SERVICE[0],), "endpoint": estate.base_url}
    gc.disable()  # freed by reference counting alone: no cycle keeps the reads alive
    try:
        _scan(estate, plugin.scanners(settings, 4))
        _scan(estate, plugin.scanners(settings, 4))
    finally:
        gc.enable()
    assert len(_firewall_reads(estate)[0]) == 2


def test_another_identity_does_not_share_reads(
    estate: FakeGoogleApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugin = GcpPlugin()
    settings = {"project": (SERVICE[0],), "endpoint": estate.base_url}
    monkeypatch.setenv("GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.first")
    first = plugin.scanners(settings, 4)
    monkeypatch.setenv("GOOGLE_OAUTH_ACCESS_TOKEN", "ya29.second")
    second = plugin.scanners(settings, 4)
    _scan(estate, [*first, *second])
    assert len(_firewall_reads(estate)[0]) == 2
