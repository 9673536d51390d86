"""Google API failures -> CollectionError data (one line, no traceback, no secrets).

``api-disabled`` is told apart from ``denied``: both arrive as HTTP 403, but a disabled API
carries the ErrorInfo reason ``SERVICE_DISABLED`` (or, from older APIs such as Compute, an
``errors[].reason`` of ``accessNotConfigured``), and the fix is different (enable the API,
not grant a role).
"""

from __future__ import annotations

from collections.abc import Sequence

import requests
from google.api_core import exceptions as gexc
from google.auth import exceptions as auth_exc

from cloudposture.model import CollectionError, ErrorKind

_DISABLED_REASONS = {"SERVICE_DISABLED", "accessNotConfigured", "API_DISABLED"}
_KINDS: Sequence[tuple[type[BaseException], ErrorKind]] = (
    (gexc.Forbidden, "denied"),  # REST 403; gRPC's PermissionDenied is a subclass
    (gexc.Unauthorized, "denied"),
    (gexc.TooManyRequests, "throttled"),
    (gexc.ResourceExhausted, "throttled"),
    (gexc.NotFound, "not-found"),
    (gexc.DeadlineExceeded, "timeout"),
    (gexc.GatewayTimeout, "timeout"),
    (gexc.ServiceUnavailable, "unavailable"),
    (gexc.BadGateway, "unavailable"),
    (gexc.BadRequest, "invalid"),
    (gexc.FailedPrecondition, "invalid"),
    (auth_exc.RefreshError, "denied"),
    (auth_exc.DefaultCredentialsError, "denied"),
    (requests.Timeout, "timeout"),
    (requests.ConnectionError, "unavailable"),
)
CAUGHT: tuple[type[BaseException], ...] = (
    gexc.GoogleAPIError,
    auth_exc.GoogleAuthError,
    requests.RequestException,
)
"""What an adapter call may raise that is the cloud's answer rather than a bug."""


def to_collection_error(
    exc: BaseException, call: str, resource: str, affects: Sequence[str] = ()
) -> CollectionError:
    cause = _unwrap(exc)
    kind = classify(cause)
    return CollectionError(
        call=call,
        kind=kind,
        code=_code(cause),
        message=_message(cause, kind),
        resource=resource,
        affects=list(affects),
    )


def classify(exc: BaseException) -> ErrorKind:
    if is_api_disabled(exc):
        return "api-disabled"
    if isinstance(exc, gexc.RetryError):
        return "timeout"
    for klass, kind in _KINDS:
        if isinstance(exc, klass):
            return kind
    return "other"


def is_api_disabled(exc: BaseException) -> bool:
    if not isinstance(exc, gexc.GoogleAPICallError):
        return False
    if exc.reason in _DISABLED_REASONS:
        return True
    return any(
        isinstance(e, dict) and e.get("reason") in _DISABLED_REASONS for e in exc.errors or []
    )


def _unwrap(exc: BaseException) -> BaseException:
    """A RetryError (retries or deadline exhausted) wraps the last real failure."""
    if isinstance(exc, gexc.RetryError) and isinstance(exc.cause, BaseException):
        cause: BaseException = exc.cause
        return cause
    return exc


def _code(exc: BaseException) -> str:
    if isinstance(exc, gexc.GoogleAPICallError):
        status = exc.grpc_status_code.name if exc.grpc_status_code is not None else ""
        http = str(exc.code) if exc.code is not None else ""
        return " ".join(p for p in (http, exc.reason or status) if p)
    return type(exc).__name__


def _message(exc: BaseException, kind: ErrorKind) -> str:
    if isinstance(exc, gexc.GoogleAPICallError):
        text = exc.message or ""
        # api_core prefixes "GET https://...: "; the call and resource already say where.
        _, sep, rest = text.partition(": ")
        text = rest if sep and text.split(" ", 1)[0].isupper() else text
    else:
        text = str(exc)
    if kind == "api-disabled" and isinstance(exc, gexc.GoogleAPICallError):
        service = (exc.metadata or {}).get("service") if exc.metadata else None
        hint = f"enable {service} in the project" if service else "enable the API in the project"
        text = f"API disabled ({hint}): {text}"
    line = " ".join(text.split())
    return line[:300]
