"""Microsoft Sentinel: ``sentinel://DCE-HOST?dcr=IMMUTABLE_ID&stream=Custom-NAME``.

Rows go through the Azure Monitor Logs Ingestion API (a data collection endpoint, a data
collection rule and its stream: the path Sentinel uses now that the HTTP Data Collector API is
being retired), with the azure-monitor-ingestion client. The client splits rows into gzip
chunks of at most 1 MB; a chunk the service refuses is reported back with its rows, so only
those rows stay queued. deploy/sentinel/ holds the custom table and DCR template whose stream
declaration matches :func:`sentinel_row`.

Authentication: DefaultAzureCredential (workload identity, managed identity, environment,
Azure CLI), which needs the "Monitoring Metrics Publisher" role on the DCR.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from cloudposture.model import ConfigurationError, Finding, ScanInfo
from cloudposture.model.events import OutboxEvent
from cloudposture.reporters.ocsf import ocsf_event
from cloudposture.sinks.base import DeliveryResult, OcsfSink
from cloudposture.sinks.url import SinkUrl

OPTIONS = ("dcr", "stream", "ca_file", "ocsf_class")


def sentinel_row(finding: Finding, scan: ScanInfo, ocsf: dict[str, Any]) -> dict[str, Any]:
    """One row of the custom table: the columns KQL queries filter on, and the OCSF event."""
    res = finding.resource
    return {
        "TimeGenerated": finding.created_at.isoformat(),
        "EventId": ocsf["metadata"]["uid"],
        "FindingUid": finding.uid,
        "ScanId": finding.scan_id,
        "RuleId": finding.rule_id,
        "Title": finding.title,
        "Status": finding.status.value,
        "Severity": finding.severity.value,
        "CloudProvider": res.provider,
        "Account": res.account,
        "Region": res.region,
        "Cluster": res.cluster,
        "ResourceId": res.id,
        "Message": finding.message,
        "Ocsf": ocsf,
    }


class SentinelSink(OcsfSink):
    batch_size = 500

    def __init__(self, url: SinkUrl, credential: Any, **client_options: Any) -> None:
        url.check_options(OPTIONS)
        super().__init__(url)
        self.rule_id = url.option("dcr")
        self.stream = url.option("stream")
        if not self.rule_id or not self.stream.startswith("Custom-"):
            raise ConfigurationError(
                "sentinel sink needs dcr=IMMUTABLE_ID and stream=Custom-NAME "
                "(the DCR's immutableId and its stream declaration)"
            )
        endpoint = f"https://{url.netloc}"
        ca_file = url.file_option("ca_file")
        if ca_file is not None:
            client_options.setdefault("connection_verify", ca_file)
        self._client_args = (endpoint, credential, client_options)
        self._client: Any = None

    def encode(self, finding: Finding, scan: ScanInfo) -> str:
        row = sentinel_row(finding, scan, ocsf_event(finding, scan, self.ocsf_class))
        return json.dumps(row, sort_keys=True)

    def deliver(self, events: Sequence[OutboxEvent]) -> DeliveryResult:
        from azure.core.exceptions import AzureError
        from azure.monitor.ingestion import LogsUploadError

        rows = [json.loads(e.payload) for e in events]
        refused: dict[str, str] = {}

        def on_error(error: LogsUploadError) -> None:
            reason = f"Logs Ingestion refused a chunk: {_one_line(error.error)}"
            refused.update({row["EventId"]: reason for row in error.failed_logs})

        try:
            self._ingestion().upload(
                rule_id=self.rule_id, stream_name=self.stream, logs=rows, on_error=on_error
            )
        except AzureError as err:
            return DeliveryResult.all_failed(events, f"Logs Ingestion: {_one_line(err)}")
        acked = frozenset(e.event_id for e in events if e.event_id not in refused)
        return DeliveryResult(acked=acked, failed=refused)

    def _ingestion(self) -> Any:
        if self._client is None:
            from azure.monitor.ingestion import LogsIngestionClient

            endpoint, credential, options = self._client_args
            self._client = LogsIngestionClient(endpoint, credential, **options)
        return self._client


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())[:300]


def sentinel_sink(url: SinkUrl) -> SentinelSink:
    """Entry point ``sentinel``: DefaultAzureCredential, built when the sink is."""
    from azure.identity import DefaultAzureCredential

    return SentinelSink(url, DefaultAzureCredential())
