"""Predefined IAM roles as ``GET https://iam.googleapis.com/v1/roles/<name>`` returns them.

The fake world serves these from :attr:`World.roles` (keyed ``roles/<name>``, as custom roles
are keyed by their full name). The permission lists are taken from Google's IAM role
reference (cloud.google.com/iam/docs/roles-permissions), cut down to a true subset: every
permission listed is in the real role, and every permission that matters to IAM-001 (the ones
escalation.py judges) that the real role holds is listed. Roles the escalation table settles
without a read (roles/iam.serviceAccountUser, ...) are left out: reading one would be a bug.
"""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]


def predefined_role(name: str, title: str, description: str, permissions: list[str]) -> JSON:
    """An IAM v1 Role as ``roles.get`` returns a predefined role (no ``deleted``, stage GA)."""
    return {
        "name": name,
        "title": title,
        "description": description,
        "includedPermissions": sorted(permissions),
        "stage": "GA",
        "etag": "AA==",
    }


_PROJECT_READ = ["resourcemanager.projects.get", "resourcemanager.projects.list"]

CATALOGUE: dict[str, JSON] = {
    role["name"]: role
    for role in (
        predefined_role(
            "roles/container.defaultNodeServiceAccount",
            "Kubernetes Engine Default Node Service Account",
            "Least privilege role to use as the default service account for GKE Nodes.",
            [
                "autoscaling.sites.writeMetrics",
                "logging.logEntries.create",
                "logging.logEntries.route",
                "monitoring.metricDescriptors.create",
                "monitoring.metricDescriptors.list",
                "monitoring.timeSeries.create",
                "monitoring.timeSeries.list",
                "resourcemanager.projects.get",
            ],
        ),
        predefined_role(
            "roles/logging.logWriter",
            "Logs Writer",
            "Provides the permissions to write log entries.",
            ["logging.logEntries.create", "logging.logEntries.route"],
        ),
        predefined_role(
            "roles/monitoring.metricWriter",
            "Monitoring Metric Writer",
            "Provides write-only access to metrics.",
            [
                "autoscaling.sites.writeMetrics",
                "monitoring.metricDescriptors.create",
                "monitoring.metricDescriptors.get",
                "monitoring.metricDescriptors.list",
                "monitoring.monitoredResourceDescriptors.get",
                "monitoring.monitoredResourceDescriptors.list",
                "monitoring.timeSeries.create",
            ],
        ),
        predefined_role(
            "roles/artifactregistry.reader",
            "Artifact Registry Reader",
            "Access to read repository items.",
            [
                "artifactregistry.dockerimages.get",
                "artifactregistry.dockerimages.list",
                "artifactregistry.repositories.downloadArtifacts",
                "artifactregistry.repositories.get",
                "artifactregistry.repositories.list",
                *_PROJECT_READ,
            ],
        ),
        predefined_role(
            "roles/run.admin",
            "Cloud Run Admin",
            "Full control over all Cloud Run resources.",
            [
                "run.services.create",
                "run.services.delete",
                "run.services.get",
                "run.services.getIamPolicy",
                "run.services.list",
                "run.services.setIamPolicy",
                "run.services.update",
                "run.jobs.create",
                "run.jobs.run",
                *_PROJECT_READ,
            ],
        ),
        predefined_role(
            "roles/cloudfunctions.developer",
            "Cloud Functions Developer",
            "Read and write access to all functions-related resources.",
            [
                "cloudfunctions.functions.create",
                "cloudfunctions.functions.get",
                "cloudfunctions.functions.list",
                "cloudfunctions.functions.sourceCodeSet",
                "cloudfunctions.functions.update",
                *_PROJECT_READ,
            ],
        ),
    )
}
"""Every predefined role the tests bind outside the escalation table, by name."""


def catalogue() -> dict[str, JSON]:
    """A fresh copy for one world (tests may delete or replace a role)."""
    return {name: dict(role) for name, role in CATALOGUE.items()}
