"""PATH-001 cases: the whole internet -> node -> cloud admin path, per pool."""

from __future__ import annotations

from typing import Any

from cloudposture.model import NodePool, Status

from .builders import Case, denied, ingress, node_identity, pool, with_pools

ADMIN = node_identity(id="arn:aws:iam::111122223333:role/admin-nodes", admin_equivalent=True)


def _exposed(name: str, **overrides: Any) -> NodePool:
    fields: dict[str, Any] = {
        "public_ip": True,
        "internet_ingress": [ingress("tcp", 8080)],
        "metadata_credentials_exposed": True,
        "identities": [ADMIN],
    }
    fields.update(overrides)
    return pool(name, **fields)


CASES = [
    Case(
        "whole-path",
        "PATH-001",
        with_pools(pool("ng-safe"), _exposed("ng-web")),
        Status.FAIL,
        ("ng-web", "role/admin-nodes", "1 internet ingress rule"),
    ),
    Case("private-nodes", "PATH-001", with_pools(_exposed("ng", public_ip=False)), Status.PASS),
    Case("no-identity", "PATH-001", with_pools(_exposed("ng", identities=[])), Status.PASS),
    Case("no-ingress", "PATH-001", with_pools(_exposed("ng", internet_ingress=[])), Status.PASS),
    Case(
        "metadata-blocked",
        "PATH-001",
        with_pools(_exposed("ng", metadata_credentials_exposed=False)),
        Status.PASS,
    ),
    Case(
        "least-privilege",
        "PATH-001",
        with_pools(_exposed("ng", identities=[node_identity()])),
        Status.PASS,
    ),
    Case(
        "known-absent-link-rules-out-unknowns",
        "PATH-001",
        with_pools(
            _exposed(
                "ng",
                public_ip=False,
                internet_ingress=None,
                metadata_credentials_exposed=None,
                identities=None,
            )
        ),
        Status.PASS,
    ),
    Case(
        "metadata-unknown",
        "PATH-001",
        with_pools(
            _exposed("ng-web", metadata_credentials_exposed=None),
            errors=(
                denied(
                    "node_pools.metadata_credentials_exposed",
                    call="ec2:DescribeLaunchTemplateVersions",
                ),
            ),
        ),
        Status.ERROR,
        ("ec2:DescribeLaunchTemplateVersions on prod failed", "node pools: ng-web"),
    ),
    Case("no-pools", "PATH-001", with_pools(), Status.PASS, ("no node pools",)),
]
