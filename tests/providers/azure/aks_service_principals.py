"""A subscription whose AKS clusters use service principals, served by ARM and Graph fakes.

- ``sp-admin``: its service principal is Contributor on the subscription: IAM-001 (kubelet
  identity) and IAM-002 (control-plane identity) FAIL.
- ``sp-least``: its service principal is a Reader: both PASS.

The cluster bodies are real SP-cluster shapes: no ``identity``, no ``identityProfile``, and
``servicePrincipalProfile.clientId`` naming the application id.
"""

from __future__ import annotations

from typing import Any

from tests.providers.azure.aks_fake import FakeArm
from tests.providers.azure.aks_world import (
    CONTRIBUTOR,
    READER,
    RG,
    cluster,
    rid,
    serve_assignments,
    serve_subscription,
)

SP_SUB = "5a3f2c1e-0000-4000-8000-000000000003"
APPS = {
    "sp-admin": ("0f1e2d3c-0000-4000-8000-00000000a001", "9d8c7b6a-0000-4000-8000-00000000b001"),
    "sp-least": ("0f1e2d3c-0000-4000-8000-00000000a002", "9d8c7b6a-0000-4000-8000-00000000b002"),
}
"""cluster -> (application id, service principal object id)."""
SP_FAILS = {"sp-admin": {"IAM-001", "IAM-002"}, "sp-least": set()}
"""The identity rules' FAILs per cluster (the clusters are otherwise hardened alike)."""


def sp_cluster_id(name: str) -> str:
    return rid(RG, "Microsoft.ContainerService/managedClusters", name, SP_SUB)


def sp_cluster(name: str) -> dict[str, Any]:
    body = cluster(name, access={"enablePrivateCluster": True}, kubelet="unused")
    body["id"] = sp_cluster_id(name)
    del body["identity"]
    del body["properties"]["identityProfile"]
    body["properties"]["servicePrincipalProfile"] = {"clientId": APPS[name][0]}
    return body


def serve_service_principals(fake: FakeArm, graph: bool = True) -> None:
    """Every ARM route the two clusters need, and (``graph``) Graph's answers for them."""
    base = f"/subscriptions/{SP_SUB}"
    serve_subscription(fake, SP_SUB, [sp_cluster(name) for name in APPS], logs=[])
    (admin_app, admin), (least_app, least) = APPS["sp-admin"], APPS["sp-least"]
    serve_assignments(fake, SP_SUB, {admin: [(base, CONTRIBUTOR)], least: [(base, READER)]})
    if graph:
        fake.add_service_principal(admin_app, admin, "aks-sp-admin")
        fake.add_service_principal(least_app, least, "aks-sp-least")
