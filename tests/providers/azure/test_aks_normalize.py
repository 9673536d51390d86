"""Pure normalizers: ARM-shaped dicts in, neutral model out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from cloudposture_azure import ids, normalize, roles
from cloudposture_azure.versions import version_support

from tests.providers.azure.aks_world import (
    CONTRIBUTOR,
    OWNER,
    READER,
    assignment,
    cluster,
    diagnostic,
    versions,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_vnet_integration_without_private_cluster_keeps_the_public_endpoint() -> None:
    body = cluster(
        "c", access={"enableVnetIntegration": True, "authorizedIPRanges": ["1.2.3.4/32"]}
    )
    ep = normalize.endpoint(body)
    assert (ep.public_enabled, ep.private_enabled, ep.authorized_cidrs) == (
        True,
        True,
        ["1.2.3.4/32"],
    )
    assert "authorizedIPRanges" in ep.source_of("authorized_cidrs")


def test_no_access_profile_means_public_to_everyone() -> None:
    ep = normalize.endpoint(cluster("c"))
    assert (ep.public_enabled, ep.private_enabled, ep.authorized_cidrs) == (
        True,
        False,
        ["0.0.0.0/0"],
    )


@pytest.mark.parametrize(
    ("aad", "disable_local", "rbac", "idp", "local"),
    [
        (True, True, True, True, False),
        (True, False, True, True, True),
        (True, None, True, True, True),  # absent disableLocalAccounts = local accounts on
        (False, True, True, False, False),
        (True, True, False, True, True),  # enableRBAC false: anyone authenticated is admin
    ],
)
def test_authentication(
    aad: bool, disable_local: bool | None, rbac: bool, idp: bool, local: bool
) -> None:
    body = cluster("c", aad=aad, disable_local=disable_local)
    body["properties"]["enableRBAC"] = rbac
    auth = normalize.authentication(body)
    assert (auth.idp_enabled, auth.local_credentials_enabled) == (idp, local)


@pytest.mark.parametrize(
    ("network", "enforced", "engine"),
    [
        ({"networkPolicy": "azure"}, True, "azure"),
        ({"networkPolicy": "calico"}, True, "calico"),
        ({"networkPolicy": "cilium", "networkDataplane": "cilium"}, True, "cilium"),
        ({"networkDataplane": "cilium"}, True, "cilium"),
        ({"networkPolicy": "none"}, False, None),
        ({"networkPlugin": "kubenet"}, False, None),
    ],
)
def test_network_policy(network: dict[str, Any], enforced: bool, engine: str | None) -> None:
    policy = normalize.network_policy(cluster("c", network=network))
    assert (policy.enforced, policy.engine) == (enforced, engine)


@pytest.mark.parametrize(
    ("oidc", "webhook", "enabled"), [(True, True, True), (True, False, False), (False, True, False)]
)
def test_workload_identity_needs_issuer_and_webhook(
    oidc: bool, webhook: bool, enabled: bool
) -> None:
    body = cluster("c", oidc=oidc, security={"workloadIdentity": {"enabled": webhook}})
    assert normalize.workload_identity(body).enabled is enabled


def test_kms_off_is_the_platform_default() -> None:
    enc = normalize.secrets_encryption(cluster("c"), None)
    assert (enc.customer_key_enabled, enc.key_id, enc.provider_default_encryption) == (
        False,
        None,
        True,
    )


def test_kms_enabled_without_key_id_is_not_customer_managed() -> None:
    body = cluster("c", security={"azureKeyVaultKms": {"enabled": True}})
    assert normalize.secrets_encryption(body, None).customer_key_enabled is False


def _key(**attributes: Any) -> dict[str, Any]:
    return {"properties": {"attributes": attributes}}


def _policy(action: str, **trigger: str) -> dict[str, Any]:
    return {
        "properties": {
            "rotationPolicy": {
                "lifetimeActions": [{"action": {"type": action}, "trigger": trigger}]
            }
        }
    }


@pytest.mark.parametrize(
    ("attributes", "usable", "state"),
    [
        ({"enabled": True}, True, "enabled"),
        ({"enabled": False}, False, "disabled"),
        ({"enabled": True, "exp": int(NOW.timestamp()) - 10}, False, "expired 2025-12-31"),
        (
            {"enabled": True, "nbf": int(NOW.timestamp()) + 86400},
            False,
            "not valid before 2026-01-02",
        ),
    ],
)
def test_key_usability(attributes: dict[str, Any], usable: bool, state: str) -> None:
    facts = normalize.key_facts(_key(**attributes), None, NOW)
    assert (facts.usable, facts.state) == (usable, state)


@pytest.mark.parametrize(
    ("key", "enabled", "days"),
    [
        (_policy("Rotate", timeAfterCreate="P90D"), True, 90),
        (_policy("rotate", timeAfterCreate="P1Y"), True, 365),
        (_policy("Rotate", timeBeforeExpiry="P30D"), True, None),
        (_policy("Notify", timeBeforeExpiry="P30D"), False, None),
        ({"properties": {}}, False, None),
        (None, None, None),
    ],
)
def test_key_rotation(key: dict[str, Any] | None, enabled: bool | None, days: int | None) -> None:
    facts = normalize.key_facts(_key(enabled=True), key, NOW)
    assert (facts.rotation_enabled, facts.rotation_days) == (enabled, days)


def test_logging_categories_groups_and_destinations() -> None:
    cid = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerService/managedClusters/c"
    settings = [
        diagnostic("a", cid, [{"category": "kube-audit"}], eventHubAuthorizationRuleId="eh"),
        diagnostic("b", cid, [{"categoryGroup": "audit"}], workspaceId="ws"),
        diagnostic("no-destination", cid, [{"category": "kube-scheduler"}]),
    ]
    settings[0]["properties"]["logs"].append({"category": "kube-apiserver", "enabled": False})
    log = normalize.logging(settings)
    assert (log.audit_enabled, log.components, log.destination) == (
        True,
        ["audit", "authenticator"],
        "event-hub:eh; log-analytics:ws",
    )


def test_no_diagnostic_setting_means_nothing_shipped() -> None:
    log = normalize.logging([])
    assert (log.audit_enabled, log.components, log.destination) == (False, [], None)


@pytest.mark.parametrize(
    ("version", "standard", "detail"),
    [
        ("1.30.4", True, "standard support"),
        ("1.29.9", True, "standard support"),
        ("1.28.5", False, "only under AKSLongTermSupport"),
        ("1.25.6", False, "no longer offered"),
    ],
)
def test_version_support(version: str, standard: bool, detail: str) -> None:
    result = version_support(version, versions())
    assert result.standard_support is standard
    assert detail in (result.detail or "")


def test_version_unknown_stays_unknown() -> None:
    assert version_support(None, versions()).standard_support is None


def _defs() -> dict[str, roles.RoleDefinition | None]:
    return {
        OWNER: roles.RoleDefinition("Owner", wildcard=True),
        CONTRIBUTOR: roles.RoleDefinition("Contributor", wildcard=True),
        READER: roles.RoleDefinition("Reader", wildcard=False),
        "custom": roles.RoleDefinition("Everything", wildcard=True),
    }


@pytest.mark.parametrize(
    ("scope", "guid", "admin"),
    [
        ("/subscriptions/s", CONTRIBUTOR, True),
        ("/providers/Microsoft.Management/managementGroups/root", OWNER, True),
        ("/", OWNER, True),
        ("/subscriptions/s/resourceGroups/g", OWNER, False),
        ("/subscriptions/s", READER, False),
        ("/subscriptions/s", "custom", True),
    ],
)
def test_role_summary(scope: str, guid: str, admin: bool) -> None:
    summary = roles.summarize([assignment(scope, guid, "p", 1)], _defs())
    assert summary.admin_equivalent is admin
    assert bool(summary.grants) is (guid != READER)


def test_unreadable_definition_at_broad_scope_is_unknown_not_false() -> None:
    summary = roles.summarize(
        [assignment("/subscriptions/s", "custom2", "p", 1)], {"custom2": None}
    )
    assert (summary.admin_equivalent, summary.unresolved) == (
        None,
        ["/subscriptions/5a3f2c1e-0000-4000-8000-000000000001/providers/Microsoft.Authorization/"
         "roleDefinitions/custom2"],
    )  # fmt: skip


def test_builtin_admin_role_is_known_even_when_its_definition_was_unreadable() -> None:
    summary = roles.summarize([assignment("/subscriptions/s", CONTRIBUTOR, "p", 1)], {})
    assert summary.admin_equivalent is True


def test_other_principals_assignments_are_ignored() -> None:
    mine = roles.principal_assignments(
        [assignment("/subscriptions/s", OWNER, "other", 1), assignment("/", READER, "P", 2)], "p"
    )
    assert len(mine) == 1


def test_identities_of_system_user_assigned_and_service_principal_clusters() -> None:
    found = normalize.identities(cluster("c", kubelet="k"))
    assert (found.control_plane, found.kubelet, found.service_principal) == ("cp-c", "k", None)
    assert found.principals() == {"cp-c", "k"}
    legacy = cluster("c", kubelet="")
    del legacy["identity"]
    del legacy["properties"]["identityProfile"]
    legacy["properties"]["servicePrincipalProfile"] = {"clientId": "app-id"}
    found = normalize.identities(legacy)
    assert (found.control_plane, found.kubelet, found.service_principal) == (None, None, "app-id")
    assert found.control_plane_label == found.kubelet_label == "service principal app-id"
    # "msi" is what a managed-identity cluster shows there: not a service principal
    legacy["identity"] = {"type": "SystemAssigned", "principalId": "p"}
    legacy["properties"]["servicePrincipalProfile"] = {"clientId": "msi"}
    assert normalize.identities(legacy).service_principal is None


def test_resource_ids_and_scopes() -> None:
    rid = ids.parse(
        "/subscriptions/S/resourceGroups/G/providers/Microsoft.Network/virtualNetworks/V/subnets/N"
    )
    assert (rid.subscription, rid.resource_group, rid.parent_name, rid.name) == ("S", "G", "V", "N")
    assert ids.scope_kind("/subscriptions/S/resourceGroups/G/providers/X/y/z") == "resource"
    assert ids.scope_kind("/subscriptions/S/resourceGroups/G") == "resource-group"


def test_node_identities_besides_the_kubelets() -> None:
    body = cluster("c", kubelet="k")
    props = body["properties"]
    props["identityProfile"]["extra"] = {"resourceId": "/x/extra-mi", "objectId": "e"}
    props["addonProfiles"] = {
        "azurepolicy": {"enabled": True, "identity": {"resourceId": "/x/policy", "objectId": "p"}},
        "again": {"enabled": True, "identity": {"resourceId": "/x/same", "objectId": "p"}},
        "kubelet-reuse": {"enabled": True, "identity": {"resourceId": "/x/k", "objectId": "k"}},
        "off": {"enabled": False, "identity": {"resourceId": "/x/off", "objectId": "o"}},
        "unnamed": {"enabled": True, "identity": {"resourceId": "/x/no-object-id"}},
    }
    found = normalize.identities(body)
    assert [(n.principal, n.label) for n in found.node_extra] == [
        ("e", "/x/extra-mi"),
        ("p", "/x/policy"),
        (None, "/x/no-object-id"),
    ]
    assert found.principals() == {"cp-c", "k", "e", "p"}
