"""Google API enums, accepted as names or as integers.

The REST transport asks for ``enum-encoding=int``, so a payload may carry ``2`` where
``gcloud`` prints ``GKE_METADATA``; a fixture or a proxy may carry either. The normalizers
compare names only, and this module turns both spellings into the name. The tables copy
the numbers from the v1 protos (google-cloud-container, google-cloud-kms, google-iam-v1);
a test checks them against the SDK's own enums so they cannot drift.
"""

from __future__ import annotations

from collections.abc import Mapping

DATABASE_ENCRYPTION_STATE: Mapping[int, str] = {
    0: "UNKNOWN",
    1: "ENCRYPTED",
    2: "DECRYPTED",
    3: "ALL_OBJECTS_ENCRYPTION_ENABLED",
}
LOGGING_COMPONENT: Mapping[int, str] = {
    0: "COMPONENT_UNSPECIFIED",
    1: "SYSTEM_COMPONENTS",
    2: "WORKLOADS",
    3: "APISERVER",
    4: "SCHEDULER",
    5: "CONTROLLER_MANAGER",
    7: "KCP_SSHD",
    8: "KCP_CONNECTION",
    9: "KCP_HPA",
    10: "KCP_VPA",
}
WORKLOAD_METADATA_MODE: Mapping[int, str] = {
    0: "MODE_UNSPECIFIED",
    1: "GCE_METADATA",
    2: "GKE_METADATA",
}
DATAPATH_PROVIDER: Mapping[int, str] = {
    0: "DATAPATH_PROVIDER_UNSPECIFIED",
    1: "LEGACY_DATAPATH",
    2: "ADVANCED_DATAPATH",
}
NETWORK_POLICY_PROVIDER: Mapping[int, str] = {0: "PROVIDER_UNSPECIFIED", 1: "CALICO"}
RELEASE_CHANNEL: Mapping[int, str] = {
    0: "UNSPECIFIED",
    1: "RAPID",
    2: "REGULAR",
    3: "STABLE",
    4: "EXTENDED",
}
CRYPTO_KEY_VERSION_STATE: Mapping[int, str] = {
    0: "CRYPTO_KEY_VERSION_STATE_UNSPECIFIED",
    1: "ENABLED",
    2: "DISABLED",
    3: "DESTROYED",
    4: "DESTROY_SCHEDULED",
    5: "PENDING_GENERATION",
    6: "PENDING_IMPORT",
    7: "IMPORT_FAILED",
    8: "GENERATION_FAILED",
    9: "PENDING_EXTERNAL_DESTRUCTION",
    10: "EXTERNAL_DESTRUCTION_FAILED",
}
AUDIT_LOG_TYPE: Mapping[int, str] = {
    0: "LOG_TYPE_UNSPECIFIED",
    1: "ADMIN_READ",
    2: "DATA_WRITE",
    3: "DATA_READ",
}
PROJECT_STATE: Mapping[int, str] = {0: "STATE_UNSPECIFIED", 1: "ACTIVE", 2: "DELETE_REQUESTED"}


def enum_name(value: object, table: Mapping[int, str], default: str = "") -> str:
    """The enum's name for ``value`` given as a name, an int, or a numeric string.

    An absent value gives ``default`` (proto3 drops zero values from JSON, so "absent"
    means the zero member); an unknown number is kept as its digits, never guessed.
    """
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return table.get(value, str(value))
    text = str(value)
    if text.lstrip("-").isdigit():
        return table.get(int(text), text)
    return text
