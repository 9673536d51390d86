"""GKE node pools -> neutral NodePools: public IPs, internet ingress, identity, metadata.

Pure. Covers every pool the cluster lists (Standard, Autopilot, auto-provisioned), plus the
node auto-provisioning defaults when auto-provisioning is on: pools it creates later start
from those defaults, so their identity and scopes are judged before any node exists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from cloudposture.model import Identity, IngressRule, NodePool
from cloudposture_gcp.enums import WORKLOAD_METADATA_MODE, enum_name
from cloudposture_gcp.firewall import (
    NetworkFirewalls,
    NodeTarget,
    UnknownTarget,
    effective_ingress,
    unresolved_rules,
)
from cloudposture_gcp.iam import PolicyLevel, describe_levels, grants_for

CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
DEFAULT_SA_SUFFIX = "-compute@developer.gserviceaccount.com"
LIST = "container:ListClusters cluster"
SSH_IS_A_FIREWALL_RULE = (
    "GKE node pools have no SSH setting: SSH is a VPC firewall rule, judged with the rest of "
    "the internet ingress (NODE-002)"
)
AUTOPILOT_HAS_NO_SSH = (
    "Autopilot nodes are Google-managed and GKE offers no SSH to them; a firewall rule that "
    "opens port 22 is judged with the rest of the internet ingress (NODE-002)"
)
PoolKind = Literal["managed", "autopilot", "auto-provisioning"]


@dataclass(frozen=True)
class PoolContext:
    """Project-level facts every pool of a cluster is judged against (None = not read)."""

    project: str
    project_number: str | None
    policies: Sequence[PolicyLevel]
    """The project's IAM policy, then its ancestors' up to the organization (see iam)."""
    firewalls: NetworkFirewalls | None
    role_definitions: Mapping[str, Mapping[str, Any] | None] = field(default_factory=dict)
    """Roles bound to the pools' service accounts and judged by permission (custom, and
    predefined outside the known escalators), as read (None: unreadable)."""


@dataclass(frozen=True)
class _PoolSpec:
    name: str
    kind: PoolKind
    config: Mapping[str, Any]
    """NodeConfig-shaped: serviceAccount, oauthScopes, tags, workloadMetadataConfig, ..."""
    private_nodes: bool
    private_source: str
    extra_tags: tuple[str, ...]
    path: str
    """Where this pool sits in the cluster JSON, for evidence."""


def node_pools(cluster: Mapping[str, Any], ctx: PoolContext) -> list[NodePool]:
    return [_pool(spec, cluster, ctx) for spec in _specs(cluster)]


def service_accounts(cluster: Mapping[str, Any], number: str | None) -> list[str]:
    """The emails the cluster's pools run as (``default`` only once its number is known)."""
    emails = (_service_account_email(spec.config, number) for spec in _specs(cluster))
    return list(dict.fromkeys(e for e in emails if e))


def needs_project_number(cluster: Mapping[str, Any]) -> bool:
    """Does any pool run as ``default``, whose email needs the project number?"""
    return any(
        str(spec.config.get("serviceAccount") or "default") == "default" for spec in _specs(cluster)
    )


def auto_node_tag(cluster: Mapping[str, Any]) -> str | None:
    """GKE's own tag on every node, ``gke-<cluster>-<first 8 of cluster id>-node``.

    GKE's automatically created firewall rules (``-all``, ``-vms``, ``-ssh``, ``-master``,
    ``-exkubelet``) and the ``k8s-fw-*`` rules of LoadBalancer Services target this tag.
    """
    cluster_id = str(cluster.get("id") or "")
    name = str(cluster.get("name") or "")
    return f"gke-{name}-{cluster_id[:8]}-node" if cluster_id and name else None


def _specs(cluster: Mapping[str, Any]) -> list[_PoolSpec]:
    autopilot = bool((cluster.get("autopilot") or {}).get("enabled"))
    private, private_source = _cluster_private_nodes(cluster)
    auto_tags = tuple(
        ((cluster.get("nodePoolAutoConfig") or {}).get("networkTags") or {}).get("tags") or []
    )
    specs: list[_PoolSpec] = []
    for index, pool in enumerate(cluster.get("nodePools") or []):
        auto = bool((pool.get("autoscaling") or {}).get("autoprovisioned"))
        kind: PoolKind = "autopilot" if autopilot else "auto-provisioning" if auto else "managed"
        net = pool.get("networkConfig") or {}
        pool_private = net.get("enablePrivateNodes")
        specs.append(
            _PoolSpec(
                name=str(pool.get("name", f"pool-{index}")),
                kind=kind,
                config=pool.get("config") or {},
                private_nodes=private if pool_private is None else bool(pool_private),
                private_source=private_source
                if pool_private is None
                else f"{LIST}.nodePools[{index}].networkConfig.enablePrivateNodes",
                extra_tags=auto_tags if kind != "managed" else (),
                path=f"{LIST}.nodePools[{index}]",
            )
        )
    autoscaling = cluster.get("autoscaling") or {}
    if autoscaling.get("enableNodeAutoprovisioning") or (autopilot and not specs):
        specs.append(
            _PoolSpec(
                name="auto-provisioning-defaults",
                kind="autopilot" if autopilot else "auto-provisioning",
                config=_defaults_config(cluster),
                private_nodes=private,
                private_source=private_source,
                extra_tags=auto_tags,
                path=f"{LIST}.autoscaling.autoprovisioningNodePoolDefaults",
            )
        )
    return specs


def _cluster_private_nodes(cluster: Mapping[str, Any]) -> tuple[bool, str]:
    network = cluster.get("networkConfig") or {}
    if "defaultEnablePrivateNodes" in network:
        return bool(network["defaultEnablePrivateNodes"]), (
            f"{LIST}.networkConfig.defaultEnablePrivateNodes"
        )
    private = bool((cluster.get("privateClusterConfig") or {}).get("enablePrivateNodes"))
    return private, f"{LIST}.privateClusterConfig.enablePrivateNodes"


def _defaults_config(cluster: Mapping[str, Any]) -> Mapping[str, Any]:
    """Auto-provisioned pools' NodeConfig: the defaults, with GKE's metadata server whenever
    the cluster has a workload pool (GKE sets GKE_METADATA on the pools it creates then)."""
    defaults = (cluster.get("autoscaling") or {}).get("autoprovisioningNodePoolDefaults") or {}
    config: dict[str, Any] = {
        "serviceAccount": defaults.get("serviceAccount") or "default",
        "oauthScopes": list(defaults.get("oauthScopes") or []),
    }
    if (cluster.get("workloadIdentityConfig") or {}).get("workloadPool"):
        config["workloadMetadataConfig"] = {"mode": "GKE_METADATA"}
    return config


def _pool(spec: _PoolSpec, cluster: Mapping[str, Any], ctx: PoolContext) -> NodePool:
    config = spec.config
    email = _service_account_email(config, ctx.project_number)
    identity = _identity(config, email, spec, ctx)
    tags = {str(t) for t in config.get("tags") or []} | set(spec.extra_tags)
    auto_tag = auto_node_tag(cluster)
    if auto_tag:
        tags.add(auto_tag)
    target = NodeTarget(frozenset(tags), email)
    ingress = _ingress(ctx.firewalls, target)
    exposed, detail = _metadata(config, spec.kind)
    scopes = {str(s) for s in config.get("oauthScopes") or []}
    return NodePool(
        name=spec.name,
        kind=spec.kind,
        public_ip=not spec.private_nodes,
        internet_ingress=ingress,
        identities=[identity],
        metadata_credentials_exposed=exposed,
        metadata_detail=detail,
        full_cloud_api_scope=bool(scopes & {CLOUD_PLATFORM_SCOPE, "cloud-platform"}),
        sources={
            "public_ip": spec.private_source,
            "internet_ingress": _ingress_source(ctx.firewalls, target),
            "identities": f"{spec.path}.config.serviceAccount",
            "metadata_credentials_exposed": f"{spec.path}.config.workloadMetadataConfig.mode",
            "full_cloud_api_scope": f"{spec.path}.config.oauthScopes",
        },
        not_applicable=_no_ssh_setting(spec.kind),
    )


def _no_ssh_setting(kind: PoolKind) -> dict[str, str]:
    """GKE has no provider SSH switch on a pool (NODE-004 is NOT_APPLICABLE on GKE), so
    neither it nor its source restriction exists: port 22 is whatever the firewalls allow."""
    why = AUTOPILOT_HAS_NO_SSH if kind == "autopilot" else SSH_IS_A_FIREWALL_RULE
    return dict.fromkeys(("ssh_access", "ssh_source_restricted"), why)


def _service_account_email(config: Mapping[str, Any], number: str | None) -> str | None:
    account = str(config.get("serviceAccount") or "default")
    if account != "default":
        return account
    return f"{number}{DEFAULT_SA_SUFFIX}" if number else None


def _identity(
    config: Mapping[str, Any], email: str | None, spec: _PoolSpec, ctx: PoolContext
) -> Identity:
    account = str(config.get("serviceAccount") or "default")
    is_default = account == "default" or account.lower().endswith(DEFAULT_SA_SUFFIX)
    sources = {
        "is_default": f"{spec.path}.config.serviceAccount ({account})",
        "admin_equivalent": (
            f"getIamPolicy bindings on {describe_levels(ctx.policies) or 'no level read'}"
            + _role_source(ctx.role_definitions)
        ),
        "wildcard_grants": "Google Cloud IAM has no wildcard permission grants",
    }
    if email is None:
        return Identity(
            id="default (Compute Engine default service account)",
            role="node",
            is_default=is_default,
            sources=sources,
        )
    grants = grants_for(ctx.policies, email, ctx.role_definitions)
    read_any = any(level.policy is not None for level in ctx.policies)
    return Identity(
        id=email,
        role="node",
        is_default=is_default,
        admin_equivalent=grants.admin_equivalent,
        wildcard_grants=False if read_any else None,
        grants=list(grants.admin_grants),
        sources=sources,
    )


def _role_source(roles: Mapping[str, Mapping[str, Any] | None]) -> str:
    if not roles:
        return ""
    shown = ", ".join(r + ("" if d is not None else " (unreadable)") for r, d in roles.items())
    return f"; iam.roles.get includedPermissions of {shown}"


def _ingress(firewalls: NetworkFirewalls | None, target: NodeTarget) -> list[IngressRule] | None:
    if firewalls is None:
        return None
    try:
        return effective_ingress(firewalls, target)
    except UnknownTarget:
        return None


def _ingress_source(firewalls: NetworkFirewalls | None, target: NodeTarget) -> str:
    where = f" on {firewalls.network}" if firewalls is not None else ""
    region = f" {firewalls.region}" if firewalls is not None and firewalls.region else ""
    text = (
        f"compute:GetEffectiveFirewalls{where} and compute:GetRegionEffectiveFirewalls{region}: "
        "hierarchical firewall policies, then VPC firewall rules and the global and regional "
        "network firewall policies "
        f"({firewalls.enforcement_order if firewalls else 'in the network order'}), each rule "
        f"targeting tags {sorted(target.tags)}, the pool's service account, or all instances"
    )
    if firewalls is None:
        return text
    try:
        tagged = unresolved_rules(firewalls, target)
    except UnknownTarget:
        return text
    if tagged:
        text += (
            f"; {tagged} policy rule(s) target secure tags, which cannot be resolved to node "
            "pools: their allows are counted for every node, their denies are not"
        )
    return text


def _metadata(config: Mapping[str, Any], kind: PoolKind) -> tuple[bool, str]:
    """Can pods read the node service account's token from the metadata server?"""
    raw = (config.get("workloadMetadataConfig") or {}).get("mode")
    mode = enum_name(raw, WORKLOAD_METADATA_MODE, "")
    if kind == "autopilot" and not mode:
        mode = "GKE_METADATA"  # Autopilot always runs the GKE metadata server
    legacy = str((config.get("metadata") or {}).get("disable-legacy-endpoints", "")).lower()
    legacy_note = (
        "; legacy metadata endpoints (v0.1/v1beta1) are not disabled"
        if config.get("metadata") is not None and legacy != "true"
        else ""
    )
    if mode == "GKE_METADATA":
        return False, (
            "workloadMetadataConfig.mode GKE_METADATA: the GKE metadata server hides the "
            f"node's credentials from pods{legacy_note}"
        )
    shown = mode or "unset"
    return True, (
        f"workloadMetadataConfig.mode {shown}: pods can fetch the node service account's "
        f"access token from the Compute Engine metadata server{legacy_note}"
    )
