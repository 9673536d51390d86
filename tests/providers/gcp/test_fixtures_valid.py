"""Every payload the fake serves is valid for the SDK's message type, strictly."""

from __future__ import annotations

import pytest
from google.protobuf.json_format import ParseError

from tests.providers.gcp.fake_api import World, validate
from tests.providers.gcp.fixtures import issue_world


def _payloads(world: World) -> list[tuple[str, dict[str, object]]]:
    out: list[tuple[str, dict[str, object]]] = []
    for clusters in world.clusters.values():
        out.append(("container:ListClusters", {"clusters": clusters}))
        out.extend(("container:GetCluster", c) for c in clusters)
    out.append(("container:GetServerConfig", world.server_config))
    out.extend(("resourcemanager:GetProject", p) for p in world.projects.values())
    out.extend(("resourcemanager:GetIamPolicy", p) for p in world.policies.values())
    out.extend(
        ("compute:GetEffectiveFirewalls", {"firewalls": f}) for f in world.firewalls.values()
    )
    out.extend(
        ("compute:GetEffectiveFirewalls", {"firewallPolicys": p})
        for p in world.firewall_policies.values()
    )
    out.extend(("compute:GetNetwork", n) for n in world.networks.values())
    out.extend(("cloudkms:GetCryptoKey", k) for k in world.keys.values())
    return out


def test_every_fixture_payload_parses_strictly() -> None:
    payloads = _payloads(issue_world())
    assert len(payloads) > 15
    for call, payload in payloads:
        validate(call, payload)


def test_a_typo_in_a_fixture_is_caught() -> None:
    cluster = issue_world().clusters["acme-prod"][0]
    cluster["privateClusterConfig"]["enablePrivateEndpiont"] = True
    with pytest.raises(ParseError, match="enablePrivateEndpiont"):
        validate("container:GetCluster", cluster)
    with pytest.raises(ParseError):
        validate("container:GetCluster", {"databaseEncryption": {"state": "ENCRYPTD"}})
