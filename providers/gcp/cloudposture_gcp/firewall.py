"""Which VPC firewall rules let the whole internet reach a node pool, and on which ports.

Pure: firewall rules (the v1 REST JSON of ``firewalls.list``) and a node pool's network
tags and service account in, the internet-facing ingress it really receives out.

How Google evaluates VPC firewall rules, and so how this module does:
- A rule applies to an instance through ``targetTags`` (any tag shared), through
  ``targetServiceAccounts`` (the instance's service account listed), or, with neither, to
  every instance on the network.
- The lower ``priority`` number wins; at equal priority a deny beats an allow. So an allow
  keeps only what no deny of higher-or-equal precedence takes away from it (GKE's own
  ``-exkubelet`` rule, a deny of tcp/10255 from 0.0.0.0/0, is the classic case).
- "The whole internet" is a source range with prefix length 0 (``0.0.0.0/0``, ``::/0``),
  and an ingress rule without any source, which the API treats as ``0.0.0.0/0``. A deny
  takes internet traffic away only when it covers the whole internet of that IP family.
- Rules that Kubernetes opened for a ``LoadBalancer`` Service (``k8s-fw-*``) are marked
  ``kubernetes_service`` so a rule can tell them from hand-made openings.

Hierarchical and network firewall policies are not evaluated here (see docs/providers/gcp.md).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from cloudposture.model import IngressRule
from cloudposture.model.posture import Protocol

ALL_PORTS = (0, 65535)
PortRange = tuple[int, int]
Family = Literal["v4", "v6"]
WHOLE: Mapping[Family, str] = {"v4": "0.0.0.0/0", "v6": "::/0"}

_PROTOCOL_NUMBERS = {"6": "tcp", "17": "udp", "1": "icmp", "132": "sctp", "58": "icmpv6"}
_PORTED = ("tcp", "udp", "sctp")
_MODEL_PROTOCOLS: Mapping[str, Protocol] = {
    "tcp": "tcp",
    "udp": "udp",
    "icmp": "icmp",
    "icmpv6": "icmpv6",
    "sctp": "sctp",
    "all": "all",
}
_OTHER = "other"
"""Stands for every protocol not named when an 'all' allow is split by a partial deny."""


@dataclass(frozen=True)
class NodeTarget:
    """What a firewall rule can select a node pool's instances by."""

    tags: frozenset[str]
    service_account: str | None
    """The nodes' service account email; None when it could not be resolved."""


@dataclass(frozen=True)
class _Grant:
    protocol: str
    ports: PortRange | None
    """None for protocols without ports (icmp, esp, ...) or for 'all'."""


@dataclass(frozen=True)
class _Rule:
    name: str
    priority: int
    allow: bool
    families: frozenset[Family]
    grants: tuple[_Grant, ...]
    kubernetes_service: bool


class UnknownTarget(Exception):
    """A rule selects instances by service account and the pool's account is unknown."""


def internet_ingress(
    firewalls: Iterable[Mapping[str, Any]], target: NodeTarget
) -> list[IngressRule]:
    """The internet-facing ingress the target's instances receive after priorities and denies.

    Raises :class:`UnknownTarget` when the answer depends on a service account that could
    not be resolved (the caller reports the fact as not collected rather than guessing).
    """
    rules: list[_Rule] = []
    for fw in firewalls:
        rule = _parse(fw)
        applies = _applies(fw, target)
        if not rule.families or applies is False:
            continue
        if applies is None:
            raise UnknownTarget(rule.name)
        rules.append(rule)
    denies = [r for r in rules if not r.allow]
    out: list[IngressRule] = []
    for rule in sorted((r for r in rules if r.allow), key=lambda r: (r.priority, r.name)):
        for family in sorted(rule.families):
            blockers = [d for d in denies if d.priority <= rule.priority and family in d.families]
            for grant in rule.grants:
                for kept in _subtract(grant, [g for d in blockers for g in d.grants]):
                    out.append(_ingress(kept, family, rule))
    return out


def _applies(fw: Mapping[str, Any], target: NodeTarget) -> bool | None:
    """Whether the rule selects the target's instances; None when that cannot be known."""
    if fw.get("disabled") or str(fw.get("direction") or "INGRESS").upper() != "INGRESS":
        return False
    tags = fw.get("targetTags") or []
    accounts = fw.get("targetServiceAccounts") or []
    if tags:
        return bool(target.tags.intersection(tags))
    if accounts:
        if target.service_account is None:
            return None
        return target.service_account.lower() in {str(a).lower() for a in accounts}
    return True


def _parse(fw: Mapping[str, Any]) -> _Rule:
    allow = bool(fw.get("allowed"))
    entries = fw.get("allowed") if allow else fw.get("denied")
    grants = tuple(g for e in entries or [] for g in _grants(e))
    name = str(fw.get("name", ""))
    return _Rule(
        name=name,
        priority=int(fw.get("priority", 1000)),
        allow=allow,
        families=_internet_families(fw),
        grants=grants,
        kubernetes_service=name.startswith("k8s-fw-"),
    )


def _internet_families(fw: Mapping[str, Any]) -> frozenset[Family]:
    ranges = list(fw.get("sourceRanges") or [])
    if not ranges and not fw.get("sourceTags") and not fw.get("sourceServiceAccounts"):
        ranges = [WHOLE["v4"]]  # the API's default source for an ingress rule
    found: set[Family] = set()
    for cidr in ranges:
        try:
            net = ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            continue
        if net.prefixlen == 0:
            found.add("v4" if net.version == 4 else "v6")
    return frozenset(found)


def _grants(entry: Mapping[str, Any]) -> list[_Grant]:
    raw = str(entry.get("IPProtocol", "all")).lower()
    protocol = _PROTOCOL_NUMBERS.get(raw, raw)
    ports = [p for p in entry.get("ports") or [] if str(p).strip()]
    if protocol not in _PORTED:
        return [_Grant(protocol, None)]
    if not ports:
        return [_Grant(protocol, ALL_PORTS)]
    return [_Grant(protocol, _port_range(str(p))) for p in ports]


def _port_range(text: str) -> PortRange:
    low, _, high = text.strip().partition("-")
    try:
        return (int(low), int(high or low))
    except ValueError:
        return ALL_PORTS  # unreadable: assume the widest opening rather than none


def _subtract(grant: _Grant, denied: Sequence[_Grant]) -> list[_Grant]:
    """What of ``grant`` survives the ``denied`` grants."""
    if any(d.protocol == "all" for d in denied):
        return []
    if grant.protocol == "all":
        if not denied:
            return [grant]
        split = [_Grant(p, ALL_PORTS) for p in _PORTED] + [_Grant(p, None) for p in ("icmp",)]
        return [k for g in [*split, _Grant(_OTHER, None)] for k in _subtract(g, denied)]
    same = [d for d in denied if d.protocol == grant.protocol]
    if grant.ports is None:
        return [] if same else [grant]
    pieces = [grant.ports]
    for d in same:
        pieces = [p for piece in pieces for p in _cut(piece, d.ports or ALL_PORTS)]
    return [_Grant(grant.protocol, p) for p in pieces]


def _cut(piece: PortRange, hole: PortRange) -> list[PortRange]:
    low, high = piece
    if hole[1] < low or hole[0] > high:
        return [piece]
    left = [(low, hole[0] - 1)] if hole[0] > low else []
    right = [(hole[1] + 1, high)] if hole[1] < high else []
    return left + right


def _ingress(grant: _Grant, family: Family, rule: _Rule) -> IngressRule:
    protocol: Protocol = _MODEL_PROTOCOLS.get(grant.protocol, "other")
    whole = grant.ports is None or grant.ports == ALL_PORTS
    detail = "" if protocol != "other" else f", protocol {grant.protocol}"
    return IngressRule(
        protocol=protocol,
        port_from=None if whole or grant.ports is None else grant.ports[0],
        port_to=None if whole or grant.ports is None else grant.ports[1],
        source=WHOLE[family],
        origin=f"firewall rule {rule.name} (priority {rule.priority}{detail})",
        kubernetes_service=rule.kubernetes_service,
    )
