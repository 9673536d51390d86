"""The customer-managed KMS key behind AKS secrets encryption, read through ARM.

The key is read with the management plane (``Microsoft.KeyVault/vaults/keys/read``), not the
vault's data plane, so the same ARM token and custom role cover it whatever access model the
vault uses. The vault is found by name among the subscription's vaults (vault names are
globally unique) unless the cluster names its resource id (private network access). A key
that cannot be read is not a PASS: its facts stay unknown with ``key_error`` saying why, and
ENC-002 reports ERROR.
"""

from __future__ import annotations

from urllib.parse import urlparse

from cloudposture.model import CollectionError
from cloudposture.plugin.lookup import SharedLookup
from cloudposture_azure import ids
from cloudposture_azure.clients import AzureClients
from cloudposture_azure.errors import AZURE_ERRORS, collection_error
from cloudposture_azure.normalize import KeyFacts, KmsConfig, key_facts
from cloudposture_azure.rest import as_rest

AFFECTS = [
    "secrets_encryption.key_state",
    "secrets_encryption.key_usable",
    "secrets_encryption.rotation_enabled",
    "secrets_encryption.rotation_period_days",
]

Read = tuple[KeyFacts, CollectionError | None]


def parse_key_id(key_id: str) -> tuple[str, str, str] | None:
    """'https://V.vault.azure.net/keys/K/VER' -> (vault name, key name, version)."""
    url = urlparse(key_id)
    parts = [p for p in url.path.split("/") if p]
    host = url.hostname or ""
    if len(parts) != 3 or parts[0] != "keys" or "." not in host:
        return None
    return host.split(".", 1)[0], parts[1], parts[2]


class KeyReader:
    """Reads each KMS key once per scan (many clusters may share one key)."""

    def __init__(self, clients: AzureClients) -> None:
        self._clients = clients
        self._vaults: SharedLookup[str, dict[str, str]] = SharedLookup(self._list_vaults)
        self._reads: SharedLookup[tuple[str, str, str], Read] = SharedLookup(self._read)

    def facts(
        self, subscription: str, kms: KmsConfig, errors: list[CollectionError]
    ) -> KeyFacts | None:
        """The key's facts when KMS is on (None when off); a failure is added to ``errors``."""
        if not (kms.enabled and kms.key_id):
            return None
        facts, error = self._reads.get((subscription, kms.key_id, kms.vault_resource_id or ""))
        if error is not None:
            errors.append(error)
        return facts

    def _list_vaults(self, subscription: str) -> dict[str, str]:
        vaults = self._clients.keyvault(subscription).vaults.list_by_subscription()
        return {str(v["name"]).lower(): str(v["id"]) for v in map(as_rest, vaults)}

    def _read(self, key: tuple[str, str, str]) -> Read:
        subscription, key_id, vault_id = key
        parsed = parse_key_id(key_id)
        if parsed is None:
            error = CollectionError(
                call="keyvault:Keys.GetVersion",
                kind="invalid",
                message=f"cannot parse keyId '{key_id}'",
                resource=key_id,
                affects=AFFECTS,
            )
            return KeyFacts(error=error.message), error
        vault, name, version = parsed
        call = "keyvault:Vaults.ListBySubscription"
        try:
            vault_id = vault_id or self._vaults.get(subscription).get(vault.lower(), "")
            if not vault_id:
                message = f"key vault '{vault}' not found in subscription {subscription}"
                error = CollectionError(
                    call=call, kind="not-found", message=message, resource=key_id, affects=AFFECTS
                )
                return KeyFacts(error=message), error
            rid = ids.parse(vault_id)
            client = self._clients.keyvault(rid.subscription or subscription).keys
            call = "keyvault:Keys.GetVersion"
            body = as_rest(client.get_version(rid.resource_group, rid.name, name, version))
            call = "keyvault:Keys.Get"
            current = as_rest(client.get(rid.resource_group, rid.name, name))
        except AZURE_ERRORS as exc:
            error = collection_error(exc, call, key_id, AFFECTS)
            return KeyFacts(error=error.one_line()), error
        return key_facts(body, current), None
