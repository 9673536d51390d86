"""Effective internet-facing inbound access through one network security group (pure).

An NSG evaluates inbound rules in priority order (lowest number first) and the first rule that
matches a packet decides it. So a Deny from the internet at priority 100 hides an Allow from the
internet at 200 for the ports they share, and an Allow at 100 beats a Deny at 200. This module
walks the rules in that order for traffic whose source is the whole internet and returns what
is still allowed, per protocol and port range, as neutral :class:`IngressRule` triples.

Only sources that mean "anyone" count (``*``, ``Internet``, ``0.0.0.0/0``, ``::/0``); a rule
from a narrower range is not internet-facing, and a Deny from a narrower range does not close
a port to the internet either. The platform's default rules (AllowVnetInBound,
AllowAzureLoadBalancerInBound, DenyAllInBound) allow nothing from the internet, so an NSG with
no matching Allow yields no ingress.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from cloudposture.model import IngressRule
from cloudposture.model.ports import Interval, subtract
from cloudposture.model.posture import Protocol

INTERNET_SOURCES = frozenset({"*", "internet", "0.0.0.0/0", "::/0"})

# NSG protocol word -> the protocols it covers in the neutral model.
_PROTOCOLS: Mapping[str, tuple[str, ...]] = {
    "tcp": ("tcp",),
    "udp": ("udp",),
    "icmp": ("icmp",),
    "esp": ("other",),
    "ah": ("other",),
    "*": ("tcp", "udp", "icmp", "other"),
}
_PORTLESS = frozenset({"icmp", "other"})
_FULL = (0, 65535)

# Rules the AKS cloud provider writes for a LoadBalancer Service: "k8s-azure-lb_..." in current
# releases, "<a + service uid>-<PROTO>-<port>-<source>" in older ones.
_SERVICE_RULE = re.compile(r"^(k8s-azure-lb|a[0-9a-f]{32}-(tcp|udp|icmp|\*)-\d+-)", re.IGNORECASE)


@dataclass(frozen=True)
class _Rule:
    name: str
    priority: int
    allow: bool
    protocols: tuple[str, ...]
    ports: tuple[Interval, ...]
    source: str
    kubernetes_service: bool


def is_internet_source(prefix: str) -> bool:
    return prefix.strip().lower() in INTERNET_SOURCES


def parse_ports(single: str | None, many: Iterable[str] | None) -> tuple[Interval, ...]:
    """``destinationPortRange`` / ``destinationPortRanges`` ('*', '22', '1000-2000') as ranges."""
    out: list[Interval] = []
    for raw in [single or "", *(many or [])]:
        text = raw.strip()
        if not text:
            continue
        if text == "*":
            return (_FULL,)
        low, _, high = text.partition("-")
        out.append((int(low), int(high or low)))
    return tuple(out) or (_FULL,)


def _internet_source(props: Mapping[str, Any]) -> str | None:
    """The internet source a rule matches, or None when it only names narrower sources."""
    sources = [props.get("sourceAddressPrefix") or "", *(props.get("sourceAddressPrefixes") or [])]
    return next((s for s in sources if is_internet_source(s)), None)


def _parse_rule(rule: Mapping[str, Any]) -> _Rule | None:
    props = rule.get("properties") or {}
    if str(props.get("direction", "")).lower() != "inbound":
        return None
    source = _internet_source(props)
    if source is None:
        return None
    name = str(rule.get("name") or "")
    protocols = _PROTOCOLS.get(str(props.get("protocol", "*")).lower(), ("other",))
    return _Rule(
        name=name,
        priority=int(props.get("priority", 65500)),
        allow=str(props.get("access", "")).lower() == "allow",
        protocols=protocols,
        ports=parse_ports(props.get("destinationPortRange"), props.get("destinationPortRanges")),
        source=source,
        kubernetes_service=bool(_SERVICE_RULE.match(name)),
    )


def internet_ingress(nsg: Mapping[str, Any]) -> list[IngressRule]:
    """What the internet may still reach through ``nsg`` (an ARM NetworkSecurityGroup dict)."""
    props = nsg.get("properties") or {}
    origin_nsg = str(nsg.get("name") or nsg.get("id") or "nsg")
    every = [*(props.get("securityRules") or []), *(props.get("defaultSecurityRules") or [])]
    rules = [r for r in map(_parse_rule, every) if r is not None]
    rules.sort(key=lambda r: r.priority)
    decided: dict[str, list[Interval]] = {p: [] for p in ("tcp", "udp", "icmp", "other")}
    out: list[IngressRule] = []
    for rule in rules:
        opened: dict[str, list[Interval]] = {}
        for proto in rule.protocols:
            ports = (_FULL,) if proto in _PORTLESS else rule.ports
            for interval in ports:
                free = subtract(interval, decided[proto])
                if rule.allow and free:
                    opened.setdefault(proto, []).extend(free)
                decided[proto].append(interval)
        if opened:
            out.extend(_to_ingress(rule, opened, f"{origin_nsg}/{rule.name}"))
    return out


def _to_ingress(rule: _Rule, opened: dict[str, list[Interval]], origin: str) -> list[IngressRule]:
    """One ``all`` rule when an any-protocol Allow got through whole, else one per piece."""
    whole = all(opened.get(p) == [_FULL] for p in ("tcp", "udp", "icmp", "other"))
    if len(rule.protocols) > 1 and whole and rule.ports == (_FULL,):
        return [_ingress(rule, "all", None, origin)]
    out: list[IngressRule] = []
    for proto, intervals in opened.items():
        if proto in _PORTLESS:
            out.append(_ingress(rule, proto, None, origin))
            continue
        out.extend(_ingress(rule, proto, interval, origin) for interval in intervals)
    return out


def _ingress(rule: _Rule, protocol: str, interval: Interval | None, origin: str) -> IngressRule:
    low, high = interval or _FULL
    full = (low, high) == _FULL
    return IngressRule(
        protocol=cast(Protocol, protocol),
        port_from=None if full else low,
        port_to=None if full else high,
        source=rule.source,
        origin=origin,
        kubernetes_service=rule.kubernetes_service,
    )
