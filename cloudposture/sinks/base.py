"""Shared plumbing for the core's URL sinks (name, ``status=`` filter, secrets, OCSF payload).

The sink interface itself is :mod:`cloudposture.sinks.interface` (re-exported here for the
sinks that import it from this module).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from cloudposture.model import Finding, ScanInfo, Status
from cloudposture.reporters.ocsf import OcsfClass, ocsf_class_of, ocsf_event
from cloudposture.sinks.interface import DeliveryError, DeliveryResult, Sink, SinkFactory
from cloudposture.sinks.url import SinkUrl

__all__ = ["DeliveryError", "DeliveryResult", "OcsfSink", "Sink", "SinkFactory", "UrlSink"]


class UrlSink:
    """Shared plumbing for sinks built from a URL: name, ``status=`` filter, secrets."""

    batch_size = 100

    def __init__(self, url: SinkUrl, secrets: Iterable[str | None] = ()) -> None:
        self.name = url.canonical()
        self.secrets = tuple(s for s in secrets if s)
        self._statuses: frozenset[Status] = url.statuses()

    def accepts(self, finding: Finding) -> bool:
        return finding.status in self._statuses


class OcsfSink(UrlSink):
    """A sink whose payload is the OCSF event as compact JSON (``ocsf_class=`` option)."""

    def __init__(self, url: SinkUrl, secrets: Iterable[str | None] = ()) -> None:
        super().__init__(url, secrets)
        self.ocsf_class: OcsfClass = ocsf_class_of(url.option("ocsf_class", "compliance"))

    def encode(self, finding: Finding, scan: ScanInfo) -> str:
        return json.dumps(ocsf_event(finding, scan, self.ocsf_class), sort_keys=True)
