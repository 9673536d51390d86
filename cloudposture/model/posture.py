"""The provider-neutral cluster posture: every fact a rule reads, with one meaning on every cloud.

Why this shape:
- ``None`` always means *no value*, never ``False``, and every ``None`` says why (see
  :mod:`cloudposture.model.completeness`): a collection error that ``affects`` it, an
  ``unknown_reasons`` entry (not collected although no call failed), a ``not_applicable`` entry
  (the fact does not exist here: EKS has no provider-ranges switch), or the section's own
  facts (no customer key, so no key state). A rule that meets ``None`` reports ERROR with that
  reason (see :meth:`ClusterPosture.reason_unknown`), never PASS.
- Every section records, per field, the raw API path the value came from (``sources``), so a
  finding can show the evidence a reviewer would look up in the provider's console or API.
- Everything is frozen: a posture is a snapshot of what the APIs said during one scan.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from cloudposture.model.errors import CollectionError


class Frozen(BaseModel):
    """Base for every model object: immutable, and strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Explained(Frozen):
    """Why some of this object's fields are None (see :mod:`cloudposture.model.completeness`):
    a section explains its facts, the posture its two optional members (``node_pools``,
    ``control_plane_identity``)."""

    unknown_reasons: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "field name -> why the adapter left it None although no API call failed (e.g. a "
            "self-managed CNI whose network policy the cloud API cannot show)"
        ),
    )
    not_applicable: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "field name -> why the fact does not exist on this cluster, so None is its answer "
            "rather than a gap (EKS has no provider-ranges switch; GKE's control plane runs "
            "as a Google-managed identity)"
        ),
    )


class Section(Explained):
    """A group of facts from one place in the provider API, with where each fact came from."""

    sources: dict[str, str] = Field(
        default_factory=dict,
        description="field name -> raw API path the value was read from (for evidence)",
    )

    NONE_MEANS: ClassVar[dict[str, str]] = {}
    """Fields whose ``None`` is itself a documented value on every cloud (``key_error``: the
    key was read), with what it means."""

    def implied_unset(self) -> dict[str, str]:
        """Fields left ``None`` because this section's other facts make them meaningless
        (no customer key, so no key state), with why. Overridden per section."""
        return {}

    def explained_unset(self) -> dict[str, str]:
        """Every field whose ``None`` this section itself explains, with the explanation."""
        return {
            **self.NONE_MEANS,
            **self.implied_unset(),
            **self.not_applicable,
            **self.unknown_reasons,
        }

    def source_of(self, field: str) -> str:
        """The API path behind ``field``, or an empty string when the adapter did not say."""
        return self.sources.get(field, "")


class ClusterRef(Frozen):
    """Just enough to find a cluster again: what discovery returns and every finding names."""

    provider: str = Field(description="provider plugin name: aws, gcp, azure, ...")
    account: str = Field(description="AWS account id, GCP project id, Azure subscription id")
    region: str = Field(description="AWS region, GCP location (region or zone), Azure location")
    name: str
    native_id: str = Field(description="ARN, GKE self-link, or ARM resource id")
    tags: dict[str, str] = Field(default_factory=dict)


WHOLE_INTERNET_V4 = "0.0.0.0/0"
WHOLE_INTERNET_V6 = "::/0"


def is_whole_internet(cidr: str) -> bool:
    """True for the all-addresses ranges (IPv4 or IPv6)."""
    try:
        return ipaddress.ip_network(cidr, strict=False).prefixlen == 0
    except ValueError:
        return False


def is_private_range(cidr: str) -> bool:
    """True when every address of ``cidr`` is private (RFC 1918, ULA, loopback, link-local)."""
    try:
        net = ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False
    return net.is_private and net.prefixlen > 0


class EndpointAccess(Section):
    """Network access to the API server (infrastructure table row 1)."""

    public_enabled: bool | None = None
    private_enabled: bool | None = None
    authorized_cidrs: list[str] | None = Field(
        default=None,
        description=(
            "CIDRs allowed to reach the public endpoint. An unrestricted public endpoint is "
            "normalized to ['0.0.0.0/0'] so rules never confuse 'no list' with 'no access'."
        ),
    )
    provider_ranges_allowed: bool | None = Field(
        default=None,
        description="the provider's own public address space may reach the endpoint (GKE)",
    )

    def implied_unset(self) -> dict[str, str]:
        if self.public_enabled is False:
            why = "the API server has no public endpoint"
            return {"authorized_cidrs": why, "provider_ranges_allowed": why}
        return {}


class Authentication(Section):
    """Who the API server accepts credentials from (row 1)."""

    idp_enabled: bool | None = Field(
        default=None, description="identities come from the cloud IdP (IAM, Google, Entra ID)"
    )
    local_credentials_enabled: bool | None = Field(
        default=None,
        description="credentials bypassing the IdP are accepted (certs, basic auth, local users)",
    )
    local_credential_kinds: list[str] = Field(default_factory=list)


Protocol = Literal["tcp", "udp", "icmp", "icmpv6", "sctp", "all", "other"]


class IngressRule(Frozen):
    """One internet-facing way in, as (protocol, port range, source), and where it is defined."""

    protocol: Protocol
    port_from: int | None = Field(default=None, description="None with port_to None: all ports")
    port_to: int | None = None
    source: str = Field(description="source CIDR, or a provider tag such as Internet")
    origin: str = Field(description="the ACL that grants it: sg-..., firewall rule, NSG rule")
    kubernetes_service: bool = Field(
        default=False,
        description=(
            "opened by Kubernetes itself for a LoadBalancer/NodePort Service (GKE k8s-fw-*, "
            "AKS k8s-azure-lb rules, EKS k8s-elb SG rules): expected traffic for NODE-003"
        ),
    )

    @property
    def all_ports(self) -> bool:
        return self.port_from is None or (self.port_from <= 0 and (self.port_to or 0) >= 65535)

    def covers(self, port: int, protocol: str = "tcp") -> bool:
        """True when this rule lets ``protocol``/``port`` in."""
        if self.protocol not in ("all", protocol):
            return False
        if self.all_ports:
            return True
        low = self.port_from if self.port_from is not None else 0
        high = self.port_to if self.port_to is not None else low
        return low <= port <= high

    def describe(self) -> str:
        ports = "all" if self.all_ports else f"{self.port_from}-{self.port_to}"
        if not self.all_ports and self.port_from == self.port_to:
            ports = str(self.port_from)
        return f"{self.protocol}/{ports} from {self.source} ({self.origin})"


class Identity(Section):
    """A cloud identity the cluster acts as, with its permissions summarized (row 3)."""

    id: str = Field(description="role ARN, service account email, managed identity resource id")
    role: Literal["control-plane", "node"]
    is_default: bool | None = Field(
        default=None, description="the provider's default identity (GCE default SA)"
    )
    admin_equivalent: bool | None = None
    wildcard_grants: bool | None = Field(
        default=None, description="grants with wildcard actions on all resources"
    )
    exceeds_minimum: bool | None = Field(
        default=None, description="control plane: broader than the provider's documented minimum"
    )
    grants: list[str] = Field(
        default_factory=list, description="human-readable grants that make it broad"
    )

    def implied_unset(self) -> dict[str, str]:
        if self.role == "node":
            return {"exceeds_minimum": "the documented minimum is judged for the control plane"}
        return {}


class NodePool(Section):
    """A group of nodes: managed node group, GKE node pool, AKS agent pool, self-managed nodes."""

    name: str
    kind: Literal["managed", "self-managed", "autopilot", "auto-provisioning", "serverless"] = (
        "managed"
    )
    public_ip: bool | None = None
    internet_ingress: list[IngressRule] | None = Field(
        default=None, description="effective internet-facing ingress to the nodes"
    )
    ssh_access: bool | None = Field(default=None, description="provider SSH remote access on")
    ssh_source_restricted: bool | None = None
    identities: list[Identity] | None = Field(
        default=None,
        description=(
            "every distinct cloud identity the pool's nodes run as (None: not collected); "
            "rules judge each one and the worst decides"
        ),
    )
    metadata_credentials_exposed: bool | None = Field(
        default=None, description="pods can read the node identity's credentials from metadata"
    )
    metadata_detail: str | None = None
    full_cloud_api_scope: bool | None = Field(
        default=None, description="the node's OAuth scopes grant the whole cloud API (GKE)"
    )

    NONE_MEANS: ClassVar[dict[str, str]] = {"metadata_detail": "nothing to add"}

    def implied_unset(self) -> dict[str, str]:
        if self.ssh_access is False:
            return {"ssh_source_restricted": "SSH access is off"}
        return {}


class WorkloadIdentity(Section):
    """Per-workload cloud identity, so pods need not borrow the node's (row 3)."""

    enabled: bool | None = None
    mechanisms: list[str] = Field(default_factory=list)


class SecretsEncryption(Section):
    """Envelope encryption of Kubernetes secrets in etcd (row 5)."""

    customer_key_enabled: bool | None = Field(
        default=None, description="secrets envelope-encrypted with a customer-managed KMS key"
    )
    key_id: str | None = None
    provider_default_encryption: bool | None = Field(
        default=None, description="secrets envelope-encrypted with a provider-owned key anyway"
    )
    key_state: str | None = Field(default=None, description="provider's own word for the state")
    key_usable: bool | None = None
    rotation_enabled: bool | None = None
    rotation_period_days: int | None = None
    key_error: str | None = Field(default=None, description="why the key could not be read")

    NONE_MEANS: ClassVar[dict[str, str]] = {"key_error": "the key was read (or there is none)"}

    def implied_unset(self) -> dict[str, str]:
        implied: dict[str, str] = {}
        if self.customer_key_enabled is False:
            no_key = "secrets are not encrypted with a customer-managed key"
            implied |= dict.fromkeys(_KEY_FACTS, no_key)
        elif self.key_error:
            implied |= dict.fromkeys(_KEY_STATE_FACTS, f"key not read: {self.key_error}")
        if self.rotation_enabled is False:
            implied.setdefault("rotation_period_days", "automatic rotation is off")
        return implied


_KEY_STATE_FACTS = ("key_state", "key_usable", "rotation_enabled", "rotation_period_days")
_KEY_FACTS = ("key_id", *_KEY_STATE_FACTS)


LogComponent = Literal[
    "audit", "authenticator", "apiserver", "controller-manager", "scheduler", "other"
]


class Logging(Section):
    """Control-plane and audit logging shipped to the provider's log service."""

    audit_enabled: bool | None = None
    components: list[str] | None = Field(
        default=None, description="neutral component names: apiserver, controller-manager, ..."
    )
    destination: str | None = None

    def implied_unset(self) -> dict[str, str]:
        if self.audit_enabled is False and self.components == []:
            return {"destination": "no control-plane log is shipped"}
        return {}


class VersionSupport(Section):
    """Kubernetes version and whether the provider still gives it standard support."""

    version: str | None = None
    standard_support: bool | None = None
    detail: str | None = None

    NONE_MEANS: ClassVar[dict[str, str]] = {"detail": "nothing to add"}


class NetworkPolicySupport(Section):
    """Whether Kubernetes NetworkPolicy is enforced for workloads."""

    enforced: bool | None = None
    engine: str | None = None

    def implied_unset(self) -> dict[str, str]:
        if self.enforced is False:
            return {"engine": "no network policy engine runs"}
        return {}


class EtcdAccess(Section):
    """Access to etcd (row 4). On managed clusters the provider runs etcd."""

    provider_managed: bool | None = None
    detail: str | None = None

    NONE_MEANS: ClassVar[dict[str, str]] = {"detail": "nothing to add"}


class ClusterPosture(Explained):
    """Everything one scan learned about one cluster's cloud configuration."""

    ref: ClusterRef
    endpoint: EndpointAccess = EndpointAccess()
    authentication: Authentication = Authentication()
    node_pools: list[NodePool] | None = Field(
        default=None, description="None: node pools were not collected"
    )
    control_plane_identity: Identity | None = None
    workload_identity: WorkloadIdentity = WorkloadIdentity()
    secrets_encryption: SecretsEncryption = SecretsEncryption()
    logging: Logging = Logging()
    version: VersionSupport = VersionSupport()
    network_policy: NetworkPolicySupport = NetworkPolicySupport()
    etcd: EtcdAccess = EtcdAccess()
    collection_errors: list[CollectionError] = Field(default_factory=list)

    def sections(self) -> Iterator[tuple[str, str, Section]]:
        """Every section in the posture as (fact path, place, section): the fact path is how
        collection errors' ``affects`` name it (``node_pools.identities``), the place where
        this one sits (``node_pools[system].identities[arn:...]``)."""
        for name, value in self:
            if isinstance(value, Section):
                yield name, name, value
        for pool in self.node_pools or []:
            place = f"node_pools[{pool.name}]"
            yield "node_pools", place, pool
            for identity in pool.identities or []:
                yield "node_pools.identities", f"{place}.identities[{identity.id}]", identity

    def reason_unknown(self, *facts: str) -> str:
        """Why ``facts`` (dotted paths such as ``node_pools`` or ``logging``) are unknown.

        Returns the collection errors that touched them, or a generic sentence when the adapter
        recorded none (which is itself worth seeing in a finding).
        """
        hits = [
            e.one_line()
            for e in self.collection_errors
            if any(_overlaps(f, a) for f in facts for a in e.affects)
        ]
        for name, section in self:
            if isinstance(section, Section):
                hits += _section_reasons(section, name, facts)
        hits += self._pool_reasons(facts)
        hits += [
            reason
            for field, reason in (self.unknown_reasons | self.not_applicable).items()
            if any(_overlaps(f, field) for f in facts)
        ]
        if hits:
            return "; ".join(dict.fromkeys(hits))
        return f"{', '.join(facts)} not collected"

    def _pool_reasons(self, facts: tuple[str, ...]) -> list[str]:
        """Node pools' and their identities' reasons, each once with the pools it holds for
        ("... (pools a, b)"): thirty pools without an SSH setting make one sentence."""
        pools_by_reason: dict[str, list[str]] = {}
        for pool in self.node_pools or []:
            sections: list[tuple[Section, str]] = [(pool, "node_pools")]
            sections += [(i, "node_pools.identities") for i in pool.identities or []]
            for section, path in sections:
                for reason in _section_reasons(section, path, facts):
                    pools = pools_by_reason.setdefault(reason, [])
                    if pool.name not in pools:
                        pools.append(pool.name)
        return [
            f"{reason} ({'pool' if len(pools) == 1 else 'pools'} {', '.join(pools)})"
            for reason, pools in pools_by_reason.items()
        ]


def _section_reasons(section: Section, path: str, facts: tuple[str, ...]) -> list[str]:
    """The unknown / not-applicable reasons ``section`` (at fact path ``path``) gives for any
    of ``facts``."""
    return [
        reason
        for field, reason in (section.unknown_reasons | section.not_applicable).items()
        if any(_overlaps(f, f"{path}.{field}") for f in facts)
    ]


def _overlaps(fact: str, affected: str) -> bool:
    """``node_pools`` overlaps ``node_pools.identities`` and the other way round."""
    return fact == affected or fact.startswith(affected + ".") or affected.startswith(fact + ".")
