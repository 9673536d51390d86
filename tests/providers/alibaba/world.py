"""What the fake Alibaba Cloud holds, registered through checked builders.

Each ``add_*`` validates the body against the SDK response model that parses it (see
strict.py) before serving it, so a fixture key the SDK does not know fails the test that
registers it. List APIs page the way the real ones do (ACK ``page_number``/``page_size`` with
``page_info.total_count``; SLB ACL entries ``Page``/``PageSize``; ECS ``InstanceIds``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from alibabacloud_cs20151215 import models as cs
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_kms20160120 import models as kms
from alibabacloud_ram20150501 import models as ram
from alibabacloud_slb20140515 import models as slb
from alibabacloud_sts20150401 import models as sts

from tests.providers.alibaba.fake_api import (
    ACCESS_KEY_ID,
    ASSUMED_KEY_ID,
    ASSUMED_TOKEN,
    FakeAlibaba,
    error,
)
from tests.providers.alibaba.strict import check

ACCOUNT = "5469257408566579"
JSON = dict[str, Any]


@dataclass
class World:
    fake: FakeAlibaba
    regions: list[str] = field(default_factory=list)
    clusters: dict[str, list[JSON]] = field(default_factory=dict)
    details: dict[str, JSON] = field(default_factory=dict)
    nodepools: dict[str, JSON] = field(default_factory=dict)
    nodes: dict[str, list[JSON]] = field(default_factory=dict)
    control_plane_logs: dict[str, JSON] = field(default_factory=dict)
    audits: dict[str, JSON] = field(default_factory=dict)
    versions: dict[tuple[str, str], list[JSON]] = field(default_factory=dict)
    security_groups: dict[tuple[str, str], JSON] = field(default_factory=dict)
    instances: dict[tuple[str, str], JSON] = field(default_factory=dict)
    instance_roles: dict[tuple[str, str], str] = field(default_factory=dict)
    """(region, instance id) -> the RAM role attached to it."""
    load_balancers: dict[tuple[str, str], JSON] = field(default_factory=dict)
    listeners: dict[tuple[str, str, str], JSON] = field(default_factory=dict)
    acls: dict[tuple[str, str], JSON] = field(default_factory=dict)
    role_policies: dict[str, JSON] = field(default_factory=dict)
    policy_versions: dict[tuple[str, str], JSON] = field(default_factory=dict)
    keys: dict[tuple[str, str], JSON] = field(default_factory=dict)
    denied: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    """(action, region or resource or '*') -> (code, status)."""

    def __post_init__(self) -> None:
        routes = {
            ("sts", "GetCallerIdentity"): self._caller,
            ("sts", "AssumeRole"): self._assume_role,
            ("ecs", "DescribeRegions"): self._regions,
            ("cs", "DescribeClustersV1"): self._clusters,
            ("cs", "DescribeClusterDetail"): self._by_cluster(self.details),
            ("cs", "DescribeClusterNodePools"): self._by_cluster(self.nodepools),
            ("cs", "DescribeClusterNodes"): self._nodes,
            ("cs", "CheckControlPlaneLogEnable"): self._by_cluster(self.control_plane_logs),
            ("cs", "GetClusterAuditProject"): self._by_cluster(self.audits),
            ("cs", "DescribeKubernetesVersionMetadata"): self._versions,
            ("ecs", "DescribeSecurityGroupAttribute"): self._security_group,
            ("ecs", "DescribeInstances"): self._instances,
            ("ecs", "DescribeInstanceRamRole"): self._instance_roles,
            ("slb", "DescribeLoadBalancerAttribute"): self._load_balancer,
            ("slb", "DescribeLoadBalancerTCPListenerAttribute"): self._listener,
            ("slb", "DescribeLoadBalancerHTTPSListenerAttribute"): self._listener,
            ("slb", "DescribeAccessControlListAttribute"): self._acl,
            ("ram", "ListPoliciesForRole"): self._role_policies,
            ("ram", "GetPolicyVersion"): self._policy_version,
            ("kms", "DescribeKey"): self._key,
        }
        for (service, action), handler in routes.items():
            self.fake.route(service, action, self._guarded(service, action, handler))

    # -- registering ------------------------------------------------------------------------

    def add_region(self, region: str) -> None:
        self.regions.append(region)

    def add_cluster(
        self,
        detail: JSON,
        *,
        nodepools: Sequence[JSON] = (),
        nodes: Sequence[JSON] = (),
        control_plane_log: JSON | None = None,
        audit: JSON | None = None,
    ) -> None:
        check(cs.DescribeClusterDetailResponseBody, detail)
        cid, region = detail["cluster_id"], detail["region_id"]
        listed = {k: v for k, v in detail.items() if k not in ("rrsa_config", "parameters")}
        check(cs.DescribeClustersV1ResponseBody, {"clusters": [listed]})
        self.clusters.setdefault(region, []).append(listed)
        self.details[cid] = detail
        pools = {"nodepools": list(nodepools)}
        check(cs.DescribeClusterNodePoolsResponseBody, pools)
        self.nodepools[cid] = pools
        check(cs.DescribeClusterNodesResponseBody, {"nodes": list(nodes)})
        self.nodes[cid] = list(nodes)
        if control_plane_log is not None:
            check(cs.CheckControlPlaneLogEnableResponseBody, control_plane_log)
            self.control_plane_logs[cid] = control_plane_log
        if audit is not None:
            check(cs.GetClusterAuditProjectResponseBody, audit)
            self.audits[cid] = audit

    def add_versions(self, region: str, cluster_type: str, items: Sequence[JSON]) -> None:
        for item in items:
            check(cs.DescribeKubernetesVersionMetadataResponseBody, item)
        self.versions[(region, cluster_type)] = list(items)

    def add_security_group(self, region: str, body: JSON) -> None:
        check(ecs.DescribeSecurityGroupAttributeResponseBody, body)
        self.security_groups[(region, body["SecurityGroupId"])] = body

    def add_instance(self, region: str, raw: JSON, *, ram_role: str = "") -> None:
        """``ram_role``: the instance RAM role attached to it (DescribeInstanceRamRole's)."""
        check(ecs.DescribeInstancesResponseBody, {"Instances": {"Instance": [raw]}})
        self.instances[(region, raw["InstanceId"])] = raw
        if ram_role:
            self.instance_roles[(region, raw["InstanceId"])] = ram_role

    def add_load_balancer(
        self, region: str, body: JSON, listeners: Sequence[JSON], https: bool = False
    ) -> None:
        check(slb.DescribeLoadBalancerAttributeResponseBody, body)
        self.load_balancers[(region, body["LoadBalancerId"])] = body
        model = (
            slb.DescribeLoadBalancerHTTPSListenerAttributeResponseBody
            if https
            else slb.DescribeLoadBalancerTCPListenerAttributeResponseBody
        )
        for listener in listeners:
            check(model, listener)
            key = (region, body["LoadBalancerId"], str(listener["ListenerPort"]))
            self.listeners[key] = listener

    def add_acl(self, region: str, body: JSON) -> None:
        check(slb.DescribeAccessControlListAttributeResponseBody, body)
        self.acls[(region, body["AclId"])] = body

    def add_role(self, name: str, policies: Sequence[JSON], documents: Mapping[str, str]) -> None:
        body = {"RequestId": "FAKE", "Policies": {"Policy": list(policies)}}
        check(ram.ListPoliciesForRoleResponseBody, body)
        self.role_policies[name] = body
        for policy in policies:
            if policy["PolicyType"] != "Custom":
                continue
            version = {
                "RequestId": "FAKE",
                "PolicyVersion": {
                    "VersionId": policy["DefaultVersion"],
                    "IsDefaultVersion": True,
                    "PolicyDocument": documents[policy["PolicyName"]],
                    "CreateDate": "2026-01-05T08:00:00Z",
                },
            }
            check(ram.GetPolicyVersionResponseBody, version)
            self.policy_versions[(policy["PolicyName"], policy["DefaultVersion"])] = version

    def add_key(self, region: str, body: JSON) -> None:
        check(kms.DescribeKeyResponseBody, body)
        self.keys[(region, body["KeyMetadata"]["KeyId"])] = body

    def deny(
        self, action: str, where: str = "*", code: str = "Forbidden.RAM", status: int = 403
    ) -> None:
        self.denied[(action, where)] = (code, status)

    # -- serving ----------------------------------------------------------------------------

    def _guarded(self, service: str, action: str, handler: Any) -> Any:
        def serve(params: Mapping[str, str]) -> tuple[int, Any]:
            wheres = (
                "*",
                params.get("region_id", ""),
                params.get("RegionId", ""),
                params.get("Region", ""),
                params.get("ClusterId", ""),
                params.get("SecurityGroupId", ""),
                params.get("KeyId", ""),
                params.get("RoleName", ""),
            )
            for where in wheres:
                if (action, where) in self.denied and where != "":
                    code, status = self.denied[(action, where)]
                    return error(service, code, status)
            result: tuple[int, Any] = handler(params)
            return result

        return serve

    def _caller(self, params: Mapping[str, str]) -> tuple[int, Any]:
        body = {
            "AccountId": ACCOUNT,
            "Arn": f"acs:ram::{ACCOUNT}:user/cloudposture-reader",
            "IdentityType": "RAMUser",
            "PrincipalId": "279801230011111111",
            "UserId": "279801230011111111",
            "RequestId": "FAKE",
        }
        check(sts.GetCallerIdentityResponseBody, body)
        return 200, body

    def _assume_role(self, params: Mapping[str, str]) -> tuple[int, Any]:
        self.fake.key_ids.add(ASSUMED_KEY_ID)
        body = {
            "RequestId": "FAKE",
            "AssumedRoleUser": {
                "Arn": f"{params.get('RoleArn')}/{params.get('RoleSessionName')}",
                "AssumedRoleId": "344584339364951186:cloudposture",
            },
            "Credentials": {
                "AccessKeyId": ASSUMED_KEY_ID,
                "AccessKeySecret": "fake-assumed-secret",
                "SecurityToken": ASSUMED_TOKEN,
                "Expiration": "2099-01-01T00:00:00Z",
            },
        }
        check(sts.AssumeRoleResponseBody, body)
        return 200, body

    def _regions(self, params: Mapping[str, str]) -> tuple[int, Any]:
        body = {
            "RequestId": "FAKE",
            "Regions": {
                "Region": [
                    {
                        "RegionId": r,
                        "LocalName": r,
                        "Status": "available",
                        "RegionEndpoint": f"ecs.{r}.aliyuncs.com",
                    }
                    for r in self.regions
                ]
            },
        }
        check(ecs.DescribeRegionsResponseBody, body)
        return 200, body

    def _clusters(self, params: Mapping[str, str]) -> tuple[int, Any]:
        items = self.clusters.get(params.get("region_id", ""), [])
        number, size = int(params.get("page_number", "1")), int(params.get("page_size", "10"))
        page = items[(number - 1) * size : number * size]
        return 200, {
            "clusters": page,
            "page_info": {"page_number": number, "page_size": size, "total_count": len(items)},
        }

    def _by_cluster(self, table: Mapping[str, JSON]) -> Any:
        def serve(params: Mapping[str, str]) -> tuple[int, Any]:
            found = table.get(params["ClusterId"])
            if found is None:
                return error("cs", "ErrorClusterNotFound", 404)
            return 200, found

        return serve

    def _nodes(self, params: Mapping[str, str]) -> tuple[int, Any]:
        items = self.nodes.get(params["ClusterId"], [])
        number, size = int(params.get("pageNumber", "1")), int(params.get("pageSize", "10"))
        page = items[(number - 1) * size : number * size]
        return 200, {
            "nodes": page,
            "page": {"page_number": number, "page_size": size, "total_count": len(items)},
        }

    def _versions(self, params: Mapping[str, str]) -> tuple[int, Any]:
        if params.get("Mode") != "supported":
            return error("cs", "InvalidParameter.Mode", 400)
        return 200, self.versions.get((params.get("Region", ""), params.get("ClusterType", "")), [])

    def _security_group(self, params: Mapping[str, str]) -> tuple[int, Any]:
        found = self.security_groups.get((params["RegionId"], params["SecurityGroupId"]))
        if found is None:
            return error("ecs", "InvalidSecurityGroupId.NotFound", 404)
        if params.get("Direction") not in (None, "ingress", "all"):
            return error("ecs", "InvalidDirection", 400)
        return 200, found

    def _instances(self, params: Mapping[str, str]) -> tuple[int, Any]:
        ids = json.loads(params.get("InstanceIds", "[]"))
        if len(ids) > 100:
            return error("ecs", "InvalidParameter.InstanceIds", 400)
        found = [
            self.instances[(params["RegionId"], i)]
            for i in ids
            if (params["RegionId"], i) in self.instances
        ]
        return 200, {
            "RequestId": "FAKE",
            "TotalCount": len(found),
            "PageNumber": 1,
            "PageSize": int(params.get("PageSize", "10")),
            "Instances": {"Instance": found},
        }

    def _instance_roles(self, params: Mapping[str, str]) -> tuple[int, Any]:
        """Instances with a role attached, PageSize at most 50 (as the API documents)."""
        ids = json.loads(params.get("InstanceIds", "[]"))
        size = int(params.get("PageSize", "10"))
        if len(ids) > 100 or size > 50:
            return error("ecs", "InvalidParameter", 400)
        found = [
            {"InstanceId": i, "RamRoleName": self.instance_roles[(params["RegionId"], i)]}
            for i in ids
            if (params["RegionId"], i) in self.instance_roles
        ]
        number = int(params.get("PageNumber", "1"))
        body = {
            "RequestId": "FAKE",
            "RegionId": params["RegionId"],
            "TotalCount": len(found),
            "InstanceRamRoleSets": {
                "InstanceRamRoleSet": found[(number - 1) * size : number * size]
            },
        }
        check(ecs.DescribeInstanceRamRoleResponseBody, body)
        return 200, body

    def _load_balancer(self, params: Mapping[str, str]) -> tuple[int, Any]:
        found = self.load_balancers.get((params["RegionId"], params["LoadBalancerId"]))
        if found is None:
            return error("slb", "InvalidLoadBalancerId.NotFound", 404)
        return 200, found

    def _listener(self, params: Mapping[str, str]) -> tuple[int, Any]:
        key = (params["RegionId"], params["LoadBalancerId"], params["ListenerPort"])
        found = self.listeners.get(key)
        if found is None:
            return error("slb", "ListenerNotFound", 404)
        return 200, found

    def _acl(self, params: Mapping[str, str]) -> tuple[int, Any]:
        found = self.acls.get((params["RegionId"], params["AclId"]))
        if found is None:
            return error("slb", "AclNotExist", 404)
        entries = (found.get("AclEntrys") or {}).get("AclEntry") or []
        number, size = int(params.get("Page", "1")), int(params.get("PageSize", "50"))
        return 200, {
            **found,
            "AclEntrys": {"AclEntry": entries[(number - 1) * size : number * size]},
            "TotalAclEntry": len(entries),
        }

    def _role_policies(self, params: Mapping[str, str]) -> tuple[int, Any]:
        found = self.role_policies.get(params["RoleName"])
        if found is None:
            return error("ram", "EntityNotExist.Role", 404)
        return 200, found

    def _policy_version(self, params: Mapping[str, str]) -> tuple[int, Any]:
        if params.get("PolicyType") != "Custom":
            return error("ram", "InvalidParameter.PolicyType", 400)
        found = self.policy_versions.get((params["PolicyName"], params["VersionId"]))
        if found is None:
            return error("ram", "EntityNotExist.PolicyVersion", 404)
        return 200, found

    def _key(self, params: Mapping[str, str]) -> tuple[int, Any]:
        for (_region, key_id), body in self.keys.items():
            if key_id == params["KeyId"]:
                return 200, body
        return error("kms", "Forbidden.KeyNotFound", 404)


__all__ = ["ACCESS_KEY_ID", "ACCOUNT", "World"]
