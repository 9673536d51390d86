"""Who a cluster's identities are and what their Azure role assignments grant (I/O only).

Role assignments are read per subscription in whichever way takes fewer calls: when the
clusters a subscription listed name two or more principals, one listing of every assignment
that applies to the subscription (``RoleAssignments.ListForSubscription`` without a filter:
assignments at, above and below it), filtered here by principal id; otherwise one filtered
call (``principalId eq '...'``) for the one principal. Both return the same assignments for a
principal; both need only ``Microsoft.Authorization/roleAssignments/read``.

A cluster that uses a service principal names it by application id; its object id comes
from Microsoft Graph (see :mod:`graph`), once per application id per scan.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from typing import Any, Literal

from cloudposture.model import CollectionError, Identity
from cloudposture.plugin.attempt import Attempts
from cloudposture.plugin.lookup import SharedLookup
from cloudposture_azure import normalize, roles
from cloudposture_azure.clients import NO_GRAPH_TOKEN, AzureClients
from cloudposture_azure.graph import CALL as GRAPH_CALL
from cloudposture_azure.normalize import ClusterIdentities
from cloudposture_azure.rest import as_rest

ASSIGNMENTS = "authorization:RoleAssignments.ListForSubscription"
DEFINITION = "authorization:RoleDefinitions.GetById"
LISTING_FROM = 2
"""Principals in a subscription from which one whole listing replaces the filtered calls."""
Assignments = list[dict[str, Any]]


class RoleReader:
    """Shared by every cluster of a scan: each read is made once (SharedLookup)."""

    def __init__(self, clients: AzureClients) -> None:
        self._clients = clients
        self._lock = threading.Lock()
        self._expected: dict[str, set[str]] = {}
        self._listed: SharedLookup[str, Assignments] = SharedLookup(
            partial(_all_assignments, clients)
        )
        self._filtered: SharedLookup[tuple[str, str], Assignments] = SharedLookup(
            partial(_principal_assignments, clients)
        )
        self._definitions: SharedLookup[tuple[str, str], roles.RoleDefinition] = SharedLookup(
            partial(_definition, clients)
        )
        self._apps: SharedLookup[str, dict[str, Any]] = SharedLookup(
            partial(_service_principal, clients)
        )

    def expect(self, subscription: str, cluster: Mapping[str, Any]) -> None:
        """Note whom a listed cluster will ask about, to choose how to read the roles."""
        found = normalize.identities(cluster)
        names = found.principals()
        if found.service_principal:
            names.add(f"app:{found.service_principal.lower()}")
        with self._lock:
            self._expected.setdefault(subscription, set()).update(names)

    def resolve(
        self, found: ClusterIdentities, affects: list[str], errors: Attempts
    ) -> ClusterIdentities:
        """``found`` with a service principal's object id filled in (control plane and
        kubelet alike); unchanged when there is none or Graph could not say."""
        app_id = found.service_principal
        if not app_id:
            return found
        resource = f"servicePrincipals(appId='{app_id}')"
        if self._clients.graph_credential is None:
            errors.items.append(_no_graph_token(resource, affects))
            return found
        body = errors.attempt(
            affects, lambda: self._apps.get(app_id), call=GRAPH_CALL, resource=resource
        )
        if body is None:
            return found
        object_id = str(body["id"])
        name = str(body.get("displayName") or "")
        label = f"service principal {name} ({app_id})" if name else found.control_plane_label
        return replace(
            found,
            control_plane=object_id,
            control_plane_label=label,
            kubelet=object_id,
            kubelet_label=label,
        )

    def identity(
        self,
        subscription: str,
        principal: str | None,
        label: str,
        kind: Literal["control-plane", "node"],
        affects: str,
        errors: Attempts,
    ) -> Identity:
        summary = self._summary(subscription, principal, affects, errors) if principal else None
        return normalize.identity(label, kind, summary)

    def _summary(
        self, subscription: str, principal: str, affects: str, errors: Attempts
    ) -> roles.RoleSummary | None:
        assignments = self._assignments(subscription, principal, affects, errors)
        if assignments is None:
            return None
        mine = roles.principal_assignments(assignments, principal)
        definitions: dict[str, roles.RoleDefinition | None] = {}
        for assignment in mine:
            role_id = str((assignment.get("properties") or {}).get("roleDefinitionId") or "")
            guid = roles.role_guid(role_id)
            if guid in definitions:
                continue
            definitions[guid] = errors.attempt(
                [affects],
                partial(self._definitions.get, (subscription, role_id)),
                call=DEFINITION,
                resource=role_id,
            )
        return roles.summarize(mine, definitions, subscription)

    def _assignments(
        self, subscription: str, principal: str, affects: str, errors: Attempts
    ) -> Assignments | None:
        with self._lock:
            whole = len(self._expected.get(subscription, ())) >= LISTING_FROM
        if whole:
            return errors.attempt(
                [affects],
                partial(self._listed.get, subscription),
                call=ASSIGNMENTS,
                resource=f"/subscriptions/{subscription}",
            )
        return errors.attempt(
            [affects],
            partial(self._filtered.get, (subscription, principal)),
            call=ASSIGNMENTS,
            resource=f"/subscriptions/{subscription} principalId {principal}",
        )


def _no_graph_token(resource: str, affects: list[str]) -> CollectionError:
    return CollectionError(
        call=GRAPH_CALL,
        kind="denied",
        code="NoGraphToken",
        message=NO_GRAPH_TOKEN,
        resource=resource,
        affects=affects,
    )


# The fetchers below run once per key (SharedLookup) and return REST-shaped JSON.


def _all_assignments(clients: AzureClients, subscription: str) -> Assignments:
    client = clients.authorization(subscription)
    return [as_rest(a) for a in client.role_assignments.list_for_subscription()]


def _principal_assignments(clients: AzureClients, key: tuple[str, str]) -> Assignments:
    subscription, principal = key
    listed = clients.authorization(subscription).role_assignments.list_for_subscription(
        filter=f"principalId eq '{principal}'"
    )
    return [as_rest(a) for a in listed]


def _definition(clients: AzureClients, key: tuple[str, str]) -> roles.RoleDefinition:
    subscription, role_id = key
    body = as_rest(clients.authorization(subscription).role_definitions.get_by_id(role_id))
    return roles.role_definition(body)


def _service_principal(clients: AzureClients, app_id: str) -> dict[str, Any]:
    graph = clients.graph()
    assert graph is not None  # resolve() checks the credential first
    return graph.service_principal(app_id)
