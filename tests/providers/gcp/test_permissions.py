"""The custom role file, permissions.py and the calls the adapter really makes agree."""

from __future__ import annotations

from pathlib import Path

import yaml
from cloudposture_gcp.permissions import PERMISSIONS_BY_CALL, required_permissions

from cloudposture.plugin import Target
from tests.providers.gcp.conftest import make_scanner
from tests.providers.gcp.fake_api import FakeGoogleApi, World
from tests.providers.gcp.fixtures import (
    DEV,
    NODES_SA,
    ORG,
    PROD,
    custom_role,
    firewall_policy,
    network,
    org_policy,
    policy_rule,
)

ROLE_FILE = Path(__file__).resolve().parents[3] / "docs" / "permissions" / "gcp-custom-role.yaml"


def test_custom_role_lists_exactly_the_declared_permissions() -> None:
    role = yaml.safe_load(ROLE_FILE.read_text())
    assert role["includedPermissions"] == required_permissions()
    assert role["stage"] == "GA"
    assert role["title"]
    assert not [p for p in required_permissions() if "getCredentials" in p or ".set" in p]


def test_every_call_a_full_scan_makes_is_declared(api: FakeGoogleApi, world: World) -> None:
    world.folders = {"folders/1": {"name": "folders/1", "parent": ORG, "state": "ACTIVE"}}
    # acme-dev sits in a folder (folders.get, folders.getIamPolicy), and its network has a
    # global network firewall policy (networks.get for the enforcement order).
    world.projects[DEV]["parent"] = "folders/1"
    world.policies["folders/1"] = org_policy()
    dev_net = f"projects/{DEV}/global/networks/prod-vpc"
    world.firewall_policies[dev_net] = [
        firewall_policy("dev-net", "NETWORK", [policy_rule(100, "deny", ["0.0.0.0/0"])])
    ]
    world.networks[dev_net] = network(DEV, "prod-vpc")
    # A custom role bound to a node service account is read for its permissions (so is the
    # predefined roles/container.defaultNodeServiceAccount every world binds: same call).
    logs = f"projects/{PROD}/roles/nodeLogs"
    world.roles[logs] = custom_role(logs, ["logging.logEntries.create"])
    world.policies[PROD]["bindings"].append(
        {"role": logs, "members": [f"serviceAccount:{NODES_SA}"]}
    )
    scanner = make_scanner(api, organization="9001")
    for target in scanner.targets():
        if target.account not in (PROD, DEV):
            continue
        for ref in scanner.discover(target):
            scanner.collect(ref)
            scanner.collect(ref)
    # collect() without discover() uses GetCluster:
    listed = make_scanner(api, PROD).discover(Target(provider="gcp", account=PROD, region="-"))
    make_scanner(api, PROD).collect(listed[0])
    seen = {call for call, _ in api.calls}
    assert seen == set(PERMISSIONS_BY_CALL)
