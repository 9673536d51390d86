"""The project, its ancestors (folders up to the organization) and their IAM policies.

I/O only, each read once per scan: a folder or an organization above many projects is read
once, however many clusters sit below it. The walk uses Resource Manager v3: ``projects.get``
gives the project's ``parent``, ``folders.get`` each folder's, up to an organization (or to a
project without one). A read that fails is recorded as a CollectionError naming the facts it
leaves unknown, and the level stays in the hierarchy as unreadable, so the IAM facts that it
could change are judged unknown rather than silently passing (see iam.py for which facts an
unreadable level leaves unknown, and which are settled without it).
"""

from __future__ import annotations

from collections.abc import Sequence

from google.cloud import resourcemanager_v3

from cloudposture.model import CollectionError
from cloudposture.plugin.lookup import SharedLookup
from cloudposture_gcp.clients import GoogleClients
from cloudposture_gcp.iam import PolicyLevel
from cloudposture_gcp.reads import JSON, read, to_json

IAM_FACTS = ("node_pools.identities", "logging.audit_enabled")
"""What an unreadable IAM policy (or ancestry) can leave unknown."""
POLICY_CALLS = {
    "projects/": "resourcemanager:GetIamPolicy",
    "folders/": "resourcemanager:GetFolderIamPolicy",
    "organizations/": "resourcemanager:GetOrganizationIamPolicy",
}
_MAX_DEPTH = 12
"""Google allows 10 levels of folders; a longer chain means a loop or a bad answer."""


class PolicyHierarchy:
    def __init__(self, clients: GoogleClients) -> None:
        self._clients = clients
        self._projects: SharedLookup[str, JSON] = SharedLookup(self._project)
        self._folders: SharedLookup[str, JSON] = SharedLookup(self._folder)
        self._policies: SharedLookup[str, JSON] = SharedLookup(self._policy)

    def project(
        self, project: str, errors: list[CollectionError], affects: Sequence[str]
    ) -> JSON | None:
        """The v3 Project (number in ``name``, ``parent``); None when it cannot be read."""
        name = f"projects/{project}"
        return read(self._projects, project, errors, "resourcemanager:GetProject", name, affects)

    def levels(
        self, project: str, found: JSON | None, errors: list[CollectionError]
    ) -> tuple[PolicyLevel, ...]:
        """The project's policy, then each ancestor's, nearest first."""
        levels = [self._level(f"projects/{project}", errors)]
        if found is None:
            return (*levels, PolicyLevel(f"ancestors of projects/{project}", None))
        parent = str(found.get("parent") or "")
        while parent.startswith(tuple(POLICY_CALLS)):
            if len(levels) > _MAX_DEPTH:
                errors.append(_too_deep(parent))
                return (*levels, PolicyLevel(f"{parent} and above (hierarchy too deep)", None))
            levels.append(self._level(parent, errors))
            if not parent.startswith("folders/"):
                break
            folder = read(
                self._folders, parent, errors, "resourcemanager:GetFolder", parent, IAM_FACTS
            )
            if folder is None:
                return (*levels, PolicyLevel(f"ancestors of {parent}", None))
            parent = str(folder.get("parent") or "")
        return tuple(levels)

    def _level(self, resource: str, errors: list[CollectionError]) -> PolicyLevel:
        call = next(c for prefix, c in POLICY_CALLS.items() if resource.startswith(prefix))
        return PolicyLevel(
            resource, read(self._policies, resource, errors, call, resource, IAM_FACTS)
        )

    # The fetchers below run once per key (SharedLookup) and return API-shaped JSON.

    def _project(self, project: str) -> JSON:
        found = self._clients.projects().get_project(
            name=f"projects/{project}", **self._clients.call
        )
        return to_json(resourcemanager_v3.Project.pb(found))

    def _folder(self, name: str) -> JSON:
        found = self._clients.folders().get_folder(name=name, **self._clients.call)
        return to_json(resourcemanager_v3.Folder.pb(found))

    def _policy(self, resource: str) -> JSON:
        request = {"resource": resource, "options": {"requested_policy_version": 3}}
        if resource.startswith("folders/"):
            policy = self._clients.folders().get_iam_policy(request=request, **self._clients.call)
        elif resource.startswith("organizations/"):
            policy = self._clients.organizations().get_iam_policy(
                request=request, **self._clients.call
            )
        else:
            policy = self._clients.projects().get_iam_policy(request=request, **self._clients.call)
        return to_json(policy)


def _too_deep(parent: str) -> CollectionError:
    return CollectionError(
        call="resourcemanager:GetFolder",
        kind="invalid",
        code="hierarchyTooDeep",
        message=f"more than {_MAX_DEPTH} ancestors (a loop?): stopped before {parent}",
        resource=parent,
        affects=list(IAM_FACTS),
    )
