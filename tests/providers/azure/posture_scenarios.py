"""Every AKS cluster the fake ARM and Graph serve, collected through the real azure-mgmt
clients, for the posture contract (``tests/contract/test_posture_complete.py``).

Two scans, each against its own fake on 127.0.0.1:

1. Reads that work: the issue's world (``aks_world``: hardened, public-wide, public-narrow
   whose KMS key is 403, public-broad), the service-principal clusters resolved through
   Graph (``aks_service_principals``) and the shapes the API cannot fully show
   (``aks_unusual``: a CNI of the customer's own, a cluster reporting no version).
2. The same world and service principals with every read after the cluster list refused or
   failing (role assignments, role definitions, diagnostic settings, versions, subnet and
   NSGs, agent pools, key vaults, Graph), so each collection error's ``affects`` must name
   every fact it leaves unknown. These postures are renamed ``<name> (reads failing)``: the
   contract test tells clusters apart by name.

The world's DENIED subscription refuses the cluster list itself: the scan records that as
coverage and builds no posture, so it has nothing to contribute here.
"""

from __future__ import annotations

from cloudposture_azure.adapter import AzureScanner

from cloudposture.model import ClusterPosture
from tests.providers.azure.aks_clients import make_scanner
from tests.providers.azure.aks_fake import FakeArm, Running
from tests.providers.azure.aks_service_principals import (
    APPS,
    SP_SUB,
    serve_service_principals,
    sp_cluster_id,
)
from tests.providers.azure.aks_unusual import ODD_SUB, serve_unusual
from tests.providers.azure.aks_world import (
    AUTH,
    CS,
    KV,
    LOCATION,
    MON,
    NET,
    READER,
    SUB,
    SUBNET,
    cluster_id,
    node_rg,
    rid,
    role_definition_id,
    serve_world,
)

FAILING = " (reads failing)"


def scenario_postures() -> list[ClusterPosture]:
    working = FakeArm()
    with Running(working):
        serve_world(working)
        serve_service_principals(working)
        serve_unusual(working)
        postures = _collect(make_scanner(working, (SUB, SP_SUB, ODD_SUB)))
    failing = FakeArm()
    with Running(failing):
        serve_world(failing)
        serve_service_principals(failing)
        _fail_reads(failing)
        postures += [_renamed(p) for p in _collect(make_scanner(failing, (SUB, SP_SUB)))]
    assert working.problems == failing.problems == []
    return postures


def _collect(scanner: AzureScanner) -> list[ClusterPosture]:
    return [
        scanner.collect(ref) for target in scanner.targets() for ref in scanner.discover(target)
    ]


def _renamed(posture: ClusterPosture) -> ClusterPosture:
    ref = posture.ref.model_copy(update={"name": posture.ref.name + FAILING})
    return posture.model_copy(update={"ref": ref})


def _fail_reads(fake: FakeArm) -> None:
    """Refuse or fail every read the clusters need after the cluster list, one way or another
    (403, 429, 500), on top of the routes already served."""
    sub = f"/subscriptions/{SUB}"
    fake.fail(f"{sub}/providers/Microsoft.Authorization/roleAssignments", AUTH, 403,
              "AuthorizationFailed")  # fmt: skip
    fake.fail(
        f"{sub}/providers/Microsoft.ContainerService/locations/{LOCATION}/kubernetesVersions",
        CS,
        500,
        "InternalServerError",
    )
    fake.fail(f"{sub}/providers/Microsoft.KeyVault/vaults", KV, 403, "AuthorizationFailed")
    fake.fail(SUBNET, NET, 403, "AuthorizationFailed")
    fake.fail(
        rid(node_rg("public-wide"), "Microsoft.Network", "networkSecurityGroups"),
        NET,
        403,
        "AuthorizationFailed",
    )
    fake.fail(f"{cluster_id('public-narrow')}/agentPools", CS, 403, "AuthorizationFailed")
    for name in ("hardened", "public-wide", "public-narrow", "public-broad"):
        diagnostics = f"{cluster_id(name)}/providers/Microsoft.Insights/diagnosticSettings"
        fake.fail(diagnostics, MON, 429, "TooManyRequests")
    # The service principals: Graph refuses one; the other resolves, but the definition of
    # the role it holds cannot be read.
    admin_app, _ = APPS["sp-admin"]
    fake.fail_graph(admin_app, 403, "Authorization_RequestDenied", "Insufficient privileges.")
    fake.fail(role_definition_id(READER, SP_SUB), AUTH, 403, "AuthorizationFailed")
    fake.fail(
        f"{sp_cluster_id('sp-least')}/providers/Microsoft.Insights/diagnosticSettings",
        MON,
        500,
        "InternalServerError",
    )
