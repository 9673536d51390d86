"""Row 1's reads: the API server load balancer's listener and its access control lists.

ACK fronts the API server with an internal CLB (``external_loadbalancer_id``); a public
endpoint is an EIP bound to that CLB, so the listener's ACL on the API server port governs both
endpoints. Three reads: the CLB's listeners (which protocol serves the port), that listener's
``AclStatus`` / ``AclType`` / ``AclIds``, and each ACL's entries (paged).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from alibabacloud_slb20140515 import models as slb

from cloudposture.plugin.attempt import Attempts
from cloudposture_alibaba import normalize as n
from cloudposture_alibaba.clients import AlibabaClients
from cloudposture_alibaba.meta import Parsed

JSON = dict[str, Any]
AFFECTS = ("endpoint.authorized_cidrs",)
ACL_PAGE = 50


class ApiServerAcl:
    def __init__(self, clients: AlibabaClients) -> None:
        self._clients = clients

    def read(
        self, region: str, detail: Mapping[str, Any], master: Parsed, record: Attempts
    ) -> tuple[n.ListenerAcl | None, str | None]:
        """The listener ACL, or None and why when no call failed but it cannot be known (a
        failed call is in ``record`` already, naming the facts it leaves unknown)."""
        if not master.ok or not master.value.get("api_server_endpoint"):
            return None, None
        lb_id = str(detail.get("external_loadbalancer_id") or "")
        if not lb_id:
            return None, "the cluster names no API server load balancer (external_loadbalancer_id)"
        port = n.api_server_port(master)
        lb = record.attempt(
            AFFECTS,
            lambda: self._load_balancer(region, lb_id),
            call="slb:DescribeLoadBalancerAttribute",
            resource=lb_id,
        )
        if lb is None:
            return None, None
        protocol = listener_protocol(lb, port)
        if protocol not in ("tcp", "https"):
            return None, f"{lb_id} has no TCP or HTTPS listener on port {port}"
        listener = record.attempt(
            AFFECTS,
            lambda: self._listener(region, lb_id, port, protocol),
            call=f"slb:DescribeLoadBalancer{protocol.upper()}ListenerAttribute",
            resource=f"{lb_id}:{port}",
        )
        if listener is None:
            return None, None
        status = str(listener.get("AclStatus") or "off")
        ids = n.listener_acl_ids(listener)
        entries: list[str] = []
        for acl_id in ids if status.lower() == "on" else ():
            found = record.attempt(
                AFFECTS,
                partial(self._entries, region, acl_id),
                call="slb:DescribeAccessControlListAttribute",
                resource=acl_id,
            )
            if found is None:
                return None, None
            entries += found
        acl = n.ListenerAcl(
            status=status,
            type=str(listener.get("AclType") or ""),
            acl_ids=ids,
            entries=tuple(entries),
            port=port,
            load_balancer=lb_id,
        )
        return acl, None

    def _load_balancer(self, region: str, lb_id: str) -> JSON:
        body: JSON = (
            self._clients.slb(region)
            .describe_load_balancer_attribute(
                slb.DescribeLoadBalancerAttributeRequest(region_id=region, load_balancer_id=lb_id)
            )
            .body.to_map()
        )
        return body

    def _listener(self, region: str, lb_id: str, port: int, protocol: str) -> JSON:
        client = self._clients.slb(region)
        body: JSON
        if protocol == "https":
            body = client.describe_load_balancer_httpslistener_attribute(
                slb.DescribeLoadBalancerHTTPSListenerAttributeRequest(
                    region_id=region, load_balancer_id=lb_id, listener_port=port
                )
            ).body.to_map()
        else:
            body = client.describe_load_balancer_tcplistener_attribute(
                slb.DescribeLoadBalancerTCPListenerAttributeRequest(
                    region_id=region, load_balancer_id=lb_id, listener_port=port
                )
            ).body.to_map()
        return body

    def _entries(self, region: str, acl_id: str) -> list[str]:
        entries: list[str] = []
        page = 1
        while True:
            body = (
                self._clients.slb(region)
                .describe_access_control_list_attribute(
                    slb.DescribeAccessControlListAttributeRequest(
                        region_id=region, acl_id=acl_id, page=page, page_size=ACL_PAGE
                    )
                )
                .body.to_map()
            )
            found = n.acl_entries(body)
            entries += found
            if not found or len(entries) >= int(body.get("TotalAclEntry") or 0):
                return entries
            page += 1


def listener_protocol(lb: Mapping[str, Any], port: int) -> str | None:
    """The protocol of the CLB's listener on ``port`` (tcp, https, ...)."""
    for item in (lb.get("ListenerPortsAndProtocol") or {}).get("ListenerPortAndProtocol") or []:
        if int(item.get("ListenerPort") or 0) == port:
            return str(item.get("ListenerProtocol") or "").lower()
    return None
