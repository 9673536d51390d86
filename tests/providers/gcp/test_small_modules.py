"""versions, iam, enums and settings: the small pure modules."""

from __future__ import annotations

from enum import IntEnum

import pytest
from cloudposture_gcp import enums
from cloudposture_gcp.iam import PolicyLevel, data_access_audit, grants_for, project_level
from cloudposture_gcp.settings import GcpSettings, validate_endpoint
from cloudposture_gcp.versions import minor_of, standard_minors, version_support
from google.cloud import container_v1, kms_v1, resourcemanager_v3
from google.iam.v1 import policy_pb2

from cloudposture.model import ConfigurationError
from tests.providers.gcp.fixtures import server_config


def _table(enum: type[IntEnum]) -> dict[int, str]:
    return {int(m.value): m.name for m in enum}


@pytest.mark.parametrize(
    ("table", "sdk"),
    [
        (enums.DATABASE_ENCRYPTION_STATE, container_v1.DatabaseEncryption.State),
        (enums.LOGGING_COMPONENT, container_v1.LoggingComponentConfig.Component),
        (enums.WORKLOAD_METADATA_MODE, container_v1.WorkloadMetadataConfig.Mode),
        (enums.DATAPATH_PROVIDER, container_v1.DatapathProvider),
        (enums.NETWORK_POLICY_PROVIDER, container_v1.NetworkPolicy.Provider),
        (enums.RELEASE_CHANNEL, container_v1.ReleaseChannel.Channel),
        (enums.CRYPTO_KEY_VERSION_STATE, kms_v1.CryptoKeyVersion.CryptoKeyVersionState),
        (enums.PROJECT_STATE, resourcemanager_v3.Project.State),
    ],
)
def test_enum_tables_match_the_sdk(table: dict[int, str], sdk: type[IntEnum]) -> None:
    assert dict(table) == _table(sdk)


def test_audit_log_type_table_matches_iam_proto() -> None:
    values = policy_pb2.AuditLogConfig.LogType.DESCRIPTOR.values
    assert dict(enums.AUDIT_LOG_TYPE) == {v.number: v.name for v in values}


def test_enum_name_accepts_names_ints_and_numeric_strings() -> None:
    table = enums.WORKLOAD_METADATA_MODE
    assert enums.enum_name("GKE_METADATA", table) == "GKE_METADATA"
    assert enums.enum_name(2, table) == "GKE_METADATA"
    assert enums.enum_name("1", table) == "GCE_METADATA"
    assert enums.enum_name(None, table, "X") == "X"
    assert enums.enum_name(42, table) == "42"


def test_versions_compare_minor_versions_against_standard_channels() -> None:
    offer = server_config()
    assert standard_minors(offer) == {"1.28", "1.29", "1.30", "1.31"}  # EXTENDED-only 1.27 out
    assert minor_of("1.29.4-gke.1043002") == "1.29"
    assert minor_of("garbage") is None
    ok = version_support("1.28.3-gke.100", offer, "us-central1")
    assert ok.standard_support is True
    assert "1.28 is a standard-support" in (ok.detail or "")
    old = version_support("1.27.16-gke.1287000", offer, "us-central1")
    assert old.standard_support is False
    assert "1.28, 1.29, 1.30, 1.31" in (old.detail or "")
    assert version_support("1.30.1", None, "x").standard_support is None
    odd = version_support("latest", offer, "x")
    assert odd.standard_support is None
    assert "standard_support" in odd.unknown_reasons


def test_grants_match_the_member_case_insensitively_and_only_admin_roles_count() -> None:
    policy = {
        "bindings": [
            {
                "role": "roles/logging.logWriter",
                "members": ["serviceAccount:Nodes@p.iam.gserviceaccount.com"],
            },
            {"role": "roles/owner", "members": ["serviceAccount:nodes@p.iam.gserviceaccount.com"]},
            {"role": "roles/editor", "members": ["user:nodes@p.iam.gserviceaccount.com"]},
        ]
    }
    grants = grants_for(project_level("p", policy), "nodes@p.iam.gserviceaccount.com")
    assert grants.roles == ("roles/logging.logWriter", "roles/owner")
    assert grants.admin_equivalent
    assert grants.admin_grants[0].startswith("roles/owner on projects/p")
    other = grants_for(project_level("p", policy), "other@p.iam.gserviceaccount.com")
    assert other.admin_equivalent is False


def test_data_access_audit_needs_read_and_write() -> None:
    both = {
        "auditConfigs": [
            {
                "service": "container.googleapis.com",
                "auditLogConfigs": [{"logType": "DATA_READ"}, {"logType": "DATA_WRITE"}],
            }
        ]
    }
    other = {
        "auditConfigs": [
            {
                "service": "storage.googleapis.com",
                "auditLogConfigs": [{"logType": "DATA_READ"}, {"logType": "DATA_WRITE"}],
            }
        ]
    }
    assert data_access_audit(project_level("p", both)).enabled is True
    assert data_access_audit(project_level("p", other)).enabled is False
    assert "no Data Access audit config" in data_access_audit(project_level("p", {})).describe()


SA = "nodes@p.iam.gserviceaccount.com"
EDITOR = {"bindings": [{"role": "roles/editor", "members": [f"serviceAccount:{SA}"]}]}


def test_inherited_grants_name_their_level_and_unread_levels_leave_the_answer_open() -> None:
    org = PolicyLevel("organizations/1", EDITOR)
    grants = grants_for([PolicyLevel("projects/p", {}), PolicyLevel("folders/2", {}), org], SA)
    assert grants.admin_equivalent is True
    assert grants.admin_grants == (
        "roles/editor on organizations/1 (inherited by the project): create, change and delete "
        "almost every resource in the project",
    )
    unread_folder = [PolicyLevel("projects/p", {}), PolicyLevel("folders/2", None)]
    assert grants_for(unread_folder, SA).admin_equivalent is None
    assert grants_for(unread_folder, SA).unread == ("folders/2",)
    # A grant found on a readable level settles it, whatever could not be read.
    assert grants_for([PolicyLevel("projects/p", EDITOR), *unread_folder[1:]], SA).admin_equivalent
    assert grants_for([], SA).admin_equivalent is None  # nothing read at all


def test_audit_configs_add_up_across_levels_and_unread_levels_leave_it_open() -> None:
    read_only = {
        "auditConfigs": [
            {
                "service": "container.googleapis.com",
                "auditLogConfigs": [{"logType": "DATA_READ", "exemptedMembers": ["user:a@x"]}],
            }
        ]
    }
    write_only = {"auditConfigs": [{"service": "allServices", "auditLogConfigs": [{"logType": 2}]}]}
    both = data_access_audit(
        [PolicyLevel("projects/p", read_only), PolicyLevel("folders/1", write_only)]
    )
    assert both.enabled is True
    assert both.services == ("container.googleapis.com on projects/p", "allServices on folders/1")
    assert "exempted from logging: user:a@x (DATA_READ on projects/p)" in both.describe()
    half = data_access_audit([PolicyLevel("projects/p", read_only), PolicyLevel("folders/1", None)])
    assert half.enabled is None
    assert "not readable: folders/1" in half.describe()
    assert data_access_audit([PolicyLevel("projects/p", read_only)]).enabled is False
    assert data_access_audit([]).enabled is None


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "https://psc.example"]
)
def test_endpoint_accepts_https_and_loopback_http(url: str) -> None:
    assert validate_endpoint(url + "/") == url


@pytest.mark.parametrize(
    "url", ["http://10.0.0.5:8080", "http://proxy.internal", "ftp://127.0.0.1", "127.0.0.1:80"]
)
def test_endpoint_refuses_plain_http_off_the_machine_and_non_urls(url: str) -> None:
    with pytest.raises(ConfigurationError, match="endpoint"):
        validate_endpoint(url)


def test_settings_from_cli_options_and_config_entries() -> None:
    cli = GcpSettings.from_mapping(
        {"project": ("a", "b,c", "a"), "organization": "organizations/42", "folder": ("folders/7",)}
    )
    assert (cli.projects, cli.organization, cli.folders) == (("a", "b", "c"), "42", ("7",))
    config = GcpSettings.from_mapping({"projects": ["x"], "impersonate_service_account": "s@x"})
    assert config.projects == ("x",)
    assert config.impersonate_service_account == "s@x"
    with pytest.raises(ConfigurationError, match="--project"):
        GcpSettings.from_mapping({"project": ()})
