"""Every OKE posture the fake tenancy yields, for the posture contract (tests/contract).

Four scans of oke_world's tenancy through the real ``oci`` clients and the signed-request
fake, each on a fresh copy of the world:

- ``world``: as built, a good (``private``), an exposed (``open``) and a half-good
  (``keyed``) cluster;
- ``denied``: the apps compartment cannot be listed (only ``open`` is found) and, for
  ``open``, its worker subnet, its node's instance, one compartment's policies, the log
  groups and the cluster options are unreadable;
- ``partly``: the apps compartment's node pools, ``private``'s key and ``keyed``'s endpoint
  NSG rules are unreadable;
- ``odd``: what the APIs may leave out although every read succeeds: a cluster predating
  VCN-native endpoints and cluster types, with an empty node pool in a subnet that does not
  say whether it allows public IPs, a key that does not say whether it rotates, and a
  dynamic group whose matching rule cannot be understood holding ``manage all-resources``.

Failed reads make collection errors, so their ``affects`` are checked against the ``None``
they leave. Cluster names are prefixed with the scan (``denied/open``) so each posture is
reported on its own. Deterministic: one region, a fixed world, the scans one after another.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from oci.container_engine.models import Cluster, ClusterEndpoints
from oci.identity.models import DynamicGroup

from cloudposture.model import ClusterPosture
from tests.providers.oci.conftest import (
    Credentials,
    make_scanner,
    serving_tenancy,
    write_credentials,
)
from tests.providers.oci.fake_oci import World
from tests.providers.oci.oke_world import (
    APPS,
    ASHBURN,
    GOOD_KEY,
    OPEN_NODE,
    PROD,
    TENANCY,
    VCN,
    key,
    node_pool,
    subnet,
)

DENIED = (404, "NotAuthorizedOrNotFound")
UNAVAILABLE = (500, "InternalServerError")
LEGACY = "ocid1.cluster.oc1.iad.aaaalegacy"
LEGACY_KEY = "ocid1.key.oc1.iad.vaultpfx1.aaaalegacykey"
LEGACY_SUBNET = "subnet-workers-legacy"


NEVER_READ = {
    "network_policy.enforced": (
        "neither OKE CNI enforces NetworkPolicy and Calico, OKE's documented way, is installed "
        "inside the cluster where no OCI API can see it"
    ),
}
"""Facts that exist on OKE but that no OCI API shows (see tests/contract/test_posture_complete)."""


def _denied(world: World) -> None:
    world.errors.update(
        {
            ("containerengine:ListClusters", APPS): DENIED,
            ("core:GetSubnet", "subnet-workers-public"): DENIED,
            ("core:GetInstance", OPEN_NODE): UNAVAILABLE,
            ("identity:ListPolicies", PROD): DENIED,
            ("logging:ListLogGroups", TENANCY): DENIED,
            ("containerengine:GetClusterOptions", "all"): UNAVAILABLE,
        }
    )


def _partly(world: World) -> None:
    world.errors.update(
        {
            ("containerengine:ListNodePools", APPS): DENIED,
            ("kms:GetKey", GOOD_KEY): DENIED,
            ("core:ListNetworkSecurityGroupSecurityRules", "nsg-api-keyed"): DENIED,
        }
    )


def _odd(world: World) -> None:
    world.clusters[ASHBURN].append(
        Cluster(
            id=LEGACY,
            name="legacy",
            compartment_id=PROD,
            vcn_id=VCN,
            kubernetes_version="v1.31.1",
            kms_key_id=LEGACY_KEY,
            lifecycle_state="ACTIVE",
            endpoints=ClusterEndpoints(kubernetes="192.0.2.20:6443"),
        )
    )
    world.keys[LEGACY_KEY] = key(LEGACY_KEY, state="ENABLED", rotation=False)
    world.keys[LEGACY_KEY].is_auto_rotation_enabled = None
    world.subnets[LEGACY_SUBNET] = subnet(LEGACY_SUBNET, public=False, lists=["sl-workers-private"])
    world.subnets[LEGACY_SUBNET].prohibit_public_ip_on_vnic = None
    world.node_pools.append(
        node_pool(
            "ocid1.nodepool.oc1.iad.aaaaemptypool",
            "empty-pool",
            LEGACY,
            PROD,
            subnet_id=LEGACY_SUBNET,
            nsgs=[],
            nodes=[],
            ssh_key=None,
        )
    )
    world.dynamic_groups.append(
        DynamicGroup(
            id="ocid1.dynamicgroup.oc1..unreadable",
            name="legacy-nodes",
            compartment_id=TENANCY,
            matching_rule=f"ANY {{instance.compartment.id '{PROD}'}}",
            lifecycle_state="ACTIVE",
            description="a rule the grammar does not understand",
        )
    )
    root = next(p for p in world.policies if p.compartment_id == TENANCY)
    root.statements = [
        *root.statements,
        "Allow dynamic-group legacy-nodes to manage all-resources in tenancy",
    ]


SCENARIOS: Mapping[str, Callable[[World], None]] = {
    "world": lambda world: None,
    "denied": _denied,
    "partly": _partly,
    "odd": _odd,
}
"""Scan name -> how it changes oke_world before the scan."""


def scenario_postures() -> list[ClusterPosture]:
    with tempfile.TemporaryDirectory(prefix="cloudposture-oci-") as folder:
        credentials = write_credentials(Path(folder))
        return [
            posture
            for scan, change in SCENARIOS.items()
            for posture in _scan(credentials, scan, change)
        ]


def _scan(
    credentials: Credentials, scan: str, change: Callable[[World], None]
) -> list[ClusterPosture]:
    with serving_tenancy(credentials) as api:
        change(api.world)
        scanner = make_scanner(api, credentials, region=[ASHBURN])
        postures = [
            scanner.collect(ref) for target in scanner.targets() for ref in scanner.discover(target)
        ]
    return [_labelled(scan, p) for p in postures]


def _labelled(scan: str, posture: ClusterPosture) -> ClusterPosture:
    ref = posture.ref.model_copy(update={"name": f"{scan}/{posture.ref.name}"})
    return posture.model_copy(update={"ref": ref})
