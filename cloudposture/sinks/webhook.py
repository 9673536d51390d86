"""Generic webhook: ``webhook+https://HOST/PATH?secret_env=VAR`` posts JSON batches.

Body: ``{"events": [<OCSF event>, ...]}``; each event's ``metadata.uid`` is its stable event id.
With a secret, every request is signed so the receiver can check it came from this scanner
and is fresh (the Stripe / GitHub pattern)::

    X-Cloudposture-Timestamp: <unix seconds>
    X-Cloudposture-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>

``token_env=`` adds ``Authorization: Bearer <token>`` for receivers that want a bearer token.
Any 2xx reply acknowledges the whole batch.

Some receivers (Slack, Teams, Discord incoming webhooks) put the secret in the URL's path.
The sink's URL is its name in messages and the outbox key, so such a path is passed by
reference, ``webhook+https://hooks.slack.com?path_env=VAR`` (or ``path_file=``), and a path
written out in the URL that looks like a token is refused, as ``token=`` is.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Sequence

from cloudposture import __version__
from cloudposture.model import ConfigurationError
from cloudposture.model.events import OutboxEvent
from cloudposture.sinks.base import DeliveryError, DeliveryResult, OcsfSink
from cloudposture.sinks.http import HttpTarget
from cloudposture.sinks.url import SinkUrl

SIGNATURE_HEADER = "X-Cloudposture-Signature"
TIMESTAMP_HEADER = "X-Cloudposture-Timestamp"
OPTIONS = (
    "secret_env",
    "secret_file",
    "token_env",
    "token_file",
    "ca_file",
    "timeout",
    "ocsf_class",
    "path_env",
    "path_file",
)
_TOKEN_LIKE = re.compile(r"(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9_\-@]{16,}")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The value of the signature header for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class WebhookSink(OcsfSink):
    def __init__(self, url: SinkUrl, *, tls: bool) -> None:
        url.check_options(OPTIONS)
        self._secret = url.optional_secret("secret")
        self._token = url.optional_secret("token")
        secret_path = url.optional_secret("path")
        _check_path(url, secret_path)
        super().__init__(url, [self._secret, self._token, secret_path])
        self._target = HttpTarget.from_url(url, tls=tls, default_port=443 if tls else 80)
        self._path = secret_path or url.path or "/"
        if not self._path.startswith("/"):
            self._path = "/" + self._path

    def deliver(self, events: Sequence[OutboxEvent]) -> DeliveryResult:
        body = ('{"events": [' + ", ".join(e.payload for e in events) + "]}").encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"cloudposture/{__version__}",
        }
        if self._secret is not None:
            stamp = str(int(time.time()))
            headers[TIMESTAMP_HEADER] = stamp
            headers[SIGNATURE_HEADER] = signature(self._secret, stamp, body)
        if self._token is not None:
            headers["Authorization"] = f"Bearer {self._token}"
        try:
            reply = self._target.post(self._path, body, headers)
        except DeliveryError as err:
            return DeliveryResult.all_failed(events, str(err))
        if not reply.ok:
            return DeliveryResult.all_failed(
                events,
                f"webhook replied {reply.status}: {reply.snippet(self.secrets) or 'no body'}",
            )
        return DeliveryResult.all_acked(events)


def _check_path(url: SinkUrl, secret_path: str | None) -> None:
    """One place for the path; none of it that looks like a token written in clear."""
    if secret_path is not None and url.path.strip("/"):
        raise ConfigurationError(
            f"{url.scheme} sink: give the path in the URL or by path_env/path_file, not both"
        )
    if any(_TOKEN_LIKE.fullmatch(part) for part in url.path.split("/")):
        raise ConfigurationError(
            f"{url.scheme} sink URL for {url.host} has what looks like a secret in its path: "
            "pass the path with path_env=VARIABLE or path_file=PATH instead, so it stays out "
            "of logs, history and the state database"
        )


def webhook_https(url: SinkUrl) -> WebhookSink:
    return WebhookSink(url, tls=True)


def webhook_http(url: SinkUrl) -> WebhookSink:
    return WebhookSink(url, tls=False)
