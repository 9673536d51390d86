"""A subscription of AKS clusters whose shapes leave facts the Azure API cannot show.

- ``own-cni``: brings its own CNI (``networkPlugin`` none), so whether NetworkPolicy is
  enforced is unknown (NET-001 ERROR with that reason, never a FAIL); its pool lets Entra ID
  users SSH onto the nodes (``sshAccess`` EntraId) though the cluster has no admin key.
- ``unversioned``: reports no Kubernetes version (VER-001 ERROR with that reason); its KMS
  key rotates 30 days before it expires, a year after each rotation (a 335-day period).

Everything else is read cleanly, so each ``None`` above is an unknown reason, not an error.
"""

from __future__ import annotations

from typing import Any

from azure.mgmt.keyvault import models as kv_models

from tests.providers.azure.aks_fake import FakeArm
from tests.providers.azure.aks_world import (
    KV,
    NOW_EPOCH,
    READER,
    RG,
    YEAR,
    cluster,
    key,
    pool,
    rid,
    security,
    serve_assignments,
    serve_subscription,
    vault,
)

ODD_SUB = "5a3f2c1e-0000-4000-8000-000000000004"
ODD_KEY = "https://oddkv.vault.azure.net/keys/etcd/77cc66dd"
ROTATION_DAYS = 365 - 30


def odd_cluster_id(name: str) -> str:
    return rid(RG, "Microsoft.ContainerService/managedClusters", name, ODD_SUB)


def odd_clusters() -> list[dict[str, Any]]:
    own = cluster(
        "own-cni",
        access={"enablePrivateCluster": True},
        pools=[pool("system", ssh="EntraId")],
        kubelet="k-own-cni",
        security=security(None),
        network={"networkPlugin": "none"},
    )
    unversioned = cluster(
        "unversioned",
        access={"enablePrivateCluster": True},
        kubelet="k-unversioned",
        security=security(ODD_KEY),
        network={"networkPlugin": "azure", "networkPolicy": "azure"},
    )
    for field in ("kubernetesVersion", "currentKubernetesVersion"):
        del unversioned["properties"][field]
    bodies = [own, unversioned]
    for body in bodies:
        body["id"] = odd_cluster_id(str(body["name"]))
    return bodies


def _odd_vault() -> dict[str, Any]:
    body = vault("oddkv", "sec")
    body["id"] = rid("sec", "Microsoft.KeyVault/vaults", "oddkv", ODD_SUB)
    return body


def serve_unusual(fake: FakeArm) -> None:
    """Every ARM route the two clusters need."""
    base = f"/subscriptions/{ODD_SUB}"
    serve_subscription(fake, ODD_SUB, odd_clusters(), logs=[{"categoryGroup": "allLogs"}])
    serve_assignments(
        fake,
        ODD_SUB,
        {
            principal: [(base, READER)]
            for principal in ("k-own-cni", "cp-own-cni", "k-unversioned", "cp-unversioned")
        },
    )
    _serve_key(fake)


def _serve_key(fake: FakeArm) -> None:
    odd = _odd_vault()
    fake.add_list(
        f"/subscriptions/{ODD_SUB}/providers/Microsoft.KeyVault/vaults",
        KV,
        [odd],
        kv_models.Vault,
    )
    good = {"enabled": True, "exp": NOW_EPOCH + YEAR, "created": NOW_EPOCH - YEAR}
    vid = odd["id"]
    fake.add(
        f"{vid}/keys/etcd/versions/77cc66dd",
        KV,
        key(vid, "etcd", "77cc66dd", **good),
        kv_models.Key,
    )
    current = key(vid, "etcd", None, **good)
    current["properties"]["rotationPolicy"] = {
        "attributes": {"expiryTime": "P1Y"},
        "lifetimeActions": [
            {"trigger": {"timeBeforeExpiry": "P30D"}, "action": {"type": "rotate"}},
        ],
    }
    fake.add(f"{vid}/keys/etcd", KV, current, kv_models.Key)
