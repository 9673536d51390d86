"""OCI SDK failures -> CollectionError data (one line, no traceback, no secrets).

OCI answers "you may not see this" and "this does not exist" with the same
``404 NotAuthorizedOrNotFound``, on purpose; it is reported as ``denied`` (the usual cause in
a scan that found the resource through a listing) with the code kept verbatim so a reader
can tell. Messages are the service's own ``message`` only: the SDK's long troubleshooting
text and request endpoints are left out.
"""

from __future__ import annotations

from collections.abc import Sequence

import oci
import requests

from cloudposture.model import CollectionError, ErrorKind


class VaultNotFound(Exception):
    """No vault visible to the scan holds the cluster's key (its management endpoint, which
    key reads need, is therefore unknown)."""

    def __init__(self, key_id: str) -> None:
        super().__init__(
            f"no vault in the scanned compartments matches key {key_id} (kms:ListVaults)"
        )


CAUGHT: tuple[type[BaseException], ...] = (
    VaultNotFound,
    oci.exceptions.ServiceError,
    oci.exceptions.RequestException,
    oci.exceptions.ConnectTimeout,
    oci.exceptions.ClientError,
    requests.RequestException,
)
"""What an adapter call may raise that is the cloud's answer rather than a bug."""

_BY_CODE: dict[str, ErrorKind] = {
    "NotAuthorizedOrNotFound": "denied",
    "NotAuthenticated": "denied",
    "NotAuthorized": "denied",
    "Forbidden": "denied",
    "TooManyRequests": "throttled",
    "NotFound": "not-found",
    "InvalidParameter": "invalid",
    "MissingParameter": "invalid",
}


def to_collection_error(
    exc: BaseException, call: str, resource: str, affects: Sequence[str] = ()
) -> CollectionError:
    return CollectionError(
        call=call,
        kind=classify(exc),
        code=_code(exc),
        message=_message(exc),
        resource=resource,
        affects=list(affects),
    )


def classify(exc: BaseException) -> ErrorKind:
    if isinstance(exc, oci.exceptions.ServiceError):
        kind = _BY_CODE.get(str(exc.code))
        if kind is not None:
            return kind
        status = int(exc.status or 0)
        if status in (401, 403):
            return "denied"
        if status == 429:
            return "throttled"
        if status == 404:
            return "not-found"
        if status >= 500 or status == 0:
            return "unavailable"
        return "invalid" if status == 400 else "other"
    if isinstance(exc, VaultNotFound):
        return "not-found"
    if isinstance(exc, oci.exceptions.ConnectTimeout | requests.Timeout):
        return "timeout"
    if isinstance(exc, oci.exceptions.RequestException | requests.RequestException):
        return "unavailable"
    if isinstance(exc, oci.exceptions.ClientError):
        return "denied"
    return "other"


def _code(exc: BaseException) -> str:
    if isinstance(exc, oci.exceptions.ServiceError):
        return " ".join(p for p in (str(exc.status or ""), str(exc.code or "")) if p)
    return type(exc).__name__


def _message(exc: BaseException) -> str:
    text = str(exc.message or "") if isinstance(exc, oci.exceptions.ServiceError) else str(exc)
    return " ".join(text.split())[:300]
