"""normalize / node_pools: API-shaped JSON in, neutral posture out (pure, table-driven)."""

from __future__ import annotations

from typing import Any

import pytest
from cloudposture_gcp.firewall import NetworkFirewalls
from cloudposture_gcp.iam import PolicyLevel, project_level
from cloudposture_gcp.node_pools import PoolContext, auto_node_tag, needs_project_number, node_pools
from cloudposture_gcp.normalize import (
    REDACTED,
    ClusterInputs,
    authentication,
    cluster_ref,
    endpoint,
    logging,
    network_policy,
    normalize_cluster,
    redact,
    secrets_encryption,
    workload_identity,
)

from cloudposture.model import WHOLE_INTERNET_V4
from tests.providers.gcp.fixtures import (
    CLOUD_PLATFORM,
    DELETE,
    KEY_ROTATING,
    PROD,
    PROD_DEFAULT_SA,
    PROD_NUMBER,
    autopilot,
    cluster,
    crypto_key,
    hardened,
    legacy_public,
    merge,
    node_config,
    node_pool,
    ops_narrow,
    partner_access,
    policy,
)

CID = "0123456789abcdef" * 4
NETWORK = f"projects/{PROD}/global/networks/prod-vpc"


def levels(iam: dict[str, Any] | None) -> tuple[PolicyLevel, ...]:
    return project_level(PROD, iam)


def base(**patch: Any) -> dict[str, Any]:
    return cluster(
        PROD, "c", CID, pools=[node_pool(PROD, "europe-west1", "c", "p", node_config())], **patch
    )


# -- endpoint ---------------------------------------------------------------------------------


def test_public_endpoint_without_authorized_networks_is_the_whole_internet() -> None:
    ep = endpoint(legacy_public())
    assert (ep.public_enabled, ep.authorized_cidrs, ep.provider_ranges_allowed) == (
        True,
        [WHOLE_INTERNET_V4],
        True,
    )


def test_private_endpoint_has_no_public_cidrs() -> None:
    ep = endpoint(hardened())
    assert (ep.public_enabled, ep.private_enabled, ep.authorized_cidrs) == (False, True, [])
    assert ep.provider_ranges_allowed is False


def test_authorized_networks_and_google_ranges() -> None:
    ep = endpoint(partner_access())
    assert ep.authorized_cidrs == ["198.51.100.0/22"]
    assert ep.provider_ranges_allowed is False
    # Unset gcpPublicCidrsAccessEnabled on a public endpoint: Google Cloud IPs may connect.
    unset = base(masterAuthorizedNetworksConfig={"enabled": True, "cidrBlocks": []})
    assert (endpoint(unset).authorized_cidrs, endpoint(unset).provider_ranges_allowed) == ([], True)


def test_legacy_response_without_control_plane_endpoints_config() -> None:
    old = base(
        controlPlaneEndpointsConfig=DELETE, privateClusterConfig={"enablePrivateEndpoint": True}
    )
    assert endpoint(old).public_enabled is False
    public = base(controlPlaneEndpointsConfig=DELETE, privateClusterConfig=DELETE)
    ep = endpoint(public)
    assert ep.public_enabled is True
    assert ep.source_of("public_enabled").endswith("privateClusterConfig.enablePrivateEndpoint")


def test_ip_endpoints_config_wins_and_its_authorized_networks_are_used() -> None:
    newer = base(
        privateClusterConfig={"enablePrivateEndpoint": False},
        controlPlaneEndpointsConfig={
            "ipEndpointsConfig": {
                "enablePublicEndpoint": True,
                "authorizedNetworksConfig": {
                    "enabled": True,
                    "gcpPublicCidrsAccessEnabled": False,
                    "cidrBlocks": [{"cidrBlock": "203.0.113.0/24"}],
                },
            }
        },
    )
    ep = endpoint(newer)
    assert ep.authorized_cidrs == ["203.0.113.0/24"]
    assert "ipEndpointsConfig.authorizedNetworksConfig" in ep.source_of("authorized_cidrs")
    no_ip = base(controlPlaneEndpointsConfig={"ipEndpointsConfig": {"enabled": False}})
    assert endpoint(no_ip).public_enabled is False


def test_dns_endpoint_is_noted_not_counted_as_an_ip_endpoint() -> None:
    dns = base(
        controlPlaneEndpointsConfig={
            "dnsEndpointConfig": {"allowExternalTraffic": True},
            "ipEndpointsConfig": {"enablePublicEndpoint": False},
        }
    )
    ep = endpoint(dns)
    assert ep.public_enabled is False
    assert "DNS-based endpoint allows external traffic" in ep.source_of("public_enabled")


# -- authentication ---------------------------------------------------------------------------


def test_client_certificate_and_legacy_abac_are_local_credentials() -> None:
    auth = authentication(legacy_public())
    assert auth.local_credentials_enabled is True
    assert auth.local_credential_kinds == ["client-certificate", "legacy-abac"]
    assert auth.idp_enabled is True


def test_basic_auth_username_alone_counts_and_clean_cluster_has_none() -> None:
    basic = base(masterAuth={"username": "admin"})
    assert authentication(basic).local_credential_kinds == ["basic-auth"]
    assert authentication(base()).local_credentials_enabled is False


def test_redact_keeps_presence_and_drops_values() -> None:
    raw = legacy_public()
    raw["masterAuth"]["password"] = "hunter2-very-secret"
    clean = redact(raw)
    assert clean["masterAuth"]["clientKey"] == REDACTED
    assert clean["masterAuth"]["password"] == REDACTED
    assert "hunter2" not in repr(clean)
    assert raw["masterAuth"]["password"] == "hunter2-very-secret"  # the input is not mutated
    assert authentication(clean).local_credential_kinds == [
        "client-certificate",
        "basic-auth",
        "legacy-abac",
    ]


# -- node pools -------------------------------------------------------------------------------


def ctx(
    iam: dict[str, Any] | None = None,
    number: str | None = PROD_NUMBER,
    firewalls: list[dict[str, Any]] | None = None,
) -> PoolContext:
    return PoolContext(
        project=PROD,
        project_number=number,
        policies=project_level(PROD, iam),
        firewalls=NetworkFirewalls(NETWORK, firewalls or []),
    )


def test_default_service_account_with_editor_is_admin_and_default() -> None:
    (pool,) = node_pools(legacy_public(), ctx(policy([f"serviceAccount:{PROD_DEFAULT_SA}"], False)))
    assert pool.identities is not None
    assert len(pool.identities) == 1
    assert (
        pool.identities[0].id,
        pool.identities[0].is_default,
        pool.identities[0].admin_equivalent,
    ) == (
        PROD_DEFAULT_SA,
        True,
        True,
    )
    assert pool.identities[0].grants[0].startswith("roles/editor on projects/acme-prod")
    assert pool.metadata_credentials_exposed is True
    assert "unset" in (pool.metadata_detail or "")
    assert "legacy metadata endpoints" in (pool.metadata_detail or "")
    assert pool.full_cloud_api_scope is True
    assert pool.public_ip is True


def test_default_email_written_out_is_still_the_default_identity() -> None:
    config = node_config(PROD_DEFAULT_SA)
    c = base(nodePools=[node_pool(PROD, "europe-west1", "c", "p", config)])
    (pool,) = node_pools(c, ctx(policy([], False), number=None))
    assert pool.identities is not None
    assert len(pool.identities) == 1
    assert pool.identities[0].is_default is True
    assert pool.identities[0].admin_equivalent is False
    assert not needs_project_number(c)


def test_unknown_project_number_leaves_the_default_identity_unjudged() -> None:
    (pool,) = node_pools(legacy_public(), ctx(policy([], False), number=None))
    assert pool.identities is not None
    assert len(pool.identities) == 1
    assert pool.identities[0].is_default is True
    assert pool.identities[0].admin_equivalent is None
    assert needs_project_number(legacy_public())


def test_unread_iam_policy_and_firewalls_stay_unknown() -> None:
    c = legacy_public()
    (pool,) = node_pools(
        c, PoolContext(PROD, PROD_NUMBER, policies=project_level(PROD, None), firewalls=None)
    )
    assert pool.identities is not None
    assert len(pool.identities) == 1
    assert pool.identities[0].admin_equivalent is None
    assert pool.internet_ingress is None


def test_conditional_editor_binding_still_counts_and_says_so() -> None:
    bound = policy(
        [],
        False,
        extra=[
            {
                "role": "roles/editor",
                "members": [f"serviceAccount:{PROD_DEFAULT_SA}"],
                "condition": {"title": "office-hours", "expression": "true"},
            }
        ],
    )
    (pool,) = node_pools(legacy_public(), ctx(bound))
    assert pool.identities is not None
    assert len(pool.identities) == 1
    assert pool.identities[0].admin_equivalent is True
    assert "conditional: office-hours" in pool.identities[0].grants[0]


def test_per_pool_private_nodes_override_the_cluster_setting() -> None:
    pools = node_pools(ops_narrow(), ctx(policy([], False)))
    assert [(p.name, p.public_ip) for p in pools] == [("system", False), ("batch", False)]
    public_pool = node_pool(
        PROD,
        "europe-west1",
        "c",
        "edge",
        node_config(),
        networkConfig={"enablePrivateNodes": False},
    )
    c = base(privateClusterConfig={"enablePrivateNodes": True}, nodePools=[public_pool])
    (pool,) = node_pools(c, ctx(policy([], False)))
    assert pool.public_ip is True
    assert "nodePools[0].networkConfig" in pool.source_of("public_ip")


def test_default_enable_private_nodes_is_preferred_over_private_cluster_config() -> None:
    c = base(networkConfig={"defaultEnablePrivateNodes": True}, privateClusterConfig=DELETE)
    assert [p.public_ip for p in node_pools(c, ctx(policy([], False)))] == [False]


def test_autopilot_pools_and_auto_provisioning_defaults() -> None:
    pools = node_pools(autopilot(), ctx(policy([], False)))
    assert [(p.name, p.kind) for p in pools] == [
        ("default-pool", "autopilot"),
        ("auto-provisioning-defaults", "autopilot"),
    ]
    defaults = pools[1]
    assert defaults.metadata_credentials_exposed is False  # workload pool set -> GKE_METADATA
    assert defaults.full_cloud_api_scope is True
    assert defaults.identities is not None
    assert len(defaults.identities) == 1
    assert defaults.identities[0].is_default is True


def test_standard_cluster_with_node_auto_provisioning() -> None:
    nap = base(
        workloadIdentityConfig=DELETE,
        autoscaling={
            "enableNodeAutoprovisioning": True,
            "autoprovisioningNodePoolDefaults": {
                "serviceAccount": "nap@acme-prod.iam.gserviceaccount.com"
            },
        },
        nodePools=[
            node_pool(
                PROD,
                "europe-west1",
                "c",
                "nap-e2-standard-8",
                node_config(),
                autoscaling={"autoprovisioned": True},
            )
        ],
    )
    pools = node_pools(nap, ctx(policy([], False)))
    assert [(p.name, p.kind) for p in pools] == [
        ("nap-e2-standard-8", "auto-provisioning"),
        ("auto-provisioning-defaults", "auto-provisioning"),
    ]
    assert pools[1].metadata_credentials_exposed is True  # no workload pool: GCE metadata
    assert pools[1].identities is not None
    assert len(pools[1].identities) == 1
    assert pools[1].identities[0].id.startswith("nap@")


def test_enum_integers_are_accepted_like_names() -> None:
    as_ints = node_config(metadata_mode=None)
    as_ints["workloadMetadataConfig"] = {"mode": 2}
    c = base(nodePools=[node_pool(PROD, "europe-west1", "c", "p", as_ints)])
    assert node_pools(c, ctx(policy([], False)))[0].metadata_credentials_exposed is False
    ints = base(
        networkConfig={"datapathProvider": 2},
        databaseEncryption={"state": 1, "keyName": KEY_ROTATING},
        loggingConfig={"componentConfig": {"enableComponents": [3, 4, 5]}},
    )
    assert network_policy(ints).engine == "dataplane-v2"
    assert secrets_encryption(ints, crypto_key(KEY_ROTATING, "7776000s"), None).customer_key_enabled
    assert logging(ints, ()).components == ["apiserver", "scheduler", "controller-manager"]


def test_firewall_targets_use_gkes_automatic_node_tag() -> None:
    assert auto_node_tag(legacy_public()) == "gke-legacy-web-0f1e2d3c-node"
    rule = {
        "name": "ssh",
        "sourceRanges": ["0.0.0.0/0"],
        "targetTags": [auto_node_tag(base())],
        "allowed": [{"IPProtocol": "tcp", "ports": ["22"]}],
    }
    (pool,) = node_pools(base(), ctx(policy([], False), firewalls=[rule]))
    assert [r.port_from for r in pool.internet_ingress or []] == [22]


# -- encryption, logging, network policy, workload identity -----------------------------------


@pytest.mark.parametrize(
    ("state", "key", "expected"),
    [
        ("ENCRYPTED", KEY_ROTATING, True),
        ("ALL_OBJECTS_ENCRYPTION_ENABLED", KEY_ROTATING, True),
        ("DECRYPTED", "", False),
        ("ENCRYPTED", "", False),
        (None, None, False),
    ],
)
def test_customer_key_needs_an_encrypted_state_and_a_key(
    state: str | None, key: str | None, expected: bool
) -> None:
    enc_json = {} if state is None else {"state": state, "keyName": key}
    enc = secrets_encryption(base(databaseEncryption=enc_json), None, "x" if expected else None)
    assert enc.customer_key_enabled is expected
    assert enc.provider_default_encryption is True


def test_key_state_and_rotation_from_cloud_kms() -> None:
    c = hardened()
    good = secrets_encryption(c, crypto_key(KEY_ROTATING, "7776000s"), None)
    assert (good.key_usable, good.rotation_enabled, good.rotation_period_days) == (True, True, 90)
    assert good.key_state == "ENABLED"
    assert good.key_id == KEY_ROTATING
    bad = secrets_encryption(c, crypto_key(KEY_ROTATING, None, state="DESTROY_SCHEDULED"), None)
    assert (bad.key_usable, bad.rotation_enabled, bad.key_state) == (
        False,
        False,
        "DESTROY_SCHEDULED",
    )
    unread = secrets_encryption(c, None, "cloudkms:GetCryptoKey failed (403)")
    assert unread.key_usable is None
    assert unread.key_error == "cloudkms:GetCryptoKey failed (403)"


def test_audit_needs_apiserver_logs_and_data_access_audit_logs() -> None:
    audited, silent = policy([], True), policy([], False)
    assert logging(hardened(), levels(audited)).audit_enabled is True
    assert logging(hardened(), levels(audited)).components == [
        "apiserver",
        "scheduler",
        "controller-manager",
        "audit",
    ]
    assert logging(hardened(), levels(silent)).audit_enabled is False
    assert (
        logging(legacy_public(), levels(audited)).audit_enabled is False
    )  # no APISERVER component
    assert logging(hardened(), ()).audit_enabled is None
    assert logging(hardened(), levels(None)).audit_enabled is None
    # Without API server logs, audit logging is off whatever the unreadable policies say.
    assert logging(legacy_public(), levels(None)).audit_enabled is False
    admin_read_only = merge(
        audited, {"auditConfigs": [{"service": "allServices", "auditLogConfigs": [{"logType": 1}]}]}
    )
    assert logging(hardened(), levels(admin_read_only)).audit_enabled is False
    all_services = merge(
        audited,
        {
            "auditConfigs": [
                {
                    "service": "allServices",
                    "auditLogConfigs": [{"logType": 3}, {"logType": "DATA_WRITE"}],
                }
            ]
        },
    )
    assert logging(hardened(), levels(all_services)).audit_enabled is True


def test_logging_service_none_ships_nothing() -> None:
    off = base(loggingService="none", loggingConfig={})
    logs = logging(off, levels(policy([], True)))
    assert (logs.components, logs.destination, logs.audit_enabled) == ([], None, False)
    assert logging(partner_access(), ()).components == ["apiserver"]


@pytest.mark.parametrize(
    ("patch", "enforced", "engine"),
    [
        ({}, True, "dataplane-v2"),
        ({"networkConfig": {"datapathProvider": "LEGACY_DATAPATH"}}, False, None),
        (
            {
                "networkConfig": {"datapathProvider": DELETE},
                "networkPolicy": {"enabled": True},
                "addonsConfig": {"networkPolicyConfig": {"disabled": DELETE}},
            },
            True,
            "calico",
        ),
        (
            {"networkConfig": {"datapathProvider": DELETE}, "networkPolicy": {"enabled": True}},
            False,
            None,
        ),
    ],
)
def test_network_policy_enforcement(
    patch: dict[str, Any], enforced: bool, engine: str | None
) -> None:
    np = network_policy(base(**patch))
    assert (np.enforced, np.engine) == (enforced, engine)


def test_workload_identity() -> None:
    assert workload_identity(hardened()).enabled is True
    assert workload_identity(legacy_public()).enabled is False


def test_whole_cluster_posture_keeps_errors_and_never_leaves_values_unexplained() -> None:
    c = redact(hardened())
    ref = cluster_ref(PROD, c)
    assert ref.native_id.endswith("/locations/europe-west1/clusters/payments")
    assert ref.tags == {"env": "prod"}
    posture = normalize_cluster(
        ref,
        ClusterInputs(
            project=PROD,
            cluster=c,
            project_number=PROD_NUMBER,
            policies=levels(policy([], True)),
            firewalls=NetworkFirewalls(NETWORK, []),
            crypto_key=crypto_key(KEY_ROTATING, "7776000s"),
            server_config={},
        ),
    )
    assert posture.control_plane_identity is None
    assert posture.etcd.provider_managed is True
    assert posture.version.standard_support is False  # an empty offer supports nothing
    dumped = posture.model_dump()
    for section in (
        "endpoint",
        "authentication",
        "secrets_encryption",
        "logging",
        "network_policy",
        "workload_identity",
    ):
        nones = [k for k, v in dumped[section].items() if v is None and k not in ("key_error",)]
        assert nones == [], (section, nones)
    assert CLOUD_PLATFORM in c["nodePools"][0]["config"]["oauthScopes"]
