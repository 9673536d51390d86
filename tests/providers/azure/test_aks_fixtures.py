"""The fake itself is honest: it rejects unknown fixture keys and wrong api-versions."""

from __future__ import annotations

import pytest
from azure.mgmt.containerservice import models as cs_models
from azure.mgmt.monitor.v2021_05_01_preview import models as mon_models

from tests.providers.azure.aks_clients import make_scanner
from tests.providers.azure.aks_fake import FakeArm
from tests.providers.azure.aks_strict import unknown_keys
from tests.providers.azure.aks_world import CS, SUB, cluster, diagnostic


def test_a_misspelt_key_in_a_new_generation_model_is_caught() -> None:
    body = cluster("c")
    body["properties"]["agentPoolProfiles"][0]["enableNodePublicIp"] = True
    assert unknown_keys(cs_models.ManagedCluster, body) == [
        ".properties.agentPoolProfiles[0].enableNodePublicIp"
    ]
    assert unknown_keys(cs_models.ManagedCluster, cluster("c")) == []


def test_a_misspelt_key_in_an_msrest_model_is_caught() -> None:
    body = diagnostic("d", "/subscriptions/s", [{"category": "kube-audit"}], workspaceId="w")
    assert unknown_keys(mon_models.DiagnosticSettingsResource, body) == []
    body["properties"]["logs"][0]["categry"] = "x"
    assert unknown_keys(mon_models.DiagnosticSettingsResource, body) == [
        ".properties.logs[0].categry"
    ]


def test_the_fake_refuses_to_register_an_unknown_key(fake: FakeArm) -> None:
    body = cluster("c")
    body["properties"]["privateCluster"] = True
    with pytest.raises(AssertionError, match="privateCluster"):
        fake.add_list("/x", CS, [body], cs_models.ManagedCluster)


def test_a_wrong_api_version_is_recorded(fake: FakeArm) -> None:
    listed = f"/subscriptions/{SUB}/providers/Microsoft.ContainerService/managedClusters"
    fake.add_list(listed, "2019-01-01", [])
    scanner = make_scanner(fake, (SUB,))
    with pytest.raises(Exception, match="InvalidApiVersionParameter"):
        scanner.discover(scanner.targets()[0])
    assert fake.problems == [f"{listed.lower()}: api-version {CS}"]
