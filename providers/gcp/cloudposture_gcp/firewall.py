"""Which internet traffic really reaches a node pool, after every firewall layer has spoken.

Pure: a network's effective firewalls (``networks.getEffectiveFirewalls``: VPC firewall
rules, hierarchical and global network firewall policies; plus, for the region the nodes run
in, the regional network firewall policy that only
``regionNetworkFirewallPolicies.getEffectiveFirewalls`` returns) and a node pool's target in,
the internet-facing ingress it receives out, each opening named by the rule that finally
allows it.

How Cloud NGFW decides a packet, and so how this module does:
- Layers, in order: hierarchical firewall policies (the organization's, then each folder's
  from the top down, as the API lists them), system policies, then the VPC firewall rules and
  the network firewall policies (global, then regional) in the order the network's
  ``networkFirewallPolicyEnforcementOrder`` says (``AFTER_CLASSIC_FIREWALL``, the default:
  VPC rules, global policy, regional policy; ``BEFORE_CLASSIC_FIREWALL``: global policy,
  regional policy, VPC rules), then the implied deny.
- Inside a policy the matching rule with the lowest priority number decides: ``allow`` and
  ``deny`` end the evaluation, ``goto_next`` hands the packet to the next layer. Inside the
  VPC rules the lowest number decides too, a deny winning a tie; they never say goto_next.
  A layer with no matching rule hands the packet on.
- So a deny in the organization's policy beats an allow in a VPC rule, and an allow there
  beats a deny below it.

The traffic space is cut into pieces no rule straddles (per IP family: each named protocol,
port ranges split at every rule's boundaries, and "every other protocol"); each piece walks
the layers, and the pieces an allow lets in are merged back into ranges per rule.

A rule targeting secure tags (``unresolved``) is taken in whichever way lets more in: an
allow applies, a deny does not, a goto_next may or may not (both paths are followed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from cloudposture.model import IngressRule
from cloudposture.model.posture import Protocol
from cloudposture_gcp.firewall_rules import (
    ALL_PORTS,
    HIERARCHY,
    NETWORK,
    NETWORK_REGIONAL,
    PORTED,
    SYSTEM_KINDS,
    WHOLE,
    Family,
    NodeTarget,
    PolicyRules,
    PortRange,
    Rule,
    UnknownTarget,
    policy_rules,
    vpc_rules,
)

__all__ = ["AFTER_CLASSIC", "NetworkFirewalls", "NodeTarget", "UnknownTarget", "internet_ingress"]

AFTER_CLASSIC = "AFTER_CLASSIC_FIREWALL"
BEFORE_CLASSIC = "BEFORE_CLASSIC_FIREWALL"
_OTHER = "*"
"""Stands for every protocol that no rule names."""
_MODEL_PROTOCOLS: Mapping[str, Protocol] = {
    "tcp": "tcp",
    "udp": "udp",
    "icmp": "icmp",
    "icmpv6": "icmpv6",
    "sctp": "sctp",
}
_BASE = (*PORTED, "icmp")
_FIXED_PLACE = frozenset({HIERARCHY, *SYSTEM_KINDS})
"""Policy kinds evaluated before the VPC rules whatever the enforcement order."""
_GLOBAL_KINDS = frozenset({HIERARCHY, NETWORK})
"""What the regional response repeats from the global one (and is taken from there)."""


@dataclass(frozen=True)
class NetworkFirewalls:
    """What governs ingress to the instances of one VPC network."""

    network: str
    """``projects/P/global/networks/N``: the host project's network for Shared VPC."""
    firewalls: Sequence[Mapping[str, Any]]
    """VPC firewall rules (``firewalls`` of getEffectiveFirewalls)."""
    policies: Sequence[Mapping[str, Any]] = ()
    """Effective firewall policies (``firewallPolicys``), hierarchical ones in API order."""
    enforcement_order: str = AFTER_CLASSIC
    regional: Sequence[Mapping[str, Any]] = ()
    """The regional network (and regional system) firewall policies in force in ``region``:
    see :func:`regional_only`."""
    region: str = ""


@dataclass(frozen=True)
class _Piece:
    family: Family
    protocol: str
    ports: PortRange | None


def internet_ingress(
    firewalls: Sequence[Mapping[str, Any]],
    target: NodeTarget,
    policies: Sequence[Mapping[str, Any]] = (),
    *,
    network: str = "",
    enforcement_order: str = AFTER_CLASSIC,
    regional: Sequence[Mapping[str, Any]] = (),
) -> list[IngressRule]:
    """The internet-facing ingress the target's instances receive after every layer.

    ``policies`` come from the global read, ``regional`` from the regional one (already cut
    down by :func:`regional_only`). Raises :class:`UnknownTarget` when the answer depends on
    a service account that could not be resolved (the caller reports the fact as not
    collected rather than guessing).
    """
    layers = _layers(firewalls, policies, regional, target, network, enforcement_order)
    steps = [rule for layer in layers for rule in layer]
    starts: list[int] = []
    for layer in layers:
        starts.extend([len(starts) + len(layer)] * len(layer))
    allowed: dict[Rule, list[_Piece]] = {}
    everything = _pieces(steps)
    for piece in everything:
        rule = _decide(piece, steps, starts)
        if rule is not None:
            allowed.setdefault(rule, []).append(piece)
    order = {rule: i for i, rule in enumerate(steps)}
    out: list[IngressRule] = []
    for rule in sorted(allowed, key=order.__getitem__):
        out.extend(_merged(rule, allowed[rule], everything))
    return out


def needs_enforcement_order(policies: Iterable[Mapping[str, Any]]) -> bool:
    """Only a network firewall policy's place (global or regional) depends on the network's
    enforcement order."""
    return any(str(p.get("type") or "").upper() not in _FIXED_PLACE for p in policies)


def regional_only(policies: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """What a regional getEffectiveFirewalls adds to the global one.

    The regional response repeats the hierarchical and global network policies (the global
    read already has them, and evaluating them twice would only blur the evidence); what is
    left is the regional network policy and system policies. A policy without a type is
    kept: dropping a policy that may allow traffic could turn into a false PASS, while a
    repeated one cannot change any verdict.
    """
    return [p for p in policies if str(p.get("type") or "").upper() not in _GLOBAL_KINDS]


def effective_ingress(effective: NetworkFirewalls, target: NodeTarget) -> list[IngressRule]:
    return internet_ingress(
        effective.firewalls,
        target,
        effective.policies,
        network=effective.network,
        enforcement_order=effective.enforcement_order,
        regional=effective.regional,
    )


def unresolved_rules(effective: NetworkFirewalls, target: NodeTarget) -> int:
    """How many policy rules that may reach the target select by secure tags (for evidence)."""
    parsed = _policies(effective.policies, effective.regional, target, effective.network)
    return sum(p.unresolved for p in parsed)


def _layers(
    firewalls: Sequence[Mapping[str, Any]],
    policies: Sequence[Mapping[str, Any]],
    regional: Sequence[Mapping[str, Any]],
    target: NodeTarget,
    network: str,
    enforcement_order: str,
) -> list[Sequence[Rule]]:
    parsed = _policies(policies, regional, target, network)
    hierarchy = [p.rules for p in parsed if p.kind == HIERARCHY]
    system = [p.rules for p in parsed if p.kind in SYSTEM_KINDS]
    regional_policies = [p.rules for p in parsed if p.kind == NETWORK_REGIONAL]
    global_policies = [p.rules for p in parsed if p.kind not in {*_FIXED_PLACE, NETWORK_REGIONAL}]
    network_policies = [*global_policies, *regional_policies]
    classic: list[Sequence[Rule]] = [vpc_rules(firewalls, target)]
    if enforcement_order.upper() == BEFORE_CLASSIC:
        rest = [*network_policies, *classic]
    else:
        rest = [*classic, *network_policies]
    return [*hierarchy, *system, *rest]


def _policies(
    policies: Iterable[Mapping[str, Any]],
    regional: Iterable[Mapping[str, Any]],
    target: NodeTarget,
    network: str,
) -> list[PolicyRules]:
    """Every policy parsed; an untyped one is a global network policy in the global response
    and a regional network policy in the regional one."""
    return [
        *(policy_rules(p, target, network) for p in policies),
        *(policy_rules(p, target, network, NETWORK_REGIONAL) for p in regional),
    ]


def _decide(piece: _Piece, steps: Sequence[Rule], starts: Sequence[int]) -> Rule | None:
    """The rule that lets ``piece`` in, or None when a deny (or the implied deny) stops it.

    Walked backwards so each step's outcome is known once: ``after[i]`` is the outcome of
    evaluating from step i on; ``starts[i]`` is where the layer after step i's begins.
    """
    after: list[Rule | None] = [None] * (len(steps) + 1)
    for i in range(len(steps) - 1, -1, -1):
        rule = steps[i]
        if not rule.matches(piece.family, piece.protocol, piece.ports):
            after[i] = after[i + 1]
        elif rule.action == "allow":
            after[i] = rule
        elif rule.action == "deny":
            after[i] = after[i + 1] if rule.unresolved else None
        elif rule.unresolved:
            after[i] = after[starts[i]] or after[i + 1]
        else:
            after[i] = after[starts[i]]
    return after[0]


def _pieces(rules: Sequence[Rule]) -> list[_Piece]:
    """The traffic space cut so that no rule matches only part of a piece."""
    named = sorted({g.protocol for r in rules for g in r.grants} - {"all", *_BASE})
    cuts: dict[str, set[int]] = {p: {ALL_PORTS[0], ALL_PORTS[1] + 1} for p in PORTED}
    for rule in rules:
        for grant in rule.grants:
            if grant.protocol in cuts and grant.ports is not None:
                cuts[grant.protocol].update((grant.ports[0], grant.ports[1] + 1))
    pieces: list[_Piece] = []
    for family in WHOLE:
        for protocol in (*_BASE, *named, _OTHER):
            if protocol not in cuts:
                pieces.append(_Piece(family, protocol, None))
                continue
            edges = sorted(e for e in cuts[protocol] if ALL_PORTS[0] <= e <= ALL_PORTS[1] + 1)
            pieces.extend(_Piece(family, protocol, (a, b - 1)) for a, b in pairwise(edges))
    return pieces


def _merged(
    rule: Rule, pieces: Sequence[_Piece], everything: Sequence[_Piece]
) -> list[IngressRule]:
    """One rule's allowed pieces as ingress rules: adjacent port ranges joined, and a rule
    that lets in every piece of a family with an 'all' grant shown as one 'all' opening."""
    out: list[IngressRule] = []
    takes_all = any(g.protocol == "all" for g in rule.grants)
    for family in WHOLE:
        mine = [p for p in pieces if p.family == family]
        if not mine:
            continue
        if takes_all and len(mine) == sum(1 for p in everything if p.family == family):
            out.append(_ingress(rule, family, "all", None))
            continue
        ranges: list[_Piece] = []
        for piece in mine:
            last = ranges[-1] if ranges else None
            if (
                last is not None
                and last.protocol == piece.protocol
                and last.ports is not None
                and piece.ports is not None
                and last.ports[1] + 1 == piece.ports[0]
            ):
                ranges[-1] = _Piece(family, piece.protocol, (last.ports[0], piece.ports[1]))
            else:
                ranges.append(piece)
        out.extend(_ingress(rule, family, p.protocol, p.ports) for p in ranges)
    return out


def _ingress(rule: Rule, family: Family, protocol: str, ports: PortRange | None) -> IngressRule:
    model: Protocol = "all" if protocol == "all" else _MODEL_PROTOCOLS.get(protocol, "other")
    whole = ports is None or ports == ALL_PORTS
    origin = rule.origin
    if model == "other":
        shown = "every protocol no rule names" if protocol == _OTHER else protocol
        origin = f"{origin[:-1]}, protocol {shown})" if origin.endswith(")") else origin
    return IngressRule(
        protocol=model,
        port_from=None if whole or ports is None else ports[0],
        port_to=None if whole or ports is None else ports[1],
        source=WHOLE[family],
        origin=origin,
        kubernetes_service=rule.kubernetes_service,
    )
