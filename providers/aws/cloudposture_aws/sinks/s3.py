"""Object-storage drop: ``s3://BUCKET/PREFIX`` writes OCSF events as NDJSON objects.

For security lakes that pick files up from a bucket. One object per batch, under
``PREFIX/YYYY/MM/DD/cloudposture-<hash of the batch's event ids>.ndjson``: a batch that is
redelivered (the PUT's reply was lost) overwrites its own object instead of adding a copy.
PutObject's success reply is the acknowledgement.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from cloudposture.model.events import OutboxEvent
from cloudposture.sinks.base import DeliveryResult, OcsfSink
from cloudposture.sinks.url import SinkUrl
from cloudposture_aws.sinks.aws_url import AWS_OPTIONS, client_factory

OPTIONS = (*AWS_OPTIONS, "region", "ocsf_class")


def object_key(prefix: str, events: Sequence[OutboxEvent], day: datetime) -> str:
    digest = hashlib.sha256("\n".join(sorted(e.event_id for e in events)).encode()).hexdigest()
    folder = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
    return f"{folder}{day:%Y/%m/%d}/cloudposture-{digest[:24]}.ndjson"


class S3Sink(OcsfSink):
    batch_size = 500

    def __init__(self, url: SinkUrl, client_factory: Callable[[], Any]) -> None:
        url.check_options(OPTIONS)
        super().__init__(url)
        self.bucket = url.host
        self.prefix = url.path
        self._client_factory = client_factory
        self._client: Any = None

    def deliver(self, events: Sequence[OutboxEvent]) -> DeliveryResult:
        from botocore.exceptions import BotoCoreError, ClientError

        key = object_key(self.prefix, events, datetime.now(UTC))
        body = "".join(e.payload + "\n" for e in events).encode()
        try:
            if self._client is None:
                self._client = self._client_factory()
            self._client.put_object(
                Bucket=self.bucket, Key=key, Body=body, ContentType="application/x-ndjson"
            )
        except (BotoCoreError, ClientError) as err:
            return DeliveryResult.all_failed(events, f"PutObject s3://{self.bucket}/{key}: {err}")
        return DeliveryResult.all_acked(events)


def s3_sink(url: SinkUrl) -> S3Sink:
    """Entry point ``s3``: the client is built on first delivery."""
    return S3Sink(url, client_factory("s3", url, url.option("region") or None))
