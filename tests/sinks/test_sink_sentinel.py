"""The Sentinel sink: the real azure-monitor-ingestion client against a local HTTPS fake of the
Logs Ingestion endpoint (a throwaway CA, since the SDK refuses bearer tokens over http)."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path
from typing import Any

import pytest
import trustme
from azure.core.credentials import AccessToken
from cloudposture_azure.sinks.sentinel import SentinelSink

from cloudposture.model import ScanResult
from cloudposture.model.events import event_id
from cloudposture.outbox.outbox import build_events, utcnow
from cloudposture.sinks.registry import sink_from_url
from cloudposture.sinks.url import SinkUrl
from tests.sinks.receivers import HttpReceiver, Request, server_context

pytestmark = pytest.mark.slow
DCR = "dcr-0123456789abcdef0123456789abcdef"
STREAM = "Custom-CloudPosture"
TEMPLATE = Path(__file__).parents[2] / "deploy" / "sentinel" / "cloudposture-dcr.json"


class FakeCredential:
    """A TokenCredential: the SDK asks it for a token for the monitor scope."""

    def __init__(self) -> None:
        self.scopes: list[tuple[str, ...]] = []

    def get_token(self, *scopes: str, **_: Any) -> AccessToken:
        self.scopes.append(scopes)
        return AccessToken("fake-entra-token", int(time.time()) + 3600)


def stream_columns() -> dict[str, str]:
    template = json.loads(TEMPLATE.read_text())
    return {c["name"]: c["type"] for c in template["variables"]["columns"]}


def rows_of(req: Request) -> list[dict[str, Any]]:
    assert req.headers["Content-Encoding"] == "gzip"
    rows = json.loads(gzip.decompress(req.body))
    assert isinstance(rows, list)
    return rows


def make_sink(port: int, ca_file: Path, credential: FakeCredential) -> SentinelSink:
    url = SinkUrl.parse(f"sentinel://127.0.0.1:{port}?dcr={DCR}&stream={STREAM}&ca_file={ca_file}")
    return SentinelSink(url, credential, retry_total=0)


def test_rows_match_the_shipped_dcr_stream_and_arrive_authenticated(
    result: ScanResult, ca: trustme.CA, ca_file: Path
) -> None:
    endpoint = HttpReceiver(lambda _: (204, b""), tls=server_context(ca))
    credential = FakeCredential()
    try:
        sink = make_sink(endpoint.port, ca_file, credential)
        events = build_events(result, sink, utcnow())
        outcome = sink.deliver(events)
    finally:
        endpoint.stop()
    assert outcome.failed == {}
    assert outcome.acked == {event_id(f.uid, f.status, f.scan_id) for f in result.findings}
    (req,) = endpoint.requests
    assert req.path == f"/dataCollectionRules/{DCR}/streams/{STREAM}?api-version=2023-01-01"
    assert req.headers["Authorization"] == "Bearer fake-entra-token"
    assert credential.scopes == [("https://monitor.azure.com/.default",)]
    rows = rows_of(req)
    columns = stream_columns()
    assert [set(r) for r in rows] == [set(columns)] * len(result.findings)
    assert [r["FindingUid"] for r in rows] == [f.uid for f in result.findings]
    assert rows[0]["Ocsf"]["class_uid"] == 2003
    assert rows[0]["TimeGenerated"] == "2024-05-01T02:00:30+00:00"
    assert {k: type(v).__name__ for k, v in rows[0].items() if columns[k] == "string"} == {
        k: "str" for k, t in columns.items() if t == "string"
    }


def test_a_refused_chunk_stays_queued(result: ScanResult, ca: trustme.CA, ca_file: Path) -> None:
    endpoint = HttpReceiver(
        lambda _: (400, b'{"error":{"code":"InvalidStream","message":"stream not found"}}'),
        tls=server_context(ca),
    )
    try:
        sink = make_sink(endpoint.port, ca_file, FakeCredential())
        outcome = sink.deliver(build_events(result, sink, utcnow()))
    finally:
        endpoint.stop()
    assert outcome.acked == frozenset()
    assert len(outcome.failed) == len(result.findings)
    assert all(
        r.startswith("Logs Ingestion refused a chunk:") and "InvalidStream" in r
        for r in outcome.failed.values()
    )


def test_endpoint_down_fails_every_row(result: ScanResult, ca_file: Path) -> None:
    endpoint = HttpReceiver()
    port = endpoint.port
    endpoint.stop()
    sink = make_sink(port, ca_file, FakeCredential())
    outcome = sink.deliver(build_events(result, sink, utcnow()))
    assert outcome.acked == frozenset()
    assert len(outcome.failed) == len(result.findings)


def test_url_needs_the_dcr_and_a_custom_stream() -> None:
    from cloudposture.model import ConfigurationError

    with pytest.raises(ConfigurationError, match="dcr=IMMUTABLE_ID and stream=Custom-NAME"):
        sink_from_url("sentinel://dce.westeurope-1.ingest.monitor.azure.com?dcr=x&stream=Plain")
    sink = sink_from_url(
        f"sentinel://dce.westeurope-1.ingest.monitor.azure.com?dcr={DCR}&stream={STREAM}"
    )
    assert sink.name.startswith("sentinel://dce.westeurope-1.ingest.monitor.azure.com?")


def test_template_wires_the_stream_to_the_table() -> None:
    template = json.loads(TEMPLATE.read_text())
    dcr = next(r for r in template["resources"] if r["type"].endswith("dataCollectionRules"))
    assert list(dcr["properties"]["streamDeclarations"]) == [STREAM]
    assert template["variables"]["streamName"] == STREAM
    (flow,) = dcr["properties"]["dataFlows"]
    assert flow["outputStream"] == "[concat('Custom-', variables('tableName'))]"
    assert template["variables"]["tableName"] == "CloudPosture_CL"
