"""ECS security group permissions -> the internet-facing ingress of a node pool (pure).

ECS evaluates every rule of every security group an instance belongs to together, ordered by
``Priority`` (1 is the highest, 100 the lowest); at equal priority a ``Drop`` rule wins over an
``Accept``. So an ``Accept`` from the whole internet lets in only the ports that no ``Drop`` from
the whole internet at the same or a higher priority already refused. A ``Drop`` from a narrower
source leaves the rest of the internet admitted and subtracts nothing.

``PortRange`` is ``"22/22"``, ``"1/65535"`` or ``"-1/-1"`` (every port, and the only value for
ICMP and ALL); ``IpProtocol`` is TCP, UDP, ICMP, ICMPv6, GRE or ALL (any case).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cloudposture.model import IngressRule, is_whole_internet
from cloudposture.model.ports import Interval, subtract
from cloudposture.model.posture import Protocol

ALL_PORTS: Interval = (1, 65535)
PORT_PROTOCOLS: tuple[Protocol, ...] = ("tcp", "udp")
_PROTOCOLS: Mapping[str, Protocol] = {
    "tcp": "tcp",
    "udp": "udp",
    "icmp": "icmp",
    "icmpv6": "icmpv6",
    "all": "all",
}


@dataclass(frozen=True)
class Permission:
    """One ingress permission of one security group, as the neutral code needs it."""

    group: str
    protocol: Protocol
    ports: Interval | None
    """None: every port (``-1/-1``)."""
    source: str
    accept: bool
    priority: int
    rule_id: str

    @property
    def origin(self) -> str:
        return f"{self.group} {self.rule_id}".strip()


def permissions(group_id: str, body: Mapping[str, Any]) -> list[Permission]:
    """The whole-internet ingress permissions of one DescribeSecurityGroupAttribute answer."""
    rules = ((body.get("Permissions") or {}).get("Permission")) or []
    out: list[Permission] = []
    for raw in rules:
        if str(raw.get("Direction") or "ingress").lower() != "ingress":
            continue
        for source in (raw.get("SourceCidrIp"), raw.get("Ipv6SourceCidrIp")):
            if source and is_whole_internet(str(source)):
                out.append(_permission(group_id, raw, str(source)))
    return out


def _permission(group_id: str, raw: Mapping[str, Any], source: str) -> Permission:
    protocol = _PROTOCOLS.get(str(raw.get("IpProtocol") or "").lower(), "other")
    return Permission(
        group=group_id,
        protocol=protocol,
        ports=_ports(str(raw.get("PortRange") or "-1/-1")),
        source=source,
        accept=str(raw.get("Policy") or "Accept").lower() == "accept",
        priority=_priority(raw.get("Priority")),
        rule_id=str(raw.get("SecurityGroupRuleId") or ""),
    )


def _ports(text: str) -> Interval | None:
    low, _, high = text.partition("/")
    try:
        lo, hi = int(low), int(high or low)
    except ValueError:
        return None
    if lo < 0 or hi < 0 or (lo <= 1 and hi >= 65535):
        return None
    return (lo, hi)


def _priority(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 1  # the API's default priority


def internet_ingress(perms: Sequence[Permission]) -> list[IngressRule]:
    """Each whole-internet Accept, less what a Drop at the same or higher priority refuses."""
    out: list[IngressRule] = []
    for accept in (p for p in perms if p.accept):
        drops = [
            d
            for d in perms
            if not d.accept
            and d.priority <= accept.priority
            and _same_family(d.source, accept.source)
        ]
        out.extend(_remaining(accept, drops))
    return list(dict.fromkeys(out))


def _same_family(a: str, b: str) -> bool:
    return (":" in a) == (":" in b)


def _remaining(accept: Permission, drops: Iterable[Permission]) -> list[IngressRule]:
    drops = list(drops)
    if any(d.protocol == "all" and d.ports is None for d in drops):
        return []
    if accept.protocol == "all" and not drops:
        return [_rule(accept, "all", None)]
    protocols: tuple[Protocol, ...] = (
        PORT_PROTOCOLS if accept.protocol == "all" else (accept.protocol,)
    )
    out: list[IngressRule] = []
    for protocol in protocols:
        blocked = [d.ports or ALL_PORTS for d in drops if d.protocol in (protocol, "all")]
        if protocol not in PORT_PROTOCOLS:
            if not blocked:
                out.append(_rule(accept, protocol, None))
            continue
        for span in subtract(accept.ports or ALL_PORTS, blocked):
            out.append(_rule(accept, protocol, None if span == ALL_PORTS else span))
    return out


def _rule(p: Permission, protocol: Protocol, ports: Interval | None) -> IngressRule:
    return IngressRule(
        protocol=protocol,
        port_from=None if ports is None else ports[0],
        port_to=None if ports is None else ports[1],
        source=p.source,
        origin=p.origin,
    )
