"""Hand-built postures for rule tests: a fully collected, well-configured baseline to vary.

Every case starts from :func:`good_posture` (which passes every rule) and changes only the
facts its rule reads, so a case documents exactly which fact flips the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cloudposture.model import (
    Authentication,
    ClusterPosture,
    ClusterRef,
    CollectionError,
    EndpointAccess,
    EtcdAccess,
    Identity,
    IngressRule,
    Logging,
    NetworkPolicySupport,
    NodePool,
    SecretsEncryption,
    Severity,
    Status,
    VersionSupport,
    WorkloadIdentity,
)
from cloudposture.rules.base import RuleSettings

KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
NODE_ROLE = "arn:aws:iam::111122223333:role/eks-node"


@dataclass(frozen=True)
class Case:
    """One row of a rule's table: this posture gives this status, saying these things."""

    id: str
    rule: str
    posture: ClusterPosture
    status: Status
    contains: tuple[str, ...] = ()
    severity: Severity | None = None
    """The outcome's own severity (None: the rule's default applies)."""
    settings: RuleSettings = field(default_factory=RuleSettings)


def cluster_ref(provider: str = "aws", name: str = "prod") -> ClusterRef:
    return ClusterRef(
        provider=provider,
        account="111122223333",
        region="eu-west-1",
        name=name,
        native_id=f"arn:aws:eks:eu-west-1:111122223333:cluster/{name}",
        tags={"team": "platform"},
    )


def denied(*affects: str, call: str = "eks:DescribeNodegroup") -> CollectionError:
    return CollectionError(
        call=call,
        kind="denied",
        code="AccessDenied",
        message="User is not authorized to perform this action",
        resource="prod",
        affects=list(affects),
    )


def ingress(
    protocol: str = "tcp",
    port_from: int | None = None,
    port_to: int | None = None,
    *,
    source: str = "0.0.0.0/0",
    origin: str = "sg-0abc",
    kubernetes_service: bool = False,
) -> IngressRule:
    if port_from is not None and port_to is None:
        port_to = port_from
    return IngressRule.model_validate(
        {
            "protocol": protocol,
            "port_from": port_from,
            "port_to": port_to,
            "source": source,
            "origin": origin,
            "kubernetes_service": kubernetes_service,
        }
    )


def node_identity(**overrides: Any) -> Identity:
    fields: dict[str, Any] = {
        "id": NODE_ROLE,
        "role": "node",
        "is_default": False,
        "admin_equivalent": False,
        "wildcard_grants": False,
        "grants": [],
        "sources": {"admin_equivalent": "iam:ListAttachedRolePolicies"},
    }
    fields.update(overrides)
    return Identity(**fields)


def pool(name: str = "ng-1", **overrides: Any) -> NodePool:
    fields: dict[str, Any] = {
        "name": name,
        "public_ip": False,
        "internet_ingress": [],
        "ssh_access": False,
        "ssh_source_restricted": True,
        "identities": [node_identity()],
        "metadata_credentials_exposed": False,
        "metadata_detail": "IMDSv2 required, hop limit 1",
        "full_cloud_api_scope": False,
        "sources": {"public_ip": "ec2:DescribeSubnets MapPublicIpOnLaunch"},
    }
    fields.update(overrides)
    return NodePool(**fields)


def good_posture(provider: str = "aws", **overrides: Any) -> ClusterPosture:
    """A fully collected cluster that passes every rule."""
    fields: dict[str, Any] = {
        "ref": cluster_ref(provider),
        "endpoint": EndpointAccess(
            public_enabled=False,
            private_enabled=True,
            authorized_cidrs=[],
            provider_ranges_allowed=False,
            sources={"public_enabled": "eks:DescribeCluster endpointPublicAccess"},
        ),
        "authentication": Authentication(idp_enabled=True, local_credentials_enabled=False),
        "node_pools": [pool()],
        "control_plane_identity": Identity(
            id="arn:aws:iam::111122223333:role/eks-cluster",
            role="control-plane",
            exceeds_minimum=False,
        ),
        "workload_identity": WorkloadIdentity(enabled=True, mechanisms=["pod-identity"]),
        "secrets_encryption": SecretsEncryption(
            customer_key_enabled=True,
            key_id=KEY_ARN,
            provider_default_encryption=True,
            key_state="Enabled",
            key_usable=True,
            rotation_enabled=True,
            rotation_period_days=365,
        ),
        "logging": Logging(
            audit_enabled=True,
            components=["audit", "authenticator", "apiserver", "controller-manager", "scheduler"],
            destination="CloudWatch Logs /aws/eks/prod/cluster",
        ),
        "version": VersionSupport(version="1.31", standard_support=True, detail="until 2025-11"),
        "network_policy": NetworkPolicySupport(enforced=True, engine="vpc-cni"),
        "etcd": EtcdAccess(provider_managed=True, detail="AWS operates etcd for EKS"),
    }
    fields.update(overrides)
    return ClusterPosture(**fields)


def endpoint(**fields: Any) -> EndpointAccess:
    return EndpointAccess(**fields)


def with_pools(*pools: NodePool, errors: tuple[CollectionError, ...] = ()) -> ClusterPosture:
    return good_posture(node_pools=list(pools), collection_errors=list(errors))
