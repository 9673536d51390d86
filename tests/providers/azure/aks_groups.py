"""A management-group tree on top of the issue's world, served by the fake ARM.

```
corp
├── SUB_A                      Enabled, no clusters
├── platform
│   ├── SUB_B                  Enabled, no clusters
│   └── SUB_OFF                Disabled (no cluster route: reading it would be a fake problem)
└── apps-mg
    ├── landing
    │   └── SUB                the world's four clusters (two levels below corp)
    └── DENIED                 the world's subscription whose cluster list is 403
locked                         GetDescendants answers 403 AuthorizationFailed
```

Each group's descendants list is the whole subtree below it (as ARM returns it), two
entries per page so every listing pages through nextLink.
"""

from __future__ import annotations

from typing import Any

from azure.mgmt.managementgroups import models as mg_models
from azure.mgmt.subscription import models as sub_models

from tests.providers.azure.aks_fake import FakeArm
from tests.providers.azure.aks_world import CS, DENIED, SUB, SUBS, serve_world

MG = "2023-04-01"  # GetDescendants in azure-mgmt-managementgroups 2.x
GROUPS = "/providers/Microsoft.Management/managementGroups"

SUB_A = "5a3f2c1e-0000-4000-8000-000000000011"
SUB_B = "5a3f2c1e-0000-4000-8000-000000000012"
SUB_OFF = "5a3f2c1e-0000-4000-8000-000000000013"

# group -> its direct children: ("group", name) or ("subscription", id)
TREE: dict[str, list[tuple[str, str]]] = {
    "corp": [("subscription", SUB_A), ("group", "platform"), ("group", "apps-mg")],
    "platform": [("subscription", SUB_B), ("subscription", SUB_OFF)],
    "apps-mg": [("group", "landing"), ("subscription", DENIED)],
    "landing": [("subscription", SUB)],
}

STATES = {SUB_A: "Enabled", SUB_B: "Enabled", SUB_OFF: "Disabled"}


def descendants_path(group: str) -> str:
    return f"{GROUPS}/{group}/descendants"


def _entry(kind: str, name: str, parent: str) -> dict[str, Any]:
    if kind == "group":
        rtype, rid = "Microsoft.Management/managementGroups", f"{GROUPS}/{name}"
    else:
        rtype, rid = "Microsoft.Management/managementGroups/subscriptions", f"/subscriptions/{name}"
    return {
        "id": rid,
        "type": rtype,
        "name": name,
        "properties": {"displayName": name.upper(), "parent": {"id": f"{GROUPS}/{parent}"}},
    }


def descendants(group: str) -> list[dict[str, Any]]:
    """Every entity below ``group``, depth first (the order the scan keeps)."""
    out: list[dict[str, Any]] = []
    for kind, name in TREE.get(group, []):
        out.append(_entry(kind, name, group))
        if kind == "group":
            out.extend(descendants(name))
    return out


def serve_groups(fake: FakeArm) -> None:
    """The world, the tree above, and Subscriptions.List with every state."""
    serve_world(fake)
    for group in TREE:
        fake.add_list(
            descendants_path(group), MG, descendants(group), mg_models.DescendantInfo, page_size=2
        )
    fake.fail(descendants_path("locked"), MG, 403, "AuthorizationFailed")
    fake.add_list(
        "/subscriptions",
        SUBS,
        [
            {"id": f"/subscriptions/{s}", "subscriptionId": s, "displayName": f"sub {s[-2:]}",
             "state": state}
            for s, state in {SUB: "Enabled", DENIED: "Enabled", **STATES}.items()
        ],
        sub_models.Subscription,
    )  # fmt: skip
    for sub in (SUB_A, SUB_B):
        fake.add_list(f"/subscriptions/{sub}/providers/Microsoft.ContainerService/managedClusters",
                      CS, [])  # fmt: skip
