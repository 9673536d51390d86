"""Inherited IAM and audit configs, and firewall policies, end to end through the real clients.

Each test changes the issue's world (a grant on the organization, a folder between the
projects and the organization, a firewall policy on a network), scans it through the fake
API, and judges the postures with the real rules.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cloudposture.model import ClusterPosture, Finding, Status
from cloudposture.plugin import Target
from cloudposture.rules.base import RuleSettings
from cloudposture.rules.catalog import ALL_RULES
from cloudposture.rules.evaluate import evaluate_all
from tests.providers.gcp.conftest import make_scanner
from tests.providers.gcp.fake_api import FakeGoogleApi, World, permission_denied
from tests.providers.gcp.fixtures import (
    DEV,
    LEGACY_ID,
    NODES_SA,
    ORG,
    PROD,
    firewall_policy,
    hierarchy_defaults,
    network,
    org_policy,
    policy_rule,
)

FOLDER, TEAM = "folders/100", "folders/200"
SSH = [{"ipProtocol": "tcp", "ports": ["22"]}]
PROD_VPC = f"projects/{PROD}/global/networks/prod-vpc"
PROD_DEFAULT_NET = f"projects/{PROD}/global/networks/default"


def findings(api: FakeGoogleApi, *projects: str) -> dict[str, dict[str, Finding]]:
    """cluster name -> rule id -> finding, for every cluster of ``projects`` (one scanner)."""
    scanner = make_scanner(api, *projects)
    postures: list[ClusterPosture] = [
        scanner.collect(ref)
        for project in projects
        for ref in scanner.discover(Target(provider="gcp", account=project, region="-"))
    ]
    now = datetime.now(UTC)
    return {
        p.ref.name: {
            f.rule_id: f for f in evaluate_all(p, ALL_RULES, RuleSettings(), scan_id="t", now=now)
        }
        for p in postures
    }


def folders(world: World) -> None:
    """acme-prod and acme-dev in folders/200 (team), below folders/100, below the org."""
    world.folders = {
        FOLDER: {"name": FOLDER, "parent": ORG, "state": "ACTIVE", "displayName": "prod"},
        TEAM: {"name": TEAM, "parent": FOLDER, "state": "ACTIVE", "displayName": "team"},
    }
    world.policies[FOLDER] = org_policy()
    world.policies[TEAM] = org_policy()
    for project in (PROD, DEV):
        world.projects[project]["parent"] = TEAM


def data_access(service: str = "allServices") -> dict[str, object]:
    return {
        "service": service,
        "auditLogConfigs": [
            {"logType": "DATA_READ", "exemptedMembers": ["serviceAccount:etl@acme.example"]},
            {"logType": "DATA_WRITE"},
        ],
    }


# -- inherited IAM ----------------------------------------------------------------------------


def test_editor_granted_on_the_organization_fails_iam_001(api: FakeGoogleApi, world: World) -> None:
    assert findings(api, PROD)["payments"]["IAM-001"].status is Status.PASS
    world.policies[ORG] = org_policy(
        extra=[{"role": "roles/editor", "members": [f"serviceAccount:{NODES_SA}"]}]
    )
    iam = findings(api, PROD)["payments"]["IAM-001"]
    assert iam.status is Status.FAIL
    assert "roles/editor on organizations/9001 (inherited by the project)" in iam.message
    sources = {e.source for e in iam.evidence}
    assert any("organizations/9001" in s and f"projects/{PROD}" in s for s in sources)


def test_owner_on_a_folder_is_found_and_ancestors_are_read_once_per_scan(
    api: FakeGoogleApi, world: World
) -> None:
    folders(world)
    world.policies[FOLDER] = org_policy(
        extra=[{"role": "roles/owner", "members": [f"serviceAccount:{NODES_SA}"]}]
    )
    by_cluster = findings(api, PROD, DEV)
    assert by_cluster["payments"]["IAM-001"].status is Status.FAIL
    assert "roles/owner on folders/100" in by_cluster["payments"]["IAM-001"].message
    assert by_cluster["ops"]["IAM-001"].status is Status.PASS  # dev's SAs hold nothing
    # Five clusters in two projects below one chain: each ancestor read once.
    assert sorted(r for c, r in api.calls if c == "resourcemanager:GetFolder") == [FOLDER, TEAM]
    assert api.count("resourcemanager:GetFolderIamPolicy") == 2
    assert api.count("resourcemanager:GetOrganizationIamPolicy") == 1
    assert api.count("resourcemanager:GetIamPolicy") == 2  # one per project
    assert api.count("resourcemanager:GetProject") == 2


def test_data_access_audit_logs_enabled_on_the_organization_pass_log_001(
    api: FakeGoogleApi, world: World
) -> None:
    assert findings(api, DEV)["ops"]["LOG-001"].status is Status.FAIL
    world.policies[ORG] = org_policy(audit=[data_access()])
    by_cluster = findings(api, DEV)
    log = by_cluster["ops"]["LOG-001"]
    assert log.status is Status.PASS
    (audit,) = [e for e in log.evidence if e.fact == "logging.audit_enabled"]
    assert "allServices on organizations/9001" in audit.source
    assert "serviceAccount:etl@acme.example (DATA_READ on organizations/9001)" in audit.source
    # Without the APISERVER component no audit config makes it pass.
    assert by_cluster["autopilot-dev"]["LOG-001"].status is Status.FAIL


def test_read_and_write_enabled_on_different_levels_add_up(
    api: FakeGoogleApi, world: World
) -> None:
    folders(world)
    world.policies[FOLDER] = org_policy(
        audit=[{"service": "container.googleapis.com", "auditLogConfigs": [{"logType": 3}]}]
    )
    world.policies[ORG] = org_policy(
        audit=[{"service": "allServices", "auditLogConfigs": [{"logType": "DATA_WRITE"}]}]
    )
    assert findings(api, DEV)["ops"]["LOG-001"].status is Status.PASS


def test_denied_folder_policy_is_an_error_unless_the_project_settles_the_verdict(
    api: FakeGoogleApi, world: World
) -> None:
    folders(world)
    del world.policies[FOLDER]  # the fake answers 403 for it
    by_cluster = findings(api, PROD, DEV)
    payments, legacy, ops = by_cluster["payments"], by_cluster["legacy-web"], by_cluster["ops"]
    # No grant found on the readable levels: unknown, with the denied call as the reason.
    assert payments["IAM-001"].status is Status.ERROR
    assert "resourcemanager:GetFolderIamPolicy on folders/100 failed" in (
        payments["IAM-001"].message
    )
    assert "resourcemanager.folders.getIamPolicy" in payments["IAM-001"].message
    assert ops["LOG-001"].status is Status.ERROR
    assert "folders/100" in ops["LOG-001"].message
    # Settled by what was read: Editor on the project is a FAIL; the project's own Data
    # Access audit config is a PASS; no APISERVER log is a FAIL. A denied ancestor changes
    # none of these.
    assert legacy["IAM-001"].status is Status.FAIL
    assert payments["LOG-001"].status is Status.PASS
    assert legacy["LOG-001"].status is Status.FAIL
    assert by_cluster["autopilot-dev"]["LOG-001"].status is Status.FAIL
    # Facts that do not depend on IAM are still judged.
    assert payments["NODE-002"].status is Status.PASS


def test_an_unwalkable_hierarchy_is_unknown_above_the_break(
    api: FakeGoogleApi, world: World
) -> None:
    folders(world)
    world.errors[("resourcemanager:GetFolder", TEAM)] = (
        403,
        permission_denied("resourcemanager.folders.get", TEAM),
    )
    scanner = make_scanner(api, PROD)
    refs = scanner.discover(Target(provider="gcp", account=PROD, region="-"))
    posture = scanner.collect(next(r for r in refs if r.name == "payments"))
    (error,) = posture.collection_errors
    assert (error.call, error.kind, error.resource) == ("resourcemanager:GetFolder", "denied", TEAM)
    assert error.affects == ["node_pools.identities", "logging.audit_enabled"]
    identity = ((posture.node_pools or [])[0].identities or [None])[0]
    assert identity is not None
    assert identity.admin_equivalent is None
    assert "ancestors of folders/200 (unreadable)" in identity.source_of("admin_equivalent")
    assert api.count("resourcemanager:GetFolderIamPolicy") == 1  # team's own policy was read
    assert api.count("resourcemanager:GetOrganizationIamPolicy") == 0


# -- firewall policies ------------------------------------------------------------------------


def test_hierarchical_deny_of_ssh_overrides_the_vpc_allow(api: FakeGoogleApi, world: World) -> None:
    assert findings(api, PROD)["legacy-web"]["NODE-002"].status is Status.FAIL
    world.firewall_policies[PROD_DEFAULT_NET] = [
        firewall_policy(
            "org-baseline",
            "HIERARCHY",
            [policy_rule(1000, "deny", ["0.0.0.0/0"], SSH), *hierarchy_defaults()],
            policy_id="811244370563",
        )
    ]
    node = findings(api, PROD)["legacy-web"]["NODE-002"]
    assert node.status is Status.PASS


def test_hierarchical_allow_of_ssh_from_anywhere_fails_node_002(
    api: FakeGoogleApi, world: World
) -> None:
    # payments denies SSH from the internet with a VPC rule; the organization's allow comes
    # first and wins.
    assert findings(api, PROD)["payments"]["NODE-002"].status is Status.PASS
    world.firewall_policies[PROD_VPC] = [
        firewall_policy(
            "org-baseline",
            "HIERARCHY",
            [
                policy_rule(100, "allow", ["0.0.0.0/0"], SSH, ruleName="bastion-ssh"),
                *hierarchy_defaults(),
            ],
        )
    ]
    node = findings(api, PROD)["payments"]["NODE-002"]
    assert node.status is Status.FAIL
    assert "hierarchical firewall policy org-baseline, rule bastion-ssh" in node.model_dump_json()
    assert api.count("compute:GetNetwork") == 0


def test_network_firewall_policy_order_is_read_once_per_network(
    api: FakeGoogleApi, world: World
) -> None:
    deny_ssh = firewall_policy(
        "prod-net", "NETWORK", [policy_rule(100, "deny", ["0.0.0.0/0"], SSH)]
    )
    world.firewall_policies[PROD_DEFAULT_NET] = [deny_ssh]
    world.networks[PROD_DEFAULT_NET] = network(PROD, "default")  # AFTER_CLASSIC_FIREWALL
    assert findings(api, PROD)["legacy-web"]["NODE-002"].status is Status.FAIL
    world.networks[PROD_DEFAULT_NET] = network(PROD, "default", "BEFORE_CLASSIC_FIREWALL")
    assert findings(api, PROD)["legacy-web"]["NODE-002"].status is Status.PASS
    assert [r for c, r in api.calls if c == "compute:GetNetwork"] == [PROD_DEFAULT_NET] * 2


def test_unreadable_enforcement_order_leaves_ingress_unknown(
    api: FakeGoogleApi, world: World
) -> None:
    world.firewall_policies[PROD_DEFAULT_NET] = [
        firewall_policy("prod-net", "NETWORK", [policy_rule(100, "deny", ["0.0.0.0/0"], SSH)])
    ]
    world.errors[("compute:GetNetwork", PROD_DEFAULT_NET)] = (
        403,
        permission_denied("compute.networks.get", PROD_DEFAULT_NET),
    )
    legacy = findings(api, PROD)["legacy-web"]
    assert legacy["NODE-002"].status is Status.ERROR
    assert "compute:GetNetwork" in legacy["NODE-002"].message


def test_secure_tag_allow_is_reported_for_every_pool_with_the_reason(
    api: FakeGoogleApi, world: World
) -> None:
    kubelet = [{"ipProtocol": "tcp", "ports": ["10250"]}]
    world.firewall_policies[PROD_VPC] = [
        firewall_policy(
            "prod-net",
            "NETWORK",
            [
                policy_rule(
                    10,
                    "allow",
                    ["0.0.0.0/0"],
                    kubelet,
                    targetSecureTags=[{"name": "tagValues/555", "state": "EFFECTIVE"}],
                )
            ],
        )
    ]
    world.networks[PROD_VPC] = network(PROD, "prod-vpc")
    by_cluster = findings(api, PROD)
    for name in ("payments", "partner-api"):
        node = by_cluster[name]["NODE-002"]
        assert node.status is Status.FAIL, name
        text = node.model_dump_json()
        assert "tagValues/555: not resolved to node pools" in text
        assert "their allows are counted for every node" in text
    # legacy-web is on another network: untouched.
    assert (
        f"gke-legacy-web-{LEGACY_ID[:8]}-node"
        in by_cluster["legacy-web"]["NODE-002"].model_dump_json()
    )


def test_a_folder_loop_ends_as_unknown_not_as_a_pass(api: FakeGoogleApi, world: World) -> None:
    folders(world)
    world.folders[FOLDER]["parent"] = TEAM  # a bad answer: folders/100 <-> folders/200
    payments = findings(api, PROD)["payments"]["IAM-001"]
    assert payments.status is Status.ERROR
    assert "more than 12 ancestors (a loop?)" in payments.message
    assert api.count("resourcemanager:GetFolder") == 2  # each folder still read once
