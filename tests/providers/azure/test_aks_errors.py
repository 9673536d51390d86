"""ARM failures seen by the real SDK clients become one-line CollectionErrors of the right kind."""

from __future__ import annotations

import socket

import pytest
from azure.core.exceptions import ClientAuthenticationError
from cloudposture_azure.adapter import AzureScanner
from cloudposture_azure.clients import AzureClients
from cloudposture_azure.errors import collection_error

from cloudposture.model import CollectionFailure, ConfigurationError
from cloudposture.plugin import Target
from tests.providers.azure.aks_clients import FakeCredential, make_clients, make_scanner
from tests.providers.azure.aks_fake import FakeArm, Route
from tests.providers.azure.aks_world import CS, SUB

LIST = f"/subscriptions/{SUB}/providers/Microsoft.ContainerService/managedClusters"


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (403, "AuthorizationFailed", "denied"),
        (429, "TooManyRequests", "throttled"),
        (404, "SubscriptionNotFound", "not-found"),
        (500, "InternalServerError", "unavailable"),
        (504, "GatewayTimeout", "timeout"),
        (400, "BadRequest", "invalid"),
    ],
)
def test_http_errors_are_classified(fake: FakeArm, status: int, code: str, kind: str) -> None:
    fake.fail(LIST, CS, status, code)
    with pytest.raises(CollectionFailure) as caught:
        make_scanner(fake, (SUB,)).discover(Target(provider="azure", account=SUB, region="-"))
    error = caught.value.error
    assert (error.kind, error.code) == (kind, code)
    assert "\n" not in error.one_line()
    assert error.resource == f"/subscriptions/{SUB}"


def test_a_rejected_token_is_denied(fake: FakeArm) -> None:
    fake.add_list(LIST, CS, [])
    scanner = AzureScanner(make_clients(fake, FakeCredential("wrong")), (SUB,))
    with pytest.raises(CollectionFailure) as caught:
        scanner.discover(Target(provider="azure", account=SUB, region="-"))
    assert (caught.value.error.kind, caught.value.error.code) == (
        "denied",
        "InvalidAuthenticationToken",
    )


def test_nothing_listening_is_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    clients = AzureClients(
        FakeCredential(), f"http://127.0.0.1:{port}", "https://management.azure.com", 0
    )
    with pytest.raises(CollectionFailure) as caught:
        AzureScanner(clients, (SUB,)).discover(Target(provider="azure", account=SUB, region="-"))
    assert caught.value.error.kind == "unavailable"


def test_a_slow_answer_is_a_timeout(fake: FakeArm) -> None:
    fake.add_list(LIST, CS, [])
    fake.delay = 0.5
    clients = AzureClients(
        FakeCredential(), fake.url, "https://management.azure.com", retry_total=0, timeout=0.1
    )
    with pytest.raises(CollectionFailure) as caught:
        AzureScanner(clients, (SUB,)).discover(Target(provider="azure", account=SUB, region="-"))
    assert caught.value.error.kind == "timeout"


class _NoCredential:
    def get_token(self, *scopes: str, **kwargs: object) -> None:
        raise ClientAuthenticationError(
            "DefaultAzureCredential failed to retrieve a token from the included credentials.\n"
            "Attempted credentials: EnvironmentCredential: not configured"
        )


def test_missing_credentials_are_a_one_line_configuration_error(fake: FakeArm) -> None:
    scanner = AzureScanner(make_clients(fake, _NoCredential()), (SUB,))
    with pytest.raises(ConfigurationError) as caught:
        scanner.targets()
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("no usable Azure credentials: DefaultAzureCredential failed")
    assert fake.requests == []


def test_error_messages_are_cut_to_one_short_line() -> None:
    error = collection_error(ValueError("x" * 1000 + "\nsecond"), "c:Op", "r", ["logging"])
    assert (error.kind, error.code, len(error.message)) == ("other", "ValueError", 300)


@pytest.mark.parametrize(
    "error",
    [
        {"code": 403, "message": "The client does not have authorization"},
        {"code": 403, "message": {"lang": "en", "value": "nested"}},
        {"code": None, "message": None},
    ],
)
def test_a_403_with_a_code_that_is_not_a_string_keeps_the_403(
    fake: FakeArm, error: dict[str, object]
) -> None:
    """Issue 13: a numeric ``code`` became "1 validation error for CollectionError"."""
    fake.routes[(LIST.lower(), "")] = Route(CS, status=403, body={"error": error})
    with pytest.raises(CollectionFailure) as caught:
        make_scanner(fake, (SUB,)).discover(Target(provider="azure", account=SUB, region="-"))
    found = caught.value.error
    assert found.kind == "denied"
    assert found.code == "403"
    assert "validation error" not in found.one_line()
