"""Role definitions (IAM ``roles.get``, ``projects.roles.get``, ``organizations.roles.get``).

One URL shape serves all three: ``/v1/{name}``, with ``name`` ``roles/X`` for a predefined
role, ``projects/P/roles/X`` or ``organizations/N/roles/X`` for a custom one.

The Python IAM admin client (``google.cloud.iam_admin_v1``) has only gRPC transports, while
every other client of the scan talks REST to one ``--endpoint`` through a requests session
with a total deadline (clients.py). So this one read is made over the same kind of session
by hand: the same credentials, endpoint, timeout, retry policy and deadline; a failed answer
is raised as the ``google.api_core`` exception the generated REST clients raise for it
(errors.py classifies it as for any other call); and the answer is parsed into the SDK's own
``Role`` message, as the generated clients do, then kept as the v1 REST JSON.
"""

from __future__ import annotations

import threading

import requests
from google.api_core import exceptions as gexc
from google.api_core import retry as gretry
from google.auth.transport.requests import AuthorizedSession
from google.cloud import iam_admin_v1
from google.protobuf import json_format

from cloudposture.plugin.deadline import requests_adapter
from cloudposture_gcp.clients import DEFAULT, ClientOptions
from cloudposture_gcp.reads import JSON, to_json

IAM_ENDPOINT = "https://iam.googleapis.com"
GET_ROLE = "iam:GetRole"


class RoleReader:
    """Reads one role by name; the session is built on first use (thread-safe)."""

    def __init__(self, options: ClientOptions) -> None:
        self._options = options
        self._lock = threading.Lock()
        self._session: AuthorizedSession | None = None

    def get(self, name: str) -> JSON:
        """The Role (name, title, includedPermissions, stage, etag, deleted) of ``name``."""
        retry = self._options.retry
        if retry is DEFAULT:
            retry = gretry.Retry()  # api_core's default: transient errors, with backoff
        call = (lambda: self._get(name)) if retry is None else retry(lambda: self._get(name))
        return call()

    def _get(self, name: str) -> JSON:
        response = self._bound_session().get(
            f"{self._base()}/v1/{name}", timeout=self._options.timeout
        )
        if response.status_code >= 400:
            raise gexc.from_http_response(response)  # type: ignore[no-untyped-call]
        role = iam_admin_v1.Role.pb()()
        json_format.Parse(response.text, role, ignore_unknown_fields=True)
        return to_json(role)

    def _base(self) -> str:
        endpoint = self._options.endpoint
        if not endpoint:
            return IAM_ENDPOINT
        return endpoint.rstrip("/") if "://" in endpoint else f"https://{endpoint}"

    def _bound_session(self) -> requests.Session:
        with self._lock:
            if self._session is None:
                session = AuthorizedSession(self._options.credentials)  # type: ignore[no-untyped-call]
                adapter = requests_adapter(self._options.deadline)
                session.mount("https://", adapter)
                session.mount("http://", adapter)
                self._session = session
            return self._session
