"""AWS Security Hub: ``securityhub://REGION`` imports findings with BatchImportFindings.

Payload: ASFF (see cloudposture.reporters.asff): the ``Id`` is stable per (cluster, rule), so
each import updates the finding; a check that now passes (or is muted) is sent archived, which
is how a resolved finding leaves Security Hub's active view. Batches hold at most 100 findings
(the API's limit) and never the same ``Id`` twice, so two queued scans of one finding arrive
in order. Only AWS findings go here (Security Hub needs an AWS account for each).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from cloudposture.model import Finding, ScanInfo
from cloudposture.model.events import OutboxEvent
from cloudposture.reporters.asff import asff_finding
from cloudposture.sinks.base import DeliveryResult, UrlSink
from cloudposture.sinks.url import SinkUrl
from cloudposture_aws.sinks.aws_url import AWS_OPTIONS, client_factory

MAX_BATCH = 100


def unique_id_chunks(events: Sequence[OutboxEvent], size: int) -> Iterator[list[OutboxEvent]]:
    """Consecutive chunks of at most ``size`` with no ASFF Id repeated inside one chunk."""
    chunk: list[OutboxEvent] = []
    ids: set[str] = set()
    for event in events:
        finding_id = json.loads(event.payload)["Id"]
        if len(chunk) == size or finding_id in ids:
            yield chunk
            chunk, ids = [], set()
        chunk.append(event)
        ids.add(finding_id)
    if chunk:
        yield chunk


class SecurityHubSink(UrlSink):
    batch_size = MAX_BATCH

    def __init__(self, url: SinkUrl, client_factory: Callable[[], Any]) -> None:
        url.check_options(AWS_OPTIONS)
        super().__init__(url)
        self.region = url.host
        self._client_factory = client_factory
        self._client: Any = None

    def accepts(self, finding: Finding) -> bool:
        return finding.resource.provider == "aws" and super().accepts(finding)

    def encode(self, finding: Finding, scan: ScanInfo) -> str:
        return json.dumps(asff_finding(finding, region=self.region), sort_keys=True)

    def deliver(self, events: Sequence[OutboxEvent]) -> DeliveryResult:
        from botocore.exceptions import BotoCoreError, ClientError

        acked: set[str] = set()
        failed: dict[str, str] = {}
        for chunk in unique_id_chunks(events, MAX_BATCH):
            by_id = {json.loads(e.payload)["Id"]: e.event_id for e in chunk}
            try:
                reply = self._hub().batch_import_findings(
                    Findings=[json.loads(e.payload) for e in chunk]
                )
            except (BotoCoreError, ClientError) as err:
                failed.update({e.event_id: f"BatchImportFindings: {err}" for e in chunk})
                continue
            rejected = {
                item["Id"]: f"{item.get('ErrorCode', 'rejected')}: {item.get('ErrorMessage', '')}"
                for item in reply.get("FailedFindings", [])
            }
            for finding_id, eid in by_id.items():
                if finding_id in rejected:
                    failed[eid] = f"Security Hub rejected {finding_id}: {rejected[finding_id]}"
                else:
                    acked.add(eid)
        return DeliveryResult(acked=frozenset(acked), failed=failed)

    def _hub(self) -> Any:
        if self._client is None:
            self._client = self._client_factory()
        return self._client


def securityhub_sink(url: SinkUrl) -> SecurityHubSink:
    """Entry point ``securityhub``: the client is built on first delivery."""
    return SecurityHubSink(url, client_factory("securityhub", url, url.host))
