"""botocore exceptions -> :class:`CollectionError` data (or :class:`ConfigurationError`).

Why a table and not ``except Exception``: a denied call must stay *denied* all the way to the
finding (ERROR with the reason), never turn into a PASS or a traceback. Messages are cut to one
line and scrubbed of access key ids, which AWS error messages sometimes echo back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    HTTPClientError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
)
from botocore.exceptions import ConnectionError as BotoConnectionError

from cloudposture.model import CollectionError, CollectionFailure, ConfigurationError, ErrorKind

_KIND_BY_CODE: dict[str, ErrorKind] = {
    "AccessDenied": "denied",
    "AccessDeniedException": "denied",
    "UnauthorizedOperation": "denied",
    "UnrecognizedClientException": "denied",
    "AuthFailure": "denied",
    "InvalidClientTokenId": "denied",
    "ExpiredToken": "denied",
    "ExpiredTokenException": "denied",
    "SignatureDoesNotMatch": "denied",
    "OptInRequired": "denied",
    "Throttling": "throttled",
    "ThrottlingException": "throttled",
    "TooManyRequestsException": "throttled",
    "RequestLimitExceeded": "throttled",
    "RequestThrottled": "throttled",
    "ResourceNotFoundException": "not-found",
    "NoSuchEntity": "not-found",
    "NotFoundException": "not-found",
    "InvalidGroup.NotFound": "not-found",
    "InvalidSubnetID.NotFound": "not-found",
    "InvalidLaunchTemplateId.NotFound": "not-found",
    "InvalidLaunchTemplateName.NotFoundException": "not-found",
    "InvalidLaunchTemplateId.VersionNotFound": "not-found",
    "NotFoundException.KMS": "not-found",
    "ServiceUnavailable": "unavailable",
    "ServiceUnavailableException": "unavailable",
    "InternalFailure": "unavailable",
    "InternalError": "unavailable",
    "ServerException": "unavailable",
    "InvalidGroupId.Malformed": "invalid",
    "InvalidSubnetID.Malformed": "invalid",
    "InvalidParameterException": "invalid",
    "InvalidParameterValue": "invalid",
    "ValidationError": "invalid",
    "ValidationException": "invalid",
}

# Codes that mean the credentials themselves are bad: no point scanning on (exit 2).
CREDENTIAL_CODES = frozenset(
    {
        "InvalidClientTokenId",
        "UnrecognizedClientException",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "AuthFailure",
    }
)

_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b")
_MAX_MESSAGE = 300


def clean_message(text: str) -> str:
    """One line, bounded, with access key ids removed."""
    line = " ".join(str(text).split())
    return _KEY_ID.sub("<key-id>", line)[:_MAX_MESSAGE]


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", "")) or str(
        exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "")
    )


def _client_error_kind(exc: ClientError) -> ErrorKind:
    code = error_code(exc)
    if code in _KIND_BY_CODE:
        return _KIND_BY_CODE[code]
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    if status in (401, 403):
        return "denied"
    if status == 429:
        return "throttled"
    if status == 404:
        # No code: the endpoint does not know the operation (an emulator, an old region).
        return "unavailable"
    if status >= 500:
        return "unavailable"
    return "other"


def _is_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith("<") and ("<html" in head or "<!doctype html" in head)


def to_collection_error(exc: BaseException, call: str, resource: str = "") -> CollectionError:
    """The :class:`CollectionError` for one failed SDK call."""
    if isinstance(exc, ClientError):
        message = exc.response.get("Error", {}).get("Message", "") or str(exc)
        if _is_html(message):
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "?")
            message = f"the endpoint answered an HTML page (HTTP {status}), not an AWS API reply"
        return CollectionError(
            call=call,
            kind=_client_error_kind(exc),
            code=error_code(exc),
            message=clean_message(message),
            resource=resource,
        )
    kind: ErrorKind = "other"
    if isinstance(exc, ReadTimeoutError | ConnectTimeoutError):
        kind = "timeout"
    elif isinstance(exc, EndpointConnectionError | ConnectionClosedError):
        kind = "unavailable"
    elif isinstance(exc, NoCredentialsError | PartialCredentialsError):
        kind = "denied"
    return CollectionError(
        call=call,
        kind=kind,
        code=type(exc).__name__,
        message=clean_message(str(exc)),
        resource=resource,
    )


def to_configuration_error(exc: BaseException) -> ConfigurationError | None:
    """A ConfigurationError when ``exc`` means the AWS setup cannot work at all, else None."""
    if isinstance(exc, ProfileNotFound):
        return ConfigurationError(f"AWS profile not found: {clean_message(str(exc))}")
    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return ConfigurationError(
            "no AWS credentials found: set AWS_PROFILE or --profile, or the AWS_ACCESS_KEY_ID "
            "environment variables"
        )
    if isinstance(exc, NoRegionError):
        return ConfigurationError("no AWS region configured: pass --region or set AWS_REGION")
    if isinstance(exc, ClientError) and error_code(exc) in CREDENTIAL_CODES:
        message = exc.response.get("Error", {}).get("Message", "")
        return ConfigurationError(
            f"AWS rejected the credentials ({error_code(exc)}): {clean_message(message)}"
        )
    return None


# What a credential lookup raises besides NoCredentialsError: CredentialRetrievalError and the
# other BotoCoreErrors, ValueError (a credential_process with an unclosed quote or printing
# non-JSON, a container-credentials URI on a host botocore refuses), OSError (a
# credential_process that is not there or not executable).
CREDENTIAL_LOOKUP_ERRORS = (BotoCoreError, ValueError, OSError)

# Failures of the wire, not of the setup: they may pass, so they stay coverage errors.
_TRANSPORT_ERRORS = (HTTPClientError, BotoConnectionError)


def credential_lookup_error(exc: BaseException, source: str) -> ConfigurationError:
    """The one-line ConfigurationError for a failed credential lookup in ``source`` (the
    profile and the credential settings it has): no traceback, no keys."""
    known = to_configuration_error(exc)
    if known is not None:
        return known
    detail = clean_message(str(exc)) or type(exc).__name__
    return ConfigurationError(f"cannot load AWS credentials ({source}): {detail}")


def setup_failure(exc: BaseException, what: str, call: str = "") -> ConfigurationError:
    """The one line for a setup read that failed (regions, organization accounts, assuming a
    role): a known credential problem says so; anything else is ``what: reason``, with the
    call's own error line when ``call`` names it."""
    known = to_configuration_error(exc)
    if known is not None:
        return known
    if call and isinstance(exc, ClientError | BotoCoreError):
        reason = to_collection_error(exc, call).one_line()
    else:
        reason = clean_message(str(exc)) or type(exc).__name__
    return ConfigurationError(f"{what}: {reason}")


def setup_error(exc: BaseException) -> ConfigurationError | None:
    """A ConfigurationError when a failure during setup (the first STS call) means the AWS
    setup cannot work; None for failures that may pass (denied, throttled, network), which
    stay :class:`CollectionError` data."""
    known = to_configuration_error(exc)
    if known is not None or isinstance(exc, (ClientError, *_TRANSPORT_ERRORS)):
        return known
    if isinstance(exc, BotoCoreError | ValueError):
        detail = clean_message(str(exc)) or type(exc).__name__
        return ConfigurationError(f"AWS setup failed ({type(exc).__name__}): {detail}")
    return None


@contextmanager
def failing_as(call: str, resource: str = "") -> Iterator[None]:
    """Turn any botocore failure inside the block into :class:`CollectionFailure`."""
    try:
        yield
    except (ClientError, BotoCoreError) as exc:
        raise CollectionFailure(to_collection_error(exc, call, resource)) from None
