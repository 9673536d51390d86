"""The object registered under ``cloudposture.providers`` as ``aws``.

Cheap to import on purpose: boto3 and botocore are imported only inside :meth:`scanners` and
:meth:`demo`, so ``cloudposture --help`` never pays for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from cloudposture.plugin.interface import OcsfCloud, Permissions, ProviderPlugin, ScanUnit
from cloudposture.rules.base import ProviderGuidance
from cloudposture_aws import config
from cloudposture_aws.guidance import GUIDANCE, NOT_APPLICABLE
from cloudposture_aws.permissions import ACTIONS

if TYPE_CHECKING:
    from cloudposture.plugin import ProviderScanner


class AwsPlugin(ProviderPlugin):
    name = "aws"
    summary = "Amazon EKS: clusters, node groups, security groups, IAM roles and KMS keys"
    title = "AWS (EKS)"
    guidance: Mapping[str, ProviderGuidance] = GUIDANCE
    """Per-rule evidence source, fix and benchmark references (see guidance.py)."""
    not_applicable: Mapping[str, str] = NOT_APPLICABLE
    sdk_loggers = ("botocore", "boto3", "urllib3", "werkzeug", "moto")
    ocsf = OcsfCloud("AWS", 10, "AWS Account", "AWS::EKS::Cluster")
    permissions = Permissions(
        calls={action: (action,) for action in ACTIONS}, document="aws-readonly-policy.json"
    )
    target_model = config.AwsTarget
    settings_model = config.AwsSettings
    config_example = config.EXAMPLE

    def scanners(self, settings: Mapping[str, Any], max_workers: int) -> Sequence[ProviderScanner]:
        from cloudposture_aws.adapter import EksScanner
        from cloudposture_aws.clients import AwsSettings, ClientFactory, base_session

        aws = AwsSettings.from_mapping(settings)
        clients = ClientFactory(base_session(aws), aws, max_workers)
        from cloudposture_aws.organizations import OrganizationSettings, organization_scanners

        org = OrganizationSettings.from_mapping(settings)  # config file: organization fan-out
        if org is not None:
            return organization_scanners(aws, org, clients)
        return [EksScanner(aws, clients)]

    def scan_units(
        self, entry: BaseModel, origin: str, default_regions: tuple[str, ...]
    ) -> list[ScanUnit]:
        assert isinstance(entry, config.AwsTarget)
        return config.aws_units(entry, origin, default_regions)

    def demo(self) -> AbstractContextManager[dict[str, Any]]:
        """A seeded local EKS emulator and the settings that scan it (needs the demo extra)."""
        from cloudposture_aws.demo import demo_environment

        return demo_environment()


plugin = AwsPlugin()
