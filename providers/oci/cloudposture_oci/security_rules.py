"""OCI network security groups and security lists -> who may reach what (pure).

A VNIC's traffic is allowed when any security list of its subnet or any NSG it is in allows
it: OCI has no deny rules, so the effective ingress is the union of every allow. Inputs are
the REST shapes (camelCase): an NSG's ``SecurityRule`` list and a ``SecurityList``'s
``ingressSecurityRules``. Protocols are IANA numbers as strings (``"6"`` TCP, ``"17"`` UDP,
``"1"`` ICMP, ``"58"`` ICMPv6) or ``"all"``; missing ``tcpOptions`` / ``udpOptions`` (or a
missing ``destinationPortRange``) means every port.

Stateless rules count like stateful ones: a stateless ingress rule still lets the packets in,
and whether replies get out depends on egress rules that are usually wide open, so treating
it as closed would risk a false PASS. The source port range is ignored: a client picks its
own source port. Sources of type ``SERVICE_CIDR_BLOCK`` (Oracle Services Network) and
``NETWORK_SECURITY_GROUP`` are not internet addresses and never count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cloudposture.model import IngressRule, is_whole_internet
from cloudposture.model.posture import Protocol

JSON = Mapping[str, Any]
_PROTOCOLS: Mapping[str, Protocol] = {
    "6": "tcp",
    "17": "udp",
    "1": "icmp",
    "58": "icmpv6",
    "132": "sctp",
    "all": "all",
}
_FULL = (0, 65535)


@dataclass(frozen=True)
class AllowRule:
    """One ingress allow in neutral terms, still with its source (internet or not)."""

    protocol: Protocol
    ports: tuple[int, int] | None
    """Inclusive destination port range; None = every port (or a portless protocol)."""
    source: str
    origin: str

    def covers_tcp(self, port: int) -> bool:
        if self.protocol not in ("tcp", "all"):
            return False
        return self.ports is None or self.ports[0] <= port <= self.ports[1]


def nsg_rules(nsg_name: str, rules: Iterable[JSON]) -> list[AllowRule]:
    """INGRESS rules of one NSG whose source is a CIDR block."""
    out: list[AllowRule] = []
    for index, rule in enumerate(rules):
        if str(rule.get("direction", "")).upper() != "INGRESS":
            continue
        if str(rule.get("sourceType") or "CIDR_BLOCK").upper() != "CIDR_BLOCK":
            continue
        name = rule.get("description") or rule.get("id") or f"rule {index}"
        out.append(_allow(rule, f"nsg {nsg_name} / {name}"))
    return out


def security_list_rules(security_list: JSON) -> list[AllowRule]:
    """A security list's ingress rules whose source is a CIDR block."""
    name = str(security_list.get("displayName") or security_list.get("id") or "security list")
    out: list[AllowRule] = []
    for index, rule in enumerate(security_list.get("ingressSecurityRules") or []):
        if str(rule.get("sourceType") or "CIDR_BLOCK").upper() != "CIDR_BLOCK":
            continue
        label = rule.get("description") or f"ingress rule {index}"
        out.append(_allow(rule, f"security list {name} / {label}"))
    return out


def _allow(rule: JSON, origin: str) -> AllowRule:
    proto = _PROTOCOLS.get(str(rule.get("protocol", "")).lower(), "other")
    stateless = " (stateless)" if rule.get("isStateless") else ""
    return AllowRule(
        protocol=proto,
        ports=_ports(rule, proto),
        source=str(rule.get("source") or ""),
        origin=origin + stateless,
    )


def _ports(rule: JSON, proto: str) -> tuple[int, int] | None:
    options = rule.get("tcpOptions") if proto == "tcp" else rule.get("udpOptions")
    if proto not in ("tcp", "udp") or not options:
        return None
    span = options.get("destinationPortRange")
    if not span:
        return None
    low, high = int(span["min"]), int(span["max"])
    return None if (low, high) == _FULL or (low <= 1 and high >= 65535) else (low, high)


def internet_ingress(rules: Iterable[AllowRule]) -> list[IngressRule]:
    """The allows whose source is the whole internet (0.0.0.0/0, ::/0), as neutral rules."""
    out: list[IngressRule] = []
    for rule in rules:
        if not is_whole_internet(rule.source):
            continue
        low, high = rule.ports if rule.ports is not None else (None, None)
        out.append(
            IngressRule(
                protocol=rule.protocol,
                port_from=low,
                port_to=high,
                source=rule.source,
                origin=rule.origin,
            )
        )
    return out


def sources_reaching(rules: Iterable[AllowRule], port: int) -> list[str]:
    """Every source CIDR that may open a TCP connection to ``port`` (unique, in order)."""
    return list(dict.fromkeys(r.source for r in rules if r.covers_tcp(port) and r.source))
