"""Row 3 cases: IAM-001 .. IAM-006."""

from __future__ import annotations

from typing import Any

from cloudposture.model import Identity, NodePool, Status, WorkloadIdentity

from .builders import Case, denied, good_posture, node_identity, pool, with_pools

IAM_DENIED = denied("node_pools.identities", call="iam:ListAttachedRolePolicies")
CP_DENIED = denied("control_plane_identity", call="iam:GetRole")
GCE_DEFAULT = "123456789012-compute@developer.gserviceaccount.com"


def _cp(exceeds: bool | None) -> Identity:
    return Identity(
        id="arn:aws:iam::111122223333:role/eks-cluster",
        role="control-plane",
        exceeds_minimum=exceeds,
        grants=["AdministratorAccess"] if exceeds else [],
    )


def _admin(name: str) -> Identity:
    return node_identity(
        id=f"arn:aws:iam::111122223333:role/{name}",
        admin_equivalent=True,
        grants=["AdministratorAccess (attached)"],
    )


def _gke_pool(name: str = "default-pool", **fields: Any) -> NodePool:
    identity = node_identity(id=GCE_DEFAULT, is_default=fields.pop("is_default", True))
    return pool(name, identities=[identity], **fields)


CASES = [
    # IAM-001: admin-equivalent node identity
    Case("least-privilege", "IAM-001", good_posture(), Status.PASS),
    Case(
        "admin-node-role",
        "IAM-001",
        with_pools(
            pool("ng-ok"),
            pool(
                "ng-admin",
                identities=[_admin("admin-nodes")],
            ),
        ),
        Status.FAIL,
        ("ng-admin", "role/admin-nodes", "AdministratorAccess (attached)"),
    ),
    Case(
        "nodes-without-any-identity",
        "IAM-001",
        with_pools(pool("no-profile", identities=[])),
        Status.PASS,
    ),
    Case(
        "mixed-pool-worst-decides",
        "IAM-001",
        with_pools(pool("self-managed", identities=[node_identity(), _admin("admin-nodes")])),
        Status.FAIL,
        ("self-managed", "role/admin-nodes"),
    ),
    Case(
        "mixed-pool-one-unknown",
        "IAM-001",
        with_pools(
            pool(
                "self-managed", identities=[node_identity(), node_identity(admin_equivalent=None)]
            ),
            errors=(IAM_DENIED,),
        ),
        Status.ERROR,
        (IAM_DENIED.one_line(),),
    ),
    Case(
        "mixed-pool-one-unknown-one-admin",
        "IAM-001",
        with_pools(
            pool(
                "self-managed",
                identities=[node_identity(admin_equivalent=None), _admin("admin-nodes")],
            ),
            errors=(IAM_DENIED,),
        ),
        Status.FAIL,
        ("role/admin-nodes",),
    ),
    Case(
        "identity-unknown",
        "IAM-001",
        with_pools(pool(identities=None), errors=(IAM_DENIED,)),
        Status.ERROR,
        (IAM_DENIED.one_line(), "node pools: ng-1"),
    ),
    Case(
        "summary-unknown",
        "IAM-001",
        with_pools(pool(identities=[node_identity(admin_equivalent=None)]), errors=(IAM_DENIED,)),
        Status.ERROR,
        (IAM_DENIED.one_line(),),
    ),
    # IAM-002: control-plane identity beyond the minimum
    Case("minimal-cluster-role", "IAM-002", good_posture(), Status.PASS),
    Case(
        "broad-cluster-role",
        "IAM-002",
        good_posture(control_plane_identity=_cp(True)),
        Status.FAIL,
        ("role/eks-cluster", "AdministratorAccess"),
    ),
    Case(
        "identity-unknown",
        "IAM-002",
        good_posture(control_plane_identity=None, collection_errors=[CP_DENIED]),
        Status.ERROR,
        (CP_DENIED.one_line(),),
    ),
    Case(
        "summary-unknown",
        "IAM-002",
        good_posture(control_plane_identity=_cp(None), collection_errors=[CP_DENIED]),
        Status.ERROR,
        (CP_DENIED.one_line(),),
    ),
    # IAM-003: the provider's default identity
    Case("dedicated-sa", "IAM-003", good_posture("gcp"), Status.PASS),
    Case("no-identity", "IAM-003", with_pools(pool("bare", identities=[])), Status.PASS),
    Case(
        "gce-default-sa",
        "IAM-003",
        with_pools(_gke_pool()),
        Status.FAIL,
        ("default-pool", GCE_DEFAULT),
    ),
    Case(
        "unknown",
        "IAM-003",
        with_pools(pool(identities=None), errors=(IAM_DENIED,)),
        Status.ERROR,
        (IAM_DENIED.one_line(),),
    ),
    # IAM-004: node credentials through instance metadata
    Case("imdsv2-hop-1", "IAM-004", good_posture(), Status.PASS),
    Case(
        "imdsv1-but-no-identity",
        "IAM-004",
        with_pools(pool("bare", identities=[], metadata_credentials_exposed=True)),
        Status.PASS,
    ),
    Case(
        "imdsv1",
        "IAM-004",
        with_pools(
            pool(
                "ng-legacy",
                metadata_credentials_exposed=True,
                metadata_detail="IMDSv1 allowed (HttpTokens optional)",
            )
        ),
        Status.FAIL,
        ("ng-legacy", "IMDSv1 allowed"),
    ),
    Case(
        "unknown",
        "IAM-004",
        with_pools(
            pool(metadata_credentials_exposed=None),
            errors=(denied("node_pools.metadata_credentials_exposed"),),
        ),
        Status.ERROR,
        ("eks:DescribeNodegroup on prod failed",),
    ),
    # IAM-005: per-workload identity
    Case("pod-identity", "IAM-005", good_posture(), Status.PASS, ("pod-identity",)),
    Case(
        "none",
        "IAM-005",
        good_posture(workload_identity=WorkloadIdentity(enabled=False)),
        Status.FAIL,
        ("borrow the node's",),
    ),
    Case(
        "unknown",
        "IAM-005",
        good_posture(
            workload_identity=WorkloadIdentity(),
            collection_errors=[denied("workload_identity", call="eks:ListAddons")],
        ),
        Status.ERROR,
        ("eks:ListAddons on prod failed",),
    ),
    # IAM-006: default identity with the cloud-platform scope
    Case(
        "dedicated-sa-full-scope",
        "IAM-006",
        with_pools(_gke_pool(is_default=False, full_cloud_api_scope=True)),
        Status.PASS,
    ),
    Case(
        "default-sa-narrow-scopes",
        "IAM-006",
        with_pools(_gke_pool(full_cloud_api_scope=False)),
        Status.PASS,
    ),
    Case(
        "default-sa-full-scope",
        "IAM-006",
        with_pools(_gke_pool(full_cloud_api_scope=True)),
        Status.FAIL,
        ("default-pool", GCE_DEFAULT),
    ),
    Case(
        "scope-unknown",
        "IAM-006",
        with_pools(
            _gke_pool(full_cloud_api_scope=None),
            errors=(denied("node_pools", call="container:ListNodePools"),),
        ),
        Status.ERROR,
        ("container:ListNodePools on prod failed",),
    ),
]
