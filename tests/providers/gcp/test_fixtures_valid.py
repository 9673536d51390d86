"""Every payload the fake serves is valid for the SDK's message type, strictly."""

from __future__ import annotations

import pytest
from google.protobuf.json_format import ParseError

from tests.providers.gcp.fake_api import World, validate
from tests.providers.gcp.fixtures import (
    firewall_policy,
    hierarchy_defaults,
    issue_world,
    network,
    org_policy,
    policy_rule,
    regional_policy,
)


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
    out.extend(
        ("compute:GetRegionEffectiveFirewalls", {"firewallPolicys": p})
        for p in world.regional_policies.values()
    )
    out.extend(("compute:GetNetwork", n) for n in world.networks.values())
    out.extend(("cloudkms:GetCryptoKey", k) for k in world.keys.values())
    out.extend(("iam:GetRole", r) for r in world.roles.values())
    return out


def test_every_fixture_payload_parses_strictly() -> None:
    payloads = _payloads(issue_world())
    assert len(payloads) > 15
    for call, payload in payloads:
        validate(call, payload)


def test_policy_and_network_builders_parse_strictly() -> None:
    rule = policy_rule(
        10,
        "allow",
        ["0.0.0.0/0"],
        [{"ipProtocol": "tcp", "ports": ["22"]}],
        ruleName="ssh",
        targetSecureTags=[{"name": "tagValues/1", "state": "EFFECTIVE"}],
    )
    policies = [
        firewall_policy("org", "HIERARCHY", [rule, *hierarchy_defaults()]),
        firewall_policy("net", "NETWORK", [rule]),
    ]
    validate("compute:GetEffectiveFirewalls", {"firewallPolicys": policies})
    validate("compute:GetNetwork", network("p", "vpc", "BEFORE_CLASSIC_FIREWALL"))
    validate(
        "compute:GetRegionEffectiveFirewalls",
        {
            "firewallPolicys": [
                regional_policy("ew1", [rule]),
                regional_policy("s", [], "SYSTEM_REGIONAL"),
            ]
        },
    )
    # The regional message has no shortName (compute enums are plain strings: a policy's
    # type is not checked by the parser, its field names are).
    with pytest.raises(ParseError, match="shortName"):
        validate("compute:GetRegionEffectiveFirewalls", {"firewallPolicys": [policies[0]]})
    validate("resourcemanager:GetOrganizationIamPolicy", org_policy(audit=[{"service": "x"}]))
    with pytest.raises(ParseError, match="srcIpRange"):
        validate(
            "compute:GetEffectiveFirewalls",
            {"firewallPolicys": [{"rules": [{"match": {"srcIpRange": ["0.0.0.0/0"]}}]}]},
        )


def test_a_typo_in_a_fixture_is_caught() -> None:
    cluster = issue_world().clusters["acme-prod"][0]
    cluster["privateClusterConfig"]["enablePrivateEndpiont"] = True
    with pytest.raises(ParseError, match="enablePrivateEndpiont"):
        validate("container:GetCluster", cluster)
    with pytest.raises(ParseError):
        validate("container:GetCluster", {"databaseEncryption": {"state": "ENCRYPTD"}})
