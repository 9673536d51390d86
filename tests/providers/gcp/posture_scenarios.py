"""Every GKE scenario the fake API serves, collected through the real Google clients.

The posture contract (``tests/contract/test_posture_complete.py``) judges these: each ``None``
must be explained, and each field must hold a value somewhere. The issue's world gives the
good, the exposed and the Autopilot clusters; acme-dev also gets an Autopilot cluster still
being created (no version reported yet: an unknown reason with no failed call). Three more
projects hold renamed copies of the issue's clusters whose shared reads fail, one kind of
failure per project, so no error's ``affects`` can hide behind another's:

- acme-noproject: the project lookup is denied (no project number, no ancestors);
- acme-noiam: the project's IAM policy is denied;
- acme-partial: the KMS key and the regional firewall read are denied and the location's
  server config is unavailable (three reads whose facts do not overlap);
- acme-norole: the node service account holds a predefined role outside the escalation table
  whose ``iam.roles.get`` is denied (IAM-001 cannot be judged, never passes).
"""

from __future__ import annotations

from cloudposture.model import ClusterPosture
from cloudposture.plugin import Target
from tests.providers.gcp.conftest import make_scanner
from tests.providers.gcp.fake_api import FakeGoogleApi, World, permission_denied, unavailable
from tests.providers.gcp.fixtures import (
    CONTAINER,
    DELETE,
    DEV,
    JSON,
    NODES_SA,
    PROD,
    autopilot,
    hardened,
    issue_world,
    legacy_public,
    merge,
    partner_access,
    policy,
    project,
)

NO_PROJECT, NO_IAM, PARTIAL = "acme-noproject", "acme-noiam", "acme-partial"
NO_ROLE, DENIED_ROLE = "acme-norole", "roles/run.developer"
PARTIAL_KEY = f"projects/{PARTIAL}/locations/europe-west1/keyRings/gke/cryptoKeys/etcd"
PARTIAL_NETWORK = f"projects/{PARTIAL}/global/networks/prod-vpc (region europe-west1)"
PROJECTS = (PROD, DEV, NO_PROJECT, NO_IAM, PARTIAL, NO_ROLE)


def provisioning() -> JSON:
    """An Autopilot cluster GKE is still creating: listed, but with no version yet."""
    name = "autopilot-new"
    return merge(
        autopilot(),
        {
            "name": name,
            "id": "fa11fa11" * 8,
            "selfLink": f"{CONTAINER}/projects/{DEV}/locations/us-central1/clusters/{name}",
            "status": "PROVISIONING",
            "currentMasterVersion": DELETE,
            "currentNodeVersion": DELETE,
        },
    )


def moved(cluster: JSON, project_id: str, name: str, **patch: object) -> JSON:
    """``cluster`` as if it ran in ``project_id`` under ``name`` (names stay unique)."""
    location = cluster["location"]
    network = cluster["network"]
    return merge(
        cluster,
        {
            "name": name,
            "selfLink": f"{CONTAINER}/projects/{project_id}/locations/{location}/clusters/{name}",
            "networkConfig": {"network": f"projects/{project_id}/global/networks/{network}"},
            **patch,
        },
    )


def scenario_world() -> World:
    """The issue's world plus the cluster being created and the three failing projects."""
    world = issue_world()
    world.clusters[DEV].append(provisioning())
    # acme-noproject: absent from world.projects, so the fake denies the lookup (403).
    world.clusters[NO_PROJECT] = [moved(legacy_public(), NO_PROJECT, "legacy-web-noproject")]
    world.policies[NO_PROJECT] = policy([], audit=True)
    # acme-noiam: absent from world.policies, so the fake denies getIamPolicy (403).
    world.clusters[NO_IAM] = [moved(partner_access(), NO_IAM, "partner-api-noiam")]
    world.projects[NO_IAM] = project(NO_IAM, "444000111222")
    world.clusters[PARTIAL] = [
        moved(
            hardened(),
            PARTIAL,
            "payments-partial",
            databaseEncryption={"state": "ENCRYPTED", "keyName": PARTIAL_KEY},
        )
    ]
    world.projects[PARTIAL] = project(PARTIAL, "444000111333")
    world.policies[PARTIAL] = policy([], audit=True)
    world.errors |= {
        ("cloudkms:GetCryptoKey", PARTIAL_KEY): (
            403,
            permission_denied("cloudkms.cryptoKeys.get", PARTIAL_KEY),
        ),
        ("compute:GetRegionEffectiveFirewalls", PARTIAL_NETWORK): (
            403,
            permission_denied("compute.networks.getRegionEffectiveFirewalls", PARTIAL_NETWORK),
        ),
        ("container:GetServerConfig", f"projects/{PARTIAL}/locations/europe-west1"): (
            503,
            unavailable(),
        ),
    }
    world.clusters[NO_ROLE] = [moved(hardened(), NO_ROLE, "payments-norole")]
    world.projects[NO_ROLE] = project(NO_ROLE, "444000111444")
    world.policies[NO_ROLE] = policy(
        [], audit=True, extra=[{"role": DENIED_ROLE, "members": [f"serviceAccount:{NODES_SA}"]}]
    )
    world.errors[("iam:GetRole", DENIED_ROLE)] = (
        403,
        permission_denied("iam.roles.get", DENIED_ROLE),
    )
    for project_id in (NO_PROJECT, NO_IAM, PARTIAL, NO_ROLE):
        world.firewalls[project_id] = []
    return world


def scenario_postures() -> list[ClusterPosture]:
    """Every cluster of the scenario world's projects, one scanner for all, as a scan does."""
    with FakeGoogleApi(scenario_world()).running() as api:
        scanner = make_scanner(api, *PROJECTS)
        return [
            scanner.collect(ref)
            for project_id in PROJECTS
            for ref in scanner.discover(Target(provider="gcp", account=project_id, region="-"))
        ]
