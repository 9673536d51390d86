"""AKS scan over the real wire: ARM calls per cluster by route, role reads in particular.

Seeds N clusters in one subscription on the tests' fake ARM (127.0.0.1, payloads checked
against the SDK models), each with a system-assigned cluster identity and a kubelet
identity, half of them also with an add-on identity on the nodes, and scans them with the
real Azure SDK clients.

    .venv/bin/python bench/azure_bench.py --clusters 40

What it guards: role assignments come from one paged listing per subscription, not one call
per identity (issue 9); shared reads (versions, definitions) stay once per scan.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from azure.mgmt.containerservice import models as cs_models
from azure.mgmt.monitor.v2021_05_01_preview import models as mon_models
from azure.mgmt.network import models as net_models

from tests.providers.azure.aks_clients import make_scanner
from tests.providers.azure.aks_fake import FakeArm, Running
from tests.providers.azure.aks_world import (
    CONTRIBUTOR,
    CS,
    LOCATION,
    MON,
    NET,
    READER,
    SUB,
    addon_identity,
    cluster,
    cluster_id,
    node_rg,
    nsg,
    rid,
    serve_assignments,
    versions,
)


def seed(fake: FakeArm, count: int, page_size: int) -> None:
    base = f"/subscriptions/{SUB}"
    bodies, grants = [], {}
    for i in range(count):
        name = f"aks-{i:04d}"
        addons = None
        if i % 2:
            addons = {"omsagent": {"enabled": True, "identity": addon_identity(name, f"a-{i}")}}
            grants[f"a-{i}"] = [(base, READER)]
        bodies.append(cluster(name, kubelet=f"k-{i}", addons=addons))
        grants[f"k-{i}"] = [(base, READER)]
        grants[f"cp-{name}"] = [(f"{base}/resourceGroups/{node_rg(name)}", CONTRIBUTOR)]
        group = node_rg(name)
        fake.add_list(
            rid(group, "Microsoft.Network", "networkSecurityGroups"),
            NET,
            [nsg(SUB, group, "aks-agentpool-nsg", [])],
            net_models.NetworkSecurityGroup,
        )
        fake.add_list(
            f"{cluster_id(name)}/providers/Microsoft.Insights/diagnosticSettings",
            MON,
            [],
            mon_models.DiagnosticSettingsResource,
        )
    fake.add_list(
        f"{base}/providers/Microsoft.ContainerService/managedClusters",
        CS,
        bodies,
        cs_models.ManagedCluster,
        page_size=50,
    )
    fake.add(
        f"{base}/providers/Microsoft.ContainerService/locations/{LOCATION}/kubernetesVersions",
        CS,
        versions(),
        cs_models.KubernetesVersionListResult,
    )
    serve_assignments(fake, SUB, grants, page_size)


def _route(path: str, query_filter: str) -> str:
    if path.endswith("/roleassignments"):
        return "roleAssignments (" + ("filtered" if query_filter else "whole listing") + ")"
    for marker in ("roledefinitions", "diagnosticsettings", "networksecuritygroups",
                   "kubernetesversions", "managedclusters"):  # fmt: skip
        if marker in path:
            return marker
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=40)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument(
        "--page-size", type=int, default=100, help="role assignments per page of the fake"
    )
    args = parser.parse_args()
    fake = FakeArm()
    with Running(fake):
        seed(fake, args.clusters, args.page_size)
        scanner = make_scanner(fake, (SUB,))
        started = time.perf_counter()
        (target,) = scanner.targets()
        refs = scanner.discover(target)
        with ThreadPoolExecutor(args.workers) as pool:
            postures = list(pool.map(scanner.collect, refs))
        elapsed = time.perf_counter() - started
    assert not fake.problems, fake.problems
    errors = sum(len(p.collection_errors) for p in postures)
    calls = Counter(_route(p, f) for p, f in fake.requests)
    total = sum(calls.values())
    print(f"{len(postures)} clusters: {elapsed:.2f} s, {errors} collection errors")
    print(f"{total} calls, {total / len(postures):.2f} per cluster")
    for route, count in calls.most_common():
        print(f"  {count:5d}  {route}")


if __name__ == "__main__":
    main()
