"""The fake refuses a fixture key the SDK's model does not know (a typo cannot pass)."""

from __future__ import annotations

import pytest
from alibabacloud_cs20151215 import models as cs
from alibabacloud_ecs20140526 import models as ecs

from tests.providers.alibaba.fixtures import cluster, permission, security_group
from tests.providers.alibaba.strict import unknown_keys
from tests.providers.alibaba.world import World


def test_round_trip_names_misspelt_keys_at_any_depth() -> None:
    detail = {**cluster("c1", "a"), "master_urls": "{}"}
    detail["rrsa_config"] = {**detail["rrsa_config"], "enable": True}
    assert unknown_keys(cs.DescribeClusterDetailResponseBody, detail) == [
        ".rrsa_config.enable",
        ".master_urls",
    ]
    body = security_group("sg-1", [{**permission("TCP", "22/22"), "SourceCidrIP": "0.0.0.0/0"}])
    assert unknown_keys(ecs.DescribeSecurityGroupAttributeResponseBody, body) == [
        ".Permissions.Permission[0].SourceCidrIP"
    ]


def test_the_world_refuses_a_misspelt_fixture(world: World) -> None:
    with pytest.raises(AssertionError, match="Ipv6SourceCidr"):
        world.add_security_group(
            "cn-hangzhou",
            security_group("sg-x", [{**permission("TCP", "22/22"), "Ipv6SourceCidr": "::/0"}]),
        )
