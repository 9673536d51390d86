"""Syslog over TCP: ``syslog+tls://HOST:PORT?format=cef|json&ca_file=PATH``.

Messages are RFC 5424, framed by octet counting (RFC 5425: ``LEN SP MSG``), over TLS with
certificate and host name verification (``ca_file=`` for a private CA, ``cert_file=`` and
``key_file=`` for mutual TLS). ``syslog+tcp://`` is the same without TLS, for a collector on
loopback only.

Syslog has no application-level acknowledgement: a batch counts as delivered when every frame
was written into a verified TLS session without error. If the collector drops data after
that, nothing here can tell; collectors that must not lose data
should be fronted by HEC or a webhook. Every message carries its stable event id (CEF
``externalId`` / OCSF ``metadata.uid``) so a redelivery can be de-duplicated.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Mapping, Sequence

from cloudposture.model import Finding, ScanInfo, Severity, Status
from cloudposture.model.events import OutboxEvent
from cloudposture.sinks.base import DeliveryError, DeliveryResult, OcsfSink
from cloudposture.sinks.cef import cef_line
from cloudposture.sinks.http import DEFAULT_TIMEOUT, CallDeadline, tls_context
from cloudposture.sinks.url import SinkUrl

OPTIONS = (
    "format",
    "ca_file",
    "cert_file",
    "key_file",
    "facility",
    "app_name",
    "timeout",
    "ocsf_class",
)
FACILITIES: Mapping[str, int] = {
    "user": 1,
    "daemon": 3,
    "auth": 4,
    "authpriv": 10,
    "local0": 16,
    "local1": 17,
    "local2": 18,
    "local3": 19,
    "local4": 20,
    "local5": 21,
    "local6": 22,
    "local7": 23,
}
_SYSLOG_SEVERITY: Mapping[Severity, int] = {
    Severity.CRITICAL: 2,  # crit
    Severity.HIGH: 3,  # err
    Severity.MEDIUM: 4,  # warning
    Severity.LOW: 5,  # notice
    Severity.INFO: 6,  # info
}


def syslog_severity(finding: Finding) -> int:
    """A FAIL is as severe as its rule; an ERROR is a warning; the rest is informational."""
    if finding.status is Status.FAIL:
        return _SYSLOG_SEVERITY[finding.severity]
    return 4 if finding.status is Status.ERROR else 6


def frame(message: str) -> bytes:
    """RFC 5425 octet counting: the byte length, a space, the message."""
    data = message.encode("utf-8")
    return str(len(data)).encode() + b" " + data


class SyslogSink(OcsfSink):
    def __init__(self, url: SinkUrl, *, tls: bool) -> None:
        url.check_options(OPTIONS)
        super().__init__(url)
        self._format = url.choice("format", ("json", "cef"), "json")
        self._facility = FACILITIES[url.choice("facility", FACILITIES, "local0")]
        self._app = url.option("app_name", "cloudposture")
        self._host = url.host
        self._port = url.port if url.port is not None else (6514 if tls else 514)
        self._timeout = url.number("timeout", DEFAULT_TIMEOUT)
        self._tls: ssl.SSLContext | None = None
        if tls:
            self._tls = tls_context(
                url.file_option("ca_file"),
                url.file_option("cert_file"),
                url.file_option("key_file"),
            )
        else:
            url.require_loopback()
        self._hostname = socket.gethostname() or "-"

    def encode(self, finding: Finding, scan: ScanInfo) -> str:
        body = cef_line(finding, scan) if self._format == "cef" else super().encode(finding, scan)
        pri = self._facility * 8 + syslog_severity(finding)
        stamp = finding.created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        msgid = finding.rule_id[:32] or "-"
        return f"<{pri}>1 {stamp} {self._hostname[:255]} {self._app[:48]} - {msgid} - {body}"

    def deliver(self, events: Sequence[OutboxEvent]) -> DeliveryResult:
        try:
            self._send([frame(e.payload) for e in events])
        except DeliveryError as err:
            return DeliveryResult.all_failed(events, str(err))
        return DeliveryResult.all_acked(events)

    def _send(self, frames: Sequence[bytes]) -> None:
        where = f"{self._host}:{self._port}"
        try:
            raw = socket.create_connection((self._host, self._port), timeout=self._timeout)
        except OSError as err:
            raise DeliveryError(
                f"syslog connect to {where} failed: {err.strerror or err}"
            ) from None
        with CallDeadline(self._timeout, lambda: raw) as deadline:
            try:
                conn: socket.socket = raw
                if self._tls is not None:
                    conn = self._tls.wrap_socket(raw, server_hostname=self._host)
                for data in frames:
                    conn.sendall(data)
                if isinstance(conn, ssl.SSLSocket):
                    _close_politely(conn)
            except ssl.SSLCertVerificationError as err:
                raise DeliveryError(f"syslog TLS to {where}: {err.verify_message}") from None
            except (OSError, ssl.SSLError) as err:
                why = deadline.reason() or str(err)
                raise DeliveryError(f"syslog send to {where} failed: {why}") from None
            finally:
                raw.close()


def _close_politely(conn: ssl.SSLSocket) -> None:
    """Send TLS close_notify; a collector that just hangs up instead is not an error, since
    every frame was already written."""
    conn.settimeout(2.0)
    try:
        conn.unwrap()
    except (OSError, ssl.SSLError):
        return


def syslog_tls(url: SinkUrl) -> SyslogSink:
    return SyslogSink(url, tls=True)


def syslog_tcp(url: SinkUrl) -> SyslogSink:
    return SyslogSink(url, tls=False)
