"""Splunk HTTP Event Collector: ``splunk+https://HOST:PORT?token_env=VAR&index=I&sourcetype=S``.

Events go in batches of HEC envelopes (one JSON object per event, concatenated) to
``/services/collector/event`` with ``Authorization: Splunk <token>``. A batch counts as
delivered only on Splunk's success reply (HTTP 200, ``code`` 0). With ``ack=true`` (a token
with indexer acknowledgement enabled) it counts only once Splunk says the batch was *indexed*:
the sink polls ``/services/collector/ack`` on its channel until then, or until ``ack_timeout``
seconds pass, after which the batch stays queued (a redelivery is harmless: every event carries
its stable id in ``metadata.uid``).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from typing import Any

from cloudposture.model import Finding, ScanInfo
from cloudposture.model.events import OutboxEvent
from cloudposture.sinks.base import DeliveryError, DeliveryResult, OcsfSink
from cloudposture.sinks.http import HttpReply, HttpTarget
from cloudposture.sinks.url import SinkUrl, clip

EVENT_PATH = "/services/collector/event"
ACK_PATH = "/services/collector/ack"
OPTIONS = (
    "token_env",
    "token_file",
    "index",
    "source",
    "sourcetype",
    "host",
    "ack",
    "ack_timeout",
    "ca_file",
    "timeout",
    "ocsf_class",
)


class SplunkHecSink(OcsfSink):
    def __init__(self, url: SinkUrl, *, tls: bool) -> None:
        url.check_options(OPTIONS)
        self._token = url.required_secret("token")
        super().__init__(url, [self._token])
        self._target = HttpTarget.from_url(url, tls=tls, default_port=8088)
        self._path = url.path.rstrip("/") or EVENT_PATH
        self._fields = {
            key: url.option(key)
            for key in ("index", "source", "sourcetype", "host")
            if url.option(key)
        }
        self._fields.setdefault("source", "cloudposture")
        self._fields.setdefault("sourcetype", f"cloudposture:ocsf:{self.ocsf_class}")
        self._ack = url.flag("ack")
        self._ack_timeout = url.number("ack_timeout", 30.0)
        self._channel = str(uuid.uuid4())

    def encode(self, finding: Finding, scan: ScanInfo) -> str:
        envelope: dict[str, Any] = {
            "time": round(finding.created_at.timestamp(), 3),
            **self._fields,
            "event": json.loads(super().encode(finding, scan)),
        }
        return json.dumps(envelope, sort_keys=True)

    def deliver(self, events: Sequence[OutboxEvent]) -> DeliveryResult:
        body = "\n".join(e.payload for e in events).encode()
        try:
            reply = self._target.post(self._path, body, self._headers())
            ack_id = _success(reply, self.secrets)
            if self._ack:
                self._wait_for_ack(ack_id)
        except DeliveryError as err:
            return DeliveryResult.all_failed(events, clip(str(err), self.secrets))
        return DeliveryResult.all_acked(events)

    def _headers(self) -> dict[str, str]:
        headers = {
            "Authorization": f"Splunk {self._token}",
            "Content-Type": "application/json",
        }
        if self._ack:
            headers["X-Splunk-Request-Channel"] = self._channel
        return headers

    def _wait_for_ack(self, ack_id: int | None) -> None:
        if ack_id is None:
            raise DeliveryError(
                "ack=true but HEC returned no ackId: enable indexer acknowledgement on the token"
            )
        deadline = time.monotonic() + self._ack_timeout
        pause = 0.2
        body = json.dumps({"acks": [ack_id]}).encode()
        while True:
            reply = self._target.post(f"{ACK_PATH}?channel={self._channel}", body, self._headers())
            if not reply.ok:
                raise DeliveryError(
                    f"HEC ack query replied {reply.status}: {reply.snippet(self.secrets)}"
                )
            if _parse(reply).get("acks", {}).get(str(ack_id)) is True:
                return
            if time.monotonic() + pause > deadline:
                raise DeliveryError(
                    f"HEC accepted the batch but did not confirm indexing within "
                    f"{self._ack_timeout:g}s (ackId {ack_id}); it stays queued"
                )
            time.sleep(pause)
            pause = min(pause * 2, 2.0)


def _parse(reply: HttpReply) -> dict[str, Any]:
    try:
        parsed = json.loads(reply.body or b"{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _success(reply: HttpReply, secrets: Sequence[str]) -> int | None:
    """The ackId of a success reply; a DeliveryError quoting Splunk's text otherwise."""
    parsed = _parse(reply)
    if reply.status == 200 and parsed.get("code") == 0:
        ack = parsed.get("ackId")
        return ack if isinstance(ack, int) else None
    text = clip(str(parsed.get("text") or ""), secrets) or reply.snippet(secrets) or "no body"
    code = f", code {parsed['code']}" if "code" in parsed else ""
    raise DeliveryError(f"HEC replied {reply.status}: {text}{code}")


def splunk_https(url: SinkUrl) -> SplunkHecSink:
    return SplunkHecSink(url, tls=True)


def splunk_http(url: SinkUrl) -> SplunkHecSink:
    return SplunkHecSink(url, tls=False)
