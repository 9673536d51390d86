"""Firewall rules of every kind, parsed into one shape: who they select, what they match, and
what they do with internet traffic.

Pure: the v1 REST JSON of ``networks.getEffectiveFirewalls`` and
``regionNetworkFirewallPolicies.getEffectiveFirewalls`` (VPC ``firewalls`` and the rules of
``firewallPolicys``) and a node pool's network tags and service account in, :class:`Rule`
objects out. The evaluation order lives in :mod:`cloudposture_gcp.firewall`.

- A VPC firewall rule selects instances through ``targetTags`` (any tag shared), through
  ``targetServiceAccounts`` (the instance's account listed), or, with neither, every instance
  on the network. Its action is allow (``allowed``) or deny (``denied``).
- A firewall policy rule (hierarchical, global or regional network, or system policy) selects
  through ``targetResources`` (the network listed), ``targetServiceAccounts`` or
  ``targetSecureTags``, and says ``allow``, ``deny`` or ``goto_next``. Secure tags are bound
  to instances, which the GKE API does not show, so a tag-targeted rule cannot be resolved to
  node pools: it is marked ``unresolved`` and the evaluation assumes whatever exposes more
  (an allow reaches every node; a deny is not counted). Tags that are all ``INEFFECTIVE``
  make the rule ignored, as the API documents.
- "The whole internet" is a source range with prefix length 0 (``0.0.0.0/0``, ``::/0``), an
  ingress VPC rule without any source (the API's default is ``0.0.0.0/0``), or a policy rule
  whose only source is ``srcNetworkType`` INTERNET. Narrower sources (a country, a threat
  list, an address group) do not count; a ``srcNetworkType`` other than INTERNET takes the
  internet out of the rule.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

ALL_PORTS = (0, 65535)
PortRange = tuple[int, int]
Family = Literal["v4", "v6"]
Action = Literal["allow", "deny", "next"]
WHOLE: Mapping[Family, str] = {"v4": "0.0.0.0/0", "v6": "::/0"}
PORTED = ("tcp", "udp", "sctp")
HIERARCHY = "HIERARCHY"
NETWORK = "NETWORK"
NETWORK_REGIONAL = "NETWORK_REGIONAL"
SYSTEM_KINDS = frozenset({"SYSTEM", "SYSTEM_GLOBAL", "SYSTEM_REGIONAL"})
"""The global response says SYSTEM; the regional one SYSTEM_GLOBAL or SYSTEM_REGIONAL."""
_NOUNS = {
    HIERARCHY: "hierarchical firewall policy",
    NETWORK_REGIONAL: "regional network firewall policy",
    **{kind: "system firewall policy" for kind in SYSTEM_KINDS},
}

_PROTOCOL_NUMBERS = {"6": "tcp", "17": "udp", "1": "icmp", "132": "sctp", "58": "icmpv6"}
_POLICY_ACTIONS: Mapping[str, Action] = {
    "allow": "allow",
    "apply_security_profile_group": "allow",  # allowed, then inspected
    "deny": "deny",
    "goto_next": "next",
}
_SOURCE_FIELDS = (
    "srcIpRanges",
    "srcAddressGroups",
    "srcFqdns",
    "srcRegionCodes",
    "srcThreatIntelligences",
    "srcSecureTags",
    "srcNetworks",
)


@dataclass(frozen=True)
class NodeTarget:
    """What a firewall rule can select a node pool's instances by."""

    tags: frozenset[str]
    service_account: str | None
    """The nodes' service account email; None when it could not be resolved."""


@dataclass(frozen=True)
class Grant:
    protocol: str
    ports: PortRange | None
    """None for protocols without ports (icmp, esp, ...) or for 'all'."""

    def covers(self, protocol: str, ports: PortRange | None) -> bool:
        """Does this grant match all of ``protocol``/``ports`` (a piece never straddling it)?"""
        if self.protocol == "all":
            return True
        if self.protocol != protocol:
            return False
        if self.ports is None or ports is None:
            return True
        return self.ports[0] <= ports[0] and ports[1] <= self.ports[1]


@dataclass(frozen=True)
class Rule:
    name: str
    origin: str
    """Where the rule is defined, as a reader finds it: 'firewall rule x (priority 1000)'."""
    priority: int
    action: Action
    families: frozenset[Family]
    """The IP families whose whole internet the rule matches (empty: not internet-facing)."""
    grants: tuple[Grant, ...]
    kubernetes_service: bool = False
    unresolved: bool = False
    """Targets secure tags, which cannot be mapped to node pools."""

    def matches(self, family: Family, protocol: str, ports: PortRange | None) -> bool:
        return family in self.families and any(g.covers(protocol, ports) for g in self.grants)


class UnknownTarget(Exception):
    """A rule selects instances by service account and the pool's account is unknown."""


# -- VPC firewall rules -----------------------------------------------------------------------


def vpc_rules(firewalls: Sequence[Mapping[str, Any]], target: NodeTarget) -> list[Rule]:
    """The internet-facing VPC rules that select the target, in evaluation order (lower
    priority number first; at equal priority a deny beats an allow)."""
    rules: list[Rule] = []
    for fw in firewalls:
        rule = _vpc_rule(fw)
        applies = _vpc_applies(fw, target)
        if not rule.families or applies is False:
            continue
        if applies is None:
            raise UnknownTarget(rule.name)
        rules.append(rule)
    return sorted(rules, key=lambda r: (r.priority, r.action != "deny", r.name))


def _vpc_applies(fw: Mapping[str, Any], target: NodeTarget) -> bool | None:
    if not _live_ingress(fw):
        return False
    tags = fw.get("targetTags") or []
    if tags:
        return bool(target.tags.intersection(tags))
    return _account_selects(fw, target)


def _vpc_rule(fw: Mapping[str, Any]) -> Rule:
    allow = bool(fw.get("allowed"))
    entries = fw.get("allowed") if allow else fw.get("denied")
    name = str(fw.get("name", ""))
    priority = int(fw.get("priority", 1000))
    ranges = list(fw.get("sourceRanges") or [])
    if not ranges and not fw.get("sourceTags") and not fw.get("sourceServiceAccounts"):
        ranges = [WHOLE["v4"]]  # the API's default source for an ingress rule
    return Rule(
        name=name,
        origin=f"firewall rule {name} (priority {priority})",
        priority=priority,
        action="allow" if allow else "deny",
        families=_whole_internet(ranges),
        grants=tuple(
            g for e in entries or [] for g in grants_of(e.get("IPProtocol"), e.get("ports"))
        ),
        kubernetes_service=name.startswith("k8s-fw-"),
    )


# -- firewall policy rules --------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyRules:
    """One firewall policy's internet-facing rules that may select the target, in order."""

    kind: str
    """HIERARCHY, NETWORK, NETWORK_REGIONAL or one of SYSTEM_KINDS."""
    name: str
    rules: tuple[Rule, ...]
    unresolved: int
    """How many of them target secure tags (and so are assumed to select or not, see above)."""


def policy_rules(
    policy: Mapping[str, Any], target: NodeTarget, network: str = "", default_kind: str = NETWORK
) -> PolicyRules:
    """A firewall policy's rules that may select ``target`` on ``network`` (a
    ``projects/P/global/networks/N`` path), in evaluation order (priorities are unique).

    ``default_kind`` is the policy's kind when the API leaves ``type`` out (or says
    UNSPECIFIED): the kind of policy the response it came from is about."""
    kind = str(policy.get("type") or "").upper()
    if kind in ("", "UNSPECIFIED", "UNDEFINED_TYPE"):
        kind = default_kind
    label = str(policy.get("shortName") or policy.get("displayName") or policy.get("name") or "")
    noun = _NOUNS.get(kind, "network firewall policy")
    rules: list[Rule] = []
    for raw in policy.get("rules") or []:
        rule = _policy_rule(raw, f"{noun} {label}")
        if not rule.families or not _live_ingress(raw):
            continue
        applies = _policy_applies(raw, target, network)
        if applies is False:
            continue
        if applies is None:
            raise UnknownTarget(rule.name)
        rules.append(rule)
    ordered = tuple(sorted(rules, key=lambda r: r.priority))
    return PolicyRules(kind, label, ordered, sum(1 for r in ordered if r.unresolved))


def _policy_rule(raw: Mapping[str, Any], where: str) -> Rule:
    match = raw.get("match") or {}
    priority = int(raw.get("priority", 0))
    rule_name = str(raw.get("ruleName") or "")
    action = _POLICY_ACTIONS.get(str(raw.get("action") or "").lower(), "allow")
    tags = [t for t in raw.get("targetSecureTags") or [] if t.get("state") != "INEFFECTIVE"]
    note = ""
    if tags:
        names = ", ".join(str(t.get("name", "")) for t in tags)
        note = f"; targets secure tags {names}: not resolved to node pools"
    named = f" {rule_name}" if rule_name else ""
    configs = match.get("layer4Configs") or [{"ipProtocol": "all"}]
    return Rule(
        name=f"{where} rule {priority}{named}",
        origin=f"{where}, rule{named} (priority {priority}, {action.replace('next', 'goto_next')}"
        f"{note})",
        priority=priority,
        action=action,
        families=_policy_internet(match),
        grants=tuple(g for c in configs for g in grants_of(c.get("ipProtocol"), c.get("ports"))),
        unresolved=bool(tags),
    )


def _policy_applies(raw: Mapping[str, Any], target: NodeTarget, network: str) -> bool | None:
    resources = [str(r) for r in raw.get("targetResources") or []]
    if resources and network and not any(r.endswith(network) for r in resources):
        return False
    secure = raw.get("targetSecureTags") or []
    if secure:
        # All INEFFECTIVE: the API ignores the rule. Otherwise it is unresolved, not unknown.
        return any(t.get("state") != "INEFFECTIVE" for t in secure)
    return _account_selects(raw, target)


def _policy_internet(match: Mapping[str, Any]) -> frozenset[Family]:
    kind = str(match.get("srcNetworkType") or "").upper()
    if kind not in ("", "UNSPECIFIED", "INTERNET"):
        return frozenset()
    if kind == "INTERNET" and not any(match.get(f) for f in _SOURCE_FIELDS):
        return frozenset(WHOLE)
    return _whole_internet(match.get("srcIpRanges") or [])


# -- shared -----------------------------------------------------------------------------------


def _live_ingress(raw: Mapping[str, Any]) -> bool:
    return not raw.get("disabled") and str(raw.get("direction") or "INGRESS").upper() == "INGRESS"


def _account_selects(raw: Mapping[str, Any], target: NodeTarget) -> bool | None:
    accounts = raw.get("targetServiceAccounts") or []
    if not accounts:
        return True
    if target.service_account is None:
        return None
    return target.service_account.lower() in {str(a).lower() for a in accounts}


def _whole_internet(ranges: Sequence[object]) -> frozenset[Family]:
    found: set[Family] = set()
    for cidr in ranges:
        try:
            net = ipaddress.ip_network(str(cidr), strict=False)
        except ValueError:
            continue
        if net.prefixlen == 0:
            found.add("v4" if net.version == 4 else "v6")
    return frozenset(found)


def grants_of(protocol: object, ports: object) -> list[Grant]:
    """One allowed/denied entry or layer-4 config -> grants (protocol numbers become names)."""
    raw = str(protocol or "all").lower()
    name = _PROTOCOL_NUMBERS.get(raw, raw)
    listed = [str(p) for p in ports or [] if str(p).strip()] if isinstance(ports, list) else []
    if name not in PORTED:
        return [Grant(name, None)]
    if not listed:
        return [Grant(name, ALL_PORTS)]
    return [Grant(name, _port_range(p)) for p in listed]


def _port_range(text: str) -> PortRange:
    low, _, high = text.strip().partition("-")
    try:
        return (int(low), int(high or low))
    except ValueError:
        return ALL_PORTS  # unreadable: assume the widest opening rather than none
