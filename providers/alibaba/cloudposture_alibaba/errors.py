"""Alibaba Cloud SDK failures -> CollectionError data (one line, no traceback, no secrets).

The SDK raises ``ClientException`` (4xx), ``ServerException`` (5xx) and
``ThrottlingException`` (all ``AlibabaCloudException``) with the API's error code, and wraps a
transport failure (refused, reset, timed out) in ``UnretryableException``. RAM denials carry
codes such as ``Forbidden.RAM``, ``NoPermission`` or ``Forbidden.NoPermission``; a bad or
expired key ``InvalidAccessKeyId.NotFound`` / ``SignatureDoesNotMatch`` /
``InvalidSecurityToken.Expired``.
"""

from __future__ import annotations

from collections.abc import Sequence

import requests
from alibabacloud_credentials.exceptions import CredentialException
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException, ThrottlingException
from darabonba.exceptions import RetryError
from Tea.exceptions import TeaException, UnretryableException

from cloudposture.model import CollectionError, ErrorKind

CAUGHT: tuple[type[BaseException], ...] = (TeaException, CredentialException, RetryError)
"""What an SDK call may raise that is the cloud's answer (or its absence) rather than a bug."""

_DENIED_PREFIXES = (
    "Forbidden",
    "NoPermission",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidSecurityToken",
    "IncompleteSignature",
    "EntityNotExist.Role",  # AssumeRole on a role that does not exist or does not trust us
    "StatusForbidden",
    "ErrorCheckAcl",
)
_MAX = 300


def to_collection_error(
    exc: BaseException, call: str, resource: str, affects: Sequence[str] = ()
) -> CollectionError:
    cause = _unwrap(exc)
    kind, code = classify(cause)
    return CollectionError(
        call=call,
        kind=kind,
        code=code,
        message=_message(cause),
        resource=resource,
        affects=list(affects),
    )


def classify(exc: BaseException) -> tuple[ErrorKind, str]:
    """(kind, the provider's error code) for an SDK failure."""
    if isinstance(exc, CredentialException):
        return "denied", str(getattr(exc, "code", "") or "CredentialUnavailable")
    if isinstance(exc, requests.Timeout):
        return "timeout", type(exc).__name__
    if isinstance(exc, requests.ConnectionError):
        return "unavailable", type(exc).__name__
    if isinstance(exc, RetryError):  # a transport failure known only by its text
        text = str(exc).lower()
        if "timed out" in text or "timeout" in text:
            return "timeout", "RetryError"
        return "unavailable", "RetryError"
    if not isinstance(exc, AlibabaCloudException):
        return "other", type(exc).__name__
    code = str(exc.code or "")
    status = exc.status_code
    if isinstance(exc, ThrottlingException) or "Throttling" in code or status == 429:
        return "throttled", code
    if code.startswith(_DENIED_PREFIXES) or status in (401, 403):
        return "denied", code
    if "NotFound" in code or "NotExist" in code or status == 404:
        return "not-found", code
    if status is not None and status >= 500:
        return "unavailable", code
    if status == 400:
        return "invalid", code
    return "other", code


def _unwrap(exc: BaseException) -> BaseException:
    """``UnretryableException`` wraps the transport error (or the credential failure); the
    transport layer wraps a requests error in darabonba's ``RetryError``, chained as its
    cause."""
    if isinstance(exc, UnretryableException) and isinstance(exc.inner_exception, BaseException):
        exc = exc.inner_exception
    seen = 0
    while isinstance(exc, RetryError) and seen < 5:
        cause = exc.__cause__ or exc.__context__
        if cause is None:
            break
        exc, seen = cause, seen + 1
    return exc


def _message(exc: BaseException) -> str:
    if isinstance(exc, AlibabaCloudException):
        # "code: 403, <Message> request id: <id>": the status and code are recorded apart.
        text = str(exc.message or "")
        _, sep, rest = text.partition(", ")
        text = rest if sep and text.startswith("code: ") else text
    elif isinstance(exc, TeaException):
        text = str(exc.message or exc.code or type(exc).__name__)
    else:
        text = str(exc) or type(exc).__name__
    line = " ".join(text.split())
    return line if len(line) <= _MAX else line[: _MAX - 3] + "..."
