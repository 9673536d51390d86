"""errors.py: botocore exceptions -> CollectionError kinds and one-line, secret-free messages."""

from __future__ import annotations

import pytest
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    CredentialRetrievalError,
    EndpointConnectionError,
    InvalidRegionError,
    NoCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
)
from cloudposture_aws import errors

from cloudposture.model import CollectionFailure


def client_error(code: str, message: str = "boom", status: int = 400) -> ClientError:
    response = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(response, "DescribeCluster")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "status", "kind"),
    [
        ("AccessDenied", 403, "denied"),
        ("AccessDeniedException", 403, "denied"),
        ("UnauthorizedOperation", 403, "denied"),
        ("UnrecognizedClientException", 403, "denied"),
        ("AuthFailure", 401, "denied"),
        ("Throttling", 400, "throttled"),
        ("ThrottlingException", 400, "throttled"),
        ("TooManyRequestsException", 429, "throttled"),
        ("RequestLimitExceeded", 503, "throttled"),
        ("ResourceNotFoundException", 404, "not-found"),
        ("NoSuchEntity", 404, "not-found"),
        ("InvalidGroup.NotFound", 400, "not-found"),
        ("SomethingNew", 403, "denied"),  # by HTTP status when the code is unknown
        ("SomethingNew", 500, "unavailable"),
        ("", 404, "unavailable"),  # an endpoint that does not know the operation
        ("SomethingNew", 400, "other"),
    ],
)
def test_client_error_kinds(code: str, status: int, kind: str) -> None:
    error = errors.to_collection_error(client_error(code, status=status), "eks:DescribeCluster")
    assert error.kind == kind
    assert error.call == "eks:DescribeCluster"


def test_transport_errors() -> None:
    timeout = ReadTimeoutError(endpoint_url="https://eks.us-east-1.amazonaws.com")
    assert errors.to_collection_error(timeout, "eks:ListClusters").kind == "timeout"
    down = EndpointConnectionError(endpoint_url="https://eks.xx-east-9.amazonaws.com")
    assert errors.to_collection_error(down, "eks:ListClusters").kind == "unavailable"


def test_message_is_one_line_and_has_no_key_id() -> None:
    message = "The security token AKIAIOSFODNN7EXAMPLE\nis invalid " + "x" * 500
    error = errors.to_collection_error(client_error("InvalidClientTokenId", message), "sts:X")
    assert "\n" not in error.message
    assert "AKIAIOSFODNN7EXAMPLE" not in error.message
    assert "<key-id>" in error.message
    assert len(error.message) <= 300


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (ProfileNotFound(profile="prod"), "profile not found"),
        (NoCredentialsError(), "no AWS credentials"),
        (
            client_error("InvalidClientTokenId", "The security token is invalid", 403),
            "rejected the credentials",
        ),
        (client_error("ExpiredToken", "expired", 403), "rejected the credentials"),
    ],
)
def test_configuration_errors(exc: Exception, words: str) -> None:
    known = errors.to_configuration_error(exc)
    assert known is not None
    assert words in str(known)
    assert "\n" not in str(known)


def test_a_denied_call_is_not_a_configuration_error() -> None:
    assert errors.to_configuration_error(client_error("AccessDenied", status=403)) is None


def test_failing_as_raises_collection_failure() -> None:
    with pytest.raises(CollectionFailure) as caught, errors.failing_as("iam:GetRole", "role/x"):
        raise client_error("AccessDenied", status=403)
    assert caught.value.error.kind == "denied"
    assert caught.value.error.resource == "role/x"
    assert caught.value.error.code == "AccessDenied"


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (CredentialRetrievalError(provider="custom-process", error_msg="bad"), "AWS setup failed"),
        (InvalidRegionError(region_name="not a region"), "(InvalidRegionError)"),
        (ValueError("No closing quotation"), "No closing quotation"),
        (client_error("ExpiredToken", "expired", 403), "rejected the credentials"),
        (NoCredentialsError(), "no AWS credentials"),
    ],
)
def test_setup_failures_that_cannot_pass_are_configuration_errors(
    exc: Exception, words: str
) -> None:
    known = errors.setup_error(exc)
    assert known is not None
    assert words in str(known)


@pytest.mark.parametrize(
    "exc",
    [
        client_error("AccessDenied", status=403),
        client_error("Throttling"),
        EndpointConnectionError(endpoint_url="https://sts.us-east-1.amazonaws.com"),
        ReadTimeoutError(endpoint_url="https://sts.us-east-1.amazonaws.com"),
        ConnectTimeoutError(endpoint_url="https://sts.us-east-1.amazonaws.com"),
    ],
)
def test_setup_failures_that_may_pass_stay_collection_errors(exc: Exception) -> None:
    assert errors.setup_error(exc) is None
