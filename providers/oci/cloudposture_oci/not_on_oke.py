"""Posture facts that do not exist on OKE, and why (pure data).

One sentence per fact, shared by the normalizer's ``not_applicable`` annotations and by the
rules guidance.py declares NOT_APPLICABLE, so a finding and the posture it was judged on
never explain the same absence two ways.
"""

from __future__ import annotations

NO_LOCAL_CREDENTIALS = (
    "OKE authenticates Kubernetes API requests with OCI IAM tokens (or an OIDC issuer you "
    "configure); it issues no client certificates, static passwords or local accounts that "
    "could be turned off"
)
"""``authentication.local_credentials_enabled`` (CP-004)."""

ORACLE_MANAGED_CONTROL_PLANE = (
    "Oracle manages the OKE control plane and its identity; customers cannot grant it permissions"
)
"""``control_plane_identity`` (IAM-002)."""

NO_DEFAULT_NODE_IDENTITY = (
    "OCI has no default node identity: an instance principal holds only what policies grant "
    "its dynamic groups (IAM-001 judges that)"
)
"""Why a node identity's ``is_default`` is always False (IAM-003)."""

NO_OAUTH_SCOPES = (
    "OCI instances have no OAuth access scopes; policy statements alone decide (IAM-001)"
)
"""``node_pools.full_cloud_api_scope`` (IAM-006)."""
