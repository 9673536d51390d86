"""--management-group: the real SDKs list a two-level tree, paged, against the fake ARM."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from cloudposture_azure.adapter import AzureScanner
from cloudposture_azure.management_groups import DESCENDANTS, group_name, subscriptions_in
from cloudposture_azure.plugin import AzurePlugin

from cloudposture.config.loader import parse_config
from cloudposture.config.units import scan_units
from cloudposture.engine import ScanOptions, run_scan
from cloudposture.model import CollectionFailure, Status
from cloudposture.nightly.fanout import merge_results, scan_bounded
from cloudposture.nightly.run_command import Plan, build_scanners
from cloudposture.plugin import Target, load_provider
from cloudposture.rules.catalog import ALL_RULES
from tests.providers.azure.aks_clients import make_clients
from tests.providers.azure.aks_fake import FakeArm
from tests.providers.azure.aks_groups import (
    GROUPS,
    SUB_A,
    SUB_B,
    SUB_OFF,
    descendants_path,
    serve_groups,
)
from tests.providers.azure.aks_world import DENIED, EXPECTED_FAILS, SUB, SUBS

LOCKED = "managementGroups/locked"


@pytest.fixture
def groups(fake: FakeArm) -> FakeArm:
    serve_groups(fake)
    return fake


def scanner(fake: FakeArm, *groups: str, subscriptions: tuple[str, ...] = ()) -> AzureScanner:
    return AzureScanner(make_clients(fake), subscriptions, groups)


def accounts(targets: list[Target] | tuple[Target, ...]) -> list[str]:
    """The units that will be scanned (skipped ones, such as SUB_OFF, are listed apart)."""
    return [t.account for t in targets if t.skipped is None]


def notes(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("cloudposture_azure")]


def test_every_enabled_subscription_below_the_group_at_any_depth(
    groups: FakeArm, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        targets = list(scanner(groups, "corp").targets())
    # SUB sits two groups below corp (corp > apps-mg > landing); SUB_OFF is Disabled: a
    # skipped unit, listed with why, never discovered
    assert accounts(targets) == [SUB_A, SUB_B, SUB, DENIED]
    assert [(t.account, t.skipped) for t in targets if t.skipped is not None] == [
        (SUB_OFF, "subscription (sub 13) below management group corp is Disabled")
    ]
    assert groups.count(descendants_path("corp")) == 4  # 7 entries, 2 per page
    assert groups.count("/subscriptions") == 1  # states read once
    assert notes(caplog) == []
    assert groups.problems == []


def test_a_group_given_by_its_arm_id(groups: FakeArm) -> None:
    found = accounts(list(scanner(groups, f"{GROUPS}/apps-mg/").targets()))
    assert found == [SUB, DENIED]


def test_denied_group_is_a_coverage_error_while_the_rest_is_scanned(groups: FakeArm) -> None:
    result = run_scan([scanner(groups, "locked", "landing")], ScanOptions(rules=ALL_RULES))
    units = {c.account: c for c in result.scan.coverage if c.cluster is None}
    assert set(units) == {LOCKED, SUB}
    locked = units[LOCKED]
    assert locked.status == "error"
    assert [(e.call, e.kind, e.code) for e in locked.errors] == [
        (DESCENDANTS, "denied", "AuthorizationFailed")
    ]
    assert locked.errors[0].resource == f"{GROUPS}/locked"
    assert units[SUB].status == "ok"
    assert units[SUB].clusters_found == 4
    fails: dict[str, set[str]] = {}
    for f in result.findings:
        fails.setdefault(f.resource.cluster, set())
        if f.status is Status.FAIL:
            fails[f.resource.cluster].add(f.rule_id)
    assert fails == EXPECTED_FAILS
    assert result.scan.complete is False
    assert groups.problems == []


def test_only_a_denied_group_is_not_zero_subscriptions(groups: FakeArm) -> None:
    scan = scanner(groups, "locked")
    (target,) = scan.targets()
    assert target.account == LOCKED
    with pytest.raises(CollectionFailure) as raised:
        scan.discover(target)
    assert raised.value.error.kind == "denied"
    assert groups.count("/subscriptions") == 0  # nothing found, no states to read


def test_named_subscriptions_and_overlapping_groups_scan_each_subscription_once(
    groups: FakeArm,
) -> None:
    scan = scanner(groups, "corp", "platform", "landing", subscriptions=(SUB_B.upper(), SUB))
    found = accounts(list(scan.targets()))
    assert found == [SUB_B.upper(), SUB, SUB_A, DENIED]
    result = run_scan([scan], ScanOptions(rules=ALL_RULES))
    uids = [f.uid for f in result.findings]
    assert len(uids) == len(set(uids)) == 4 * len(ALL_RULES)
    cluster_lists = f"/subscriptions/{SUB}/providers/Microsoft.ContainerService/managedClusters"
    assert groups.count(cluster_lists) == 2  # one listing of 4 clusters, 2 per page


def test_a_named_disabled_subscription_is_still_scanned(
    groups: FakeArm, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        found = accounts(list(scanner(groups, "platform", subscriptions=(SUB_OFF,)).targets()))
    assert found == [SUB_OFF, SUB_B]
    assert notes(caplog) == []


def test_unreadable_states_scan_everything_below_with_a_note(
    groups: FakeArm, caplog: pytest.LogCaptureFixture
) -> None:
    groups.fail("/subscriptions", SUBS, 403, "AuthorizationFailed")
    with caplog.at_level(logging.WARNING):
        found = accounts(list(scanner(groups, "platform").targets()))
    assert found == [SUB_B, SUB_OFF]
    (note,) = notes(caplog)
    assert "subscription states unknown" in note
    assert "AuthorizationFailed" in note


def test_plugin_settings_reach_the_scanner(
    groups: FakeArm, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOUDPOSTURE_AZURE_TOKEN", "fake-arm-token")
    plugin = AzurePlugin()
    cli = {"management_group": ("platform",), "subscription": (SUB,), "arm_endpoint": groups.url}
    (from_cli,) = plugin.scanners(cli, 4)
    assert accounts(list(from_cli.targets())) == [SUB, SUB_B]
    config = {"management_groups": "landing", "arm_endpoint": groups.url}
    (from_config,) = plugin.scanners(config, 4)
    assert accounts(list(from_config.targets())) == [SUB]


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("corp", "corp"),
        (" corp ", "corp"),
        ("/providers/Microsoft.Management/managementGroups/corp", "corp"),
        ("/providers/microsoft.management/managementgroups/Corp-Zones/", "Corp-Zones"),
    ],
)
def test_group_name(value: str, name: str) -> None:
    assert group_name(value) == name


def test_subscriptions_in_keeps_subscription_entries_only() -> None:
    entries = [
        {"type": "Microsoft.Management/managementGroups", "name": "child"},
        {"type": "Microsoft.Management/managementGroups/subscriptions", "name": "s1"},
        {"type": "/subscriptions", "name": "s2"},  # the older api-versions' type
        {"type": "Microsoft.Management/managementGroups/subscriptions", "id": "/subscriptions/s3"},
        {"name": "untyped"},
    ]
    assert subscriptions_in(entries) == ["s1", "s2", "s3"]


def test_nightly_management_groups_entry_scans_the_groups(
    groups: FakeArm, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The config's management_groups reach this plugin (no 'does not support' setup error)."""
    monkeypatch.setenv("CLOUDPOSTURE_AZURE_TOKEN", "fake-arm-token")
    text = (
        "name: groups\ntargets:\n  azure:\n"
        f"    - management_groups: [landing, locked]\n      arm_endpoint: {groups.url}\n"
    )
    config = parse_config(text, "groups.yaml", {})
    plan = Plan.from_config(config)
    scanners, setup = build_scanners(scan_units(config), load_provider, 4, None)
    assert setup == []
    assert len(scanners) == 2
    parts = scan_bounded(scanners, plan.options, plan.slots)
    now = datetime.now(UTC)
    merged = merge_results(parts, "run", now, now)
    units = {(c.account, c.status) for c in merged.scan.coverage if c.cluster is None}
    assert units == {(SUB, "ok"), (LOCKED, "error")}
    assert {f.resource.cluster for f in merged.findings} == set(EXPECTED_FAILS)
