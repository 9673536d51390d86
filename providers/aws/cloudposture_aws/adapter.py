"""The EKS :class:`ProviderScanner`: targets, discovery and collection (I/O only).

Targets are account x region; discovery lists clusters; collection describes one cluster and
hands the rest to :class:`ClusterCollector`. All three may run on the engine's worker threads:
the only shared state is the client factory and the per-scan lookups, both thread-safe.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from botocore.exceptions import BotoCoreError, ClientError

from cloudposture.model import ClusterPosture, ClusterRef, CollectionFailure
from cloudposture.plugin import Target
from cloudposture_aws.clients import AwsSettings, ClientFactory
from cloudposture_aws.collector import ClusterCollector
from cloudposture_aws.errors import (
    failing_as,
    setup_error,
    setup_failure,
    to_collection_error,
)
from cloudposture_aws.lookups import ACCOUNT_IAM_AFTER, AwsLookups

PROVIDER = "aws"


def utc_today() -> date:
    return datetime.now(UTC).date()


class EksScanner:
    """Scans EKS for one set of credentials (a profile, keys, or an assumed role)."""

    name = PROVIDER

    def __init__(
        self,
        settings: AwsSettings,
        clients: ClientFactory,
        today: Callable[[], date] = utc_today,
        account_iam_after: int = ACCOUNT_IAM_AFTER,
    ) -> None:
        self.settings = settings
        self.account_iam_after = account_iam_after
        """More clusters than this: IAM is read account-wide (see lookups.ACCOUNT_IAM_AFTER)."""
        self.label = settings.role_arn or settings.profile or "default credentials"
        self.base_clients = clients
        self._today = today
        self._lock = threading.Lock()
        self._lookups: AwsLookups | None = None
        self._account = ""

    @property
    def lookups(self) -> AwsLookups:
        """The active credentials' lookups (after role assumption, if any)."""
        with self._lock:
            if self._lookups is None:
                clients = self.base_clients
                if self.settings.role_arn:
                    clients = clients.assume_role(self.settings.role_arn, self.settings.external_id)
                self._lookups = AwsLookups(clients, self.account_iam_after)
            return self._lookups

    @property
    def clients(self) -> ClientFactory:
        return self.lookups.clients

    def targets(self) -> Sequence[Target]:
        clients = self.clients
        clients.credentials()  # a broken credential source fails here, as a ConfigurationError
        try:
            self._account = clients.client("sts").get_caller_identity()["Account"]
        except (ClientError, BotoCoreError, ValueError) as exc:
            known = setup_error(exc)
            if known is not None:
                raise known from None
            raise CollectionFailure(to_collection_error(exc, "sts:GetCallerIdentity")) from None
        regions = self.settings.regions or self._enabled_regions()
        return [Target(provider=PROVIDER, account=self._account, region=r) for r in regions]

    def _enabled_regions(self) -> tuple[str, ...]:
        """ec2:DescribeRegions without AllRegions: only regions enabled for the account."""
        try:
            answer = self.clients.client("ec2").describe_regions()
        except (ClientError, BotoCoreError) as exc:
            what = "cannot list the account's regions (pass --region)"
            raise setup_failure(exc, what, "ec2:DescribeRegions") from None
        return tuple(sorted(r["RegionName"] for r in answer["Regions"]))

    def discover(self, target: Target) -> Sequence[ClusterRef]:
        eks = self.clients.client("eks", target.region)
        with failing_as("eks:ListClusters", f"{target.account}/{target.region}"):
            pages = eks.get_paginator("list_clusters").paginate()
            names = [name for page in pages for name in page["clusters"]]
        partition = _partition(self.clients, target.region)
        self.lookups.clusters_found(len(names))
        return [
            ClusterRef(
                provider=PROVIDER,
                account=target.account,
                region=target.region,
                name=name,
                native_id=f"arn:{partition}:eks:{target.region}:{target.account}:cluster/{name}",
            )
            for name in names
        ]

    def collect(self, ref: ClusterRef) -> ClusterPosture:
        eks = self.clients.client("eks", ref.region)
        with failing_as("eks:DescribeCluster", ref.native_id):
            cluster = eks.describe_cluster(name=ref.name)["cluster"]
        ref = ref.model_copy(
            update={
                "native_id": cluster.get("arn") or ref.native_id,
                "tags": dict(cluster.get("tags") or {}),
            }
        )
        return ClusterCollector(self.lookups, ref, cluster, self._today()).posture()


def _partition(clients: ClientFactory, region: str) -> str:
    try:
        return str(clients.session.get_partition_for_region(region))
    except Exception:  # noqa: BLE001 - an unknown region name is still in the aws partition
        return "aws"
