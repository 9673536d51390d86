"""Which projects to scan: the ones named, plus every ACTIVE project below an org or folder.

Resource Manager v3 lists only direct children, so folders are walked recursively
(breadth-first, each folder once). A failure to list is the scan's failure to plan: it is
raised as CollectionFailure with the container that could not be read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from google.cloud import resourcemanager_v3

from cloudposture.model import CollectionFailure
from cloudposture_gcp.clients import GoogleClients
from cloudposture_gcp.errors import CAUGHT, to_collection_error
from cloudposture_gcp.settings import GcpSettings

_ACTIVE_PROJECT = resourcemanager_v3.Project.State.ACTIVE
_ACTIVE_FOLDER = resourcemanager_v3.Folder.State.ACTIVE


def project_ids(settings: GcpSettings, clients: GoogleClients) -> list[str]:
    roots = [f"folders/{f}" for f in settings.folders]
    if settings.organization:
        roots.insert(0, f"organizations/{settings.organization}")
    found = list(settings.projects)
    if roots:
        found.extend(_below(roots, clients))
    return list(dict.fromkeys(found))


def _below(roots: Iterable[str], clients: GoogleClients) -> list[str]:
    queue = list(roots)
    seen: set[str] = set()
    projects: list[str] = []
    while queue:
        parent = queue.pop(0)
        if parent in seen:
            continue
        seen.add(parent)
        projects.extend(_projects_in(parent, clients))
        queue.extend(_folders_in(parent, clients))
    return projects


def _projects_in(parent: str, clients: GoogleClients) -> list[str]:
    return _list_active(
        "resourcemanager:ListProjects",
        parent,
        lambda: [
            p.project_id
            for p in clients.projects().list_projects(parent=parent, **clients.call)
            if p.state == _ACTIVE_PROJECT
        ],
    )


def _folders_in(parent: str, clients: GoogleClients) -> list[str]:
    return _list_active(
        "resourcemanager:ListFolders",
        parent,
        lambda: [
            f.name
            for f in clients.folders().list_folders(parent=parent, **clients.call)
            if f.state == _ACTIVE_FOLDER
        ],
    )


def _list_active(call: str, parent: str, listing: Callable[[], list[str]]) -> list[str]:
    """Run one paged listing; a failure is the planning's failure, naming the container."""
    try:
        return listing()
    except CAUGHT as exc:
        raise CollectionFailure(to_collection_error(exc, call, parent, ["projects"])) from None
