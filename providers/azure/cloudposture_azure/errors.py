"""Azure SDK exceptions as :class:`CollectionError` data.

A denied, throttled or failed ARM call must never turn into a PASS or a traceback: it becomes
one line naming the call, the ARM error code and the resource, plus the posture facts it left
unknown so the rules that needed them report ERROR with this reason.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ResourceNotFoundError,
    ServiceRequestError,
    ServiceRequestTimeoutError,
    ServiceResponseError,
    ServiceResponseTimeoutError,
)

from cloudposture.model import CollectionError, ErrorKind

_MAX_MESSAGE = 300

_DENIED_CODES = frozenset(
    {"AuthorizationFailed", "AuthenticationFailed", "InvalidAuthenticationToken", "Forbidden"}
)
_THROTTLED_CODES = frozenset({"TooManyRequests", "SubscriptionRequestsThrottled"})
_NOT_FOUND_CODES = frozenset(
    {"ResourceNotFound", "ResourceGroupNotFound", "NotFound", "SubscriptionNotFound"}
)


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _MAX_MESSAGE else line[: _MAX_MESSAGE - 3] + "..."


def _text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, default=str)


def _kind_of_status(status: int | None, code: str) -> ErrorKind:
    if code in _DENIED_CODES or status in (401, 403):
        return "denied"
    if code in _THROTTLED_CODES or status == 429:
        return "throttled"
    if code in _NOT_FOUND_CODES or status == 404:
        return "not-found"
    if status in (408, 504) or code in ("RequestTimeout", "GatewayTimeout"):
        return "timeout"
    if status is not None and status >= 500:
        return "unavailable"
    if status == 400:
        return "invalid"
    return "other"


_RETRY_POLICY_TIMEOUTS = dict.fromkeys(
    ("Response timeout", "Request timeout"),
    "no complete answer within the call deadline (CLOUDPOSTURE_CALL_DEADLINE), every attempt "
    "and retry wait together",
)
"""What azure-core's RetryPolicy says when the call's whole deadline ran out, said plainly."""


def classify(exc: BaseException) -> tuple[ErrorKind, str, str]:
    """(kind, ARM error code, one-line message) for an Azure SDK exception."""
    if isinstance(exc, ServiceRequestTimeoutError | ServiceResponseTimeoutError):
        return "timeout", "", _RETRY_POLICY_TIMEOUTS.get(str(exc), _one_line(str(exc)))
    if isinstance(exc, ServiceRequestError | ServiceResponseError):
        return "unavailable", "", _one_line(str(exc))
    if isinstance(exc, HttpResponseError):
        status = exc.status_code
        code = ""
        message = exc.message or str(exc)
        if exc.error is not None:
            # ARM says code and message are strings; a proxy or an older service may send a
            # number or an object: keep them as text rather than failing on them.
            code = _text(exc.error.code)
            message = _text(exc.error.message) or message
        if not code and isinstance(exc, ResourceNotFoundError):
            code = "NotFound"
        if isinstance(exc, ClientAuthenticationError) and exc.response is None:
            return "denied", "CredentialUnavailable", _one_line(message)
        kind = _kind_of_status(status, code)
        return kind, code or (str(status) if status else ""), _one_line(message)
    return "other", type(exc).__name__, _one_line(str(exc))


def collection_error(
    exc: BaseException, call: str, resource: str, affects: Sequence[str]
) -> CollectionError:
    """The :class:`CollectionError` for ``exc`` raised by ``call`` while reading ``resource``."""
    kind, code, message = classify(exc)
    return CollectionError(
        call=call, kind=kind, code=code, message=message, resource=resource, affects=list(affects)
    )


AZURE_ERRORS: tuple[type[BaseException], ...] = (
    HttpResponseError,
    ServiceRequestError,
    ServiceResponseError,
)
"""What the adapter catches around an SDK call: every failure azure-core reports."""
