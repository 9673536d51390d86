"""Rows 4, 5 and + cases: ETCD-001, ENC-001, ENC-002, LOG-001, LOG-002, VER-001, NET-001."""

from __future__ import annotations

from typing import Any

from cloudposture.model import (
    ClusterPosture,
    EtcdAccess,
    Logging,
    NetworkPolicySupport,
    SecretsEncryption,
    Status,
    VersionSupport,
)

from .builders import KEY_ARN, Case, denied, good_posture

KMS_DENIED = denied("secrets_encryption.key_usable", call="kms:DescribeKey")
LOGS_DENIED = denied("logging", call="eks:DescribeCluster")


def _key(**fields: Any) -> ClusterPosture:
    base: dict[str, Any] = {
        "customer_key_enabled": True,
        "key_id": KEY_ARN,
        "key_state": "Enabled",
        "key_usable": True,
        "rotation_enabled": True,
    }
    base.update(fields)
    errors = [KMS_DENIED] if base.get("key_usable", True) is None else []
    return good_posture(secrets_encryption=SecretsEncryption(**base), collection_errors=errors)


def _logs(*components: str) -> ClusterPosture:
    return good_posture(logging=Logging(audit_enabled=True, components=list(components)))


CASES = [
    # ETCD-001
    Case("provider-managed", "ETCD-001", good_posture(), Status.PASS, ("AWS operates etcd",)),
    Case(
        "self-managed",
        "ETCD-001",
        good_posture(etcd=EtcdAccess(provider_managed=False, detail="external etcd")),
        Status.FAIL,
        ("external etcd",),
    ),
    Case(
        "unknown",
        "ETCD-001",
        good_posture(etcd=EtcdAccess(), collection_errors=[denied("etcd")]),
        Status.ERROR,
        ("eks:DescribeNodegroup on prod failed",),
    ),
    # ENC-001
    Case("cmk", "ENC-001", good_posture(), Status.PASS, (KEY_ARN,)),
    Case(
        "provider-key",
        "ENC-001",
        good_posture(
            secrets_encryption=SecretsEncryption(
                customer_key_enabled=False, provider_default_encryption=True
            )
        ),
        Status.FAIL,
        ("encrypted with a provider-owned key, not a customer-managed one",),
    ),
    Case(
        "no-envelope-encryption",
        "ENC-001",
        good_posture(
            secrets_encryption=SecretsEncryption(
                customer_key_enabled=False, provider_default_encryption=False
            )
        ),
        Status.FAIL,
        ("not envelope-encrypted at all",),
    ),
    Case(
        "default-encryption-unknown",
        "ENC-001",
        good_posture(secrets_encryption=SecretsEncryption(customer_key_enabled=False)),
        Status.FAIL,
        ("was not collected",),
    ),
    Case(
        "unknown",
        "ENC-001",
        good_posture(
            secrets_encryption=SecretsEncryption(),
            collection_errors=[denied("secrets_encryption", call="eks:DescribeCluster")],
        ),
        Status.ERROR,
        ("eks:DescribeCluster on prod failed",),
    ),
    # ENC-002
    Case("healthy-key", "ENC-002", _key(), Status.PASS, ("rotates automatically",)),
    Case(
        "no-cmk",
        "ENC-002",
        _key(customer_key_enabled=False, key_id=None),
        Status.NOT_APPLICABLE,
        ("no customer-managed key; see ENC-001",),
    ),
    Case(
        "pending-deletion",
        "ENC-002",
        _key(key_state="PendingDeletion", key_usable=False),
        Status.FAIL,
        ("not usable (state: PendingDeletion)",),
    ),
    Case(
        "no-rotation",
        "ENC-002",
        _key(rotation_enabled=False),
        Status.FAIL,
        ("automatic rotation", "is off"),
    ),
    Case(
        "failure-wins-over-unknown",
        "ENC-002",
        _key(key_usable=False, rotation_enabled=None),
        Status.FAIL,
        ("not usable",),
    ),
    Case(
        "key-unreadable",
        "ENC-002",
        _key(key_usable=None, key_error="kms:DescribeKey failed (AccessDeniedException)"),
        Status.ERROR,
        ("could not be read: kms:DescribeKey failed (AccessDeniedException)",),
    ),
    Case(
        "usable-unknown",
        "ENC-002",
        _key(key_usable=None),
        Status.ERROR,
        (KMS_DENIED.one_line(),),
    ),
    Case(
        "enabled-unknown",
        "ENC-002",
        good_posture(
            secrets_encryption=SecretsEncryption(),
            collection_errors=[denied("secrets_encryption", call="eks:DescribeCluster")],
        ),
        Status.ERROR,
        ("eks:DescribeCluster on prod failed",),
    ),
    # LOG-001
    Case("audit-on", "LOG-001", good_posture(), Status.PASS, ("CloudWatch Logs",)),
    Case(
        "audit-off",
        "LOG-001",
        good_posture(logging=Logging(audit_enabled=False, components=[])),
        Status.FAIL,
    ),
    Case(
        "unknown",
        "LOG-001",
        good_posture(logging=Logging(), collection_errors=[LOGS_DENIED]),
        Status.ERROR,
        (LOGS_DENIED.one_line(),),
    ),
    # LOG-002
    Case(
        "all-components",
        "LOG-002",
        _logs("apiserver", "controller-manager", "scheduler"),
        Status.PASS,
    ),
    Case(
        "apiserver-only",
        "LOG-002",
        _logs("audit", "apiserver"),
        Status.FAIL,
        ("controller-manager, scheduler",),
    ),
    Case(
        "unknown",
        "LOG-002",
        good_posture(logging=Logging(audit_enabled=True), collection_errors=[LOGS_DENIED]),
        Status.ERROR,
        (LOGS_DENIED.one_line(),),
    ),
    # VER-001
    Case("supported", "VER-001", good_posture(), Status.PASS, ("1.31",)),
    Case(
        "extended-support",
        "VER-001",
        good_posture(
            version=VersionSupport(
                version="1.24", standard_support=False, detail="standard support ended 2024-01-31"
            )
        ),
        Status.FAIL,
        ("Kubernetes 1.24", "ended 2024-01-31"),
    ),
    Case(
        "unknown",
        "VER-001",
        good_posture(
            version=VersionSupport(version="1.29"),
            collection_errors=[denied("version", call="eks:DescribeClusterVersions")],
        ),
        Status.ERROR,
        ("eks:DescribeClusterVersions on prod failed",),
    ),
    # NET-001
    Case("enforced", "NET-001", good_posture(), Status.PASS, ("vpc-cni",)),
    Case(
        "not-enforced",
        "NET-001",
        good_posture(network_policy=NetworkPolicySupport(enforced=False)),
        Status.FAIL,
    ),
    Case(
        "unknown",
        "NET-001",
        good_posture(
            network_policy=NetworkPolicySupport(),
            collection_errors=[denied("network_policy", call="eks:DescribeAddon")],
        ),
        Status.ERROR,
        ("eks:DescribeAddon on prod failed",),
    ),
]
