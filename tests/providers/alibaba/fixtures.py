"""API-shaped builders (shaped as the ACK, ECS, SLB, RAM and KMS API references' examples)
and the cluster set of the issue's "Done when": one good managed cluster, one with every
problem, one with an API server ACL and an unusable key, one dedicated cluster."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from tests.providers.alibaba.world import ACCOUNT, World

JSON = dict[str, Any]
REGION = "cn-hangzhou"
KEY_ID = "key-hzz6a3b0b6b8dkeycm9rb"
MASTER_ROLE = "KubernetesMasterRole-ded"
"""The RAM role ack-dedicated's master instances carry (least privilege)."""
SUPPORTED = [
    {
        "version": "1.31.1-aliyun.1",
        "release_date": "2024-10-20T00:00:00Z",
        "expiration_date": "2099-10-20T00:00:00Z",
        "creatable": True,
        "upgradable_versions": [],
    },
    {
        "version": "1.30.7-aliyun.1",
        "release_date": "2024-07-10T00:00:00Z",
        "expiration_date": "2099-07-10T00:00:00Z",
        "creatable": True,
        "upgradable_versions": ["1.31.1-aliyun.1"],
    },
]


def meta_data(
    *,
    kms_key: str | None = "",
    network: str = "terway-eniip",
    network_policy: bool = True,
    ram_authenticator: bool = True,
    drop_capability: bool = False,
) -> str:
    caps: JSON = {
        "Network": "Terway" if network.startswith("terway") else "Flannel",
        "PublicSLB": True,
        "RamRoleType": "restricted",
    }
    if kms_key is not None and not drop_capability:
        caps["EncryptionKMSKeyId"] = kms_key
    addons: list[JSON] = [{"name": "coredns", "version": "v1.11.3.2-f57ea7ed6-aliyun"}]
    if network.startswith("terway"):
        config = json.dumps({"IPVlan": "false", "NetworkPolicy": str(network_policy).lower()})
        addons.append({"name": network, "version": "v1.13.3", "config": config})
    else:
        addons.append({"name": "kube-flannel-ds", "version": "v0.15.1.22-20a397e6-aliyun"})
    if ram_authenticator:
        addons.append({"name": "ack-ram-authenticator", "version": "0.5.1"})
    return json.dumps(
        {
            "Addons": addons,
            "Capabilities": caps,
            "KubernetesVersion": "",
            "RRSAConfig": {"enabled": False},
        }
    )


def master_url(public: str | None) -> str:
    return json.dumps(
        {
            "api_server_endpoint": public or "",
            "intranet_api_server_endpoint": "https://192.168.0.251:6443",
        }
    )


def cluster(
    cid: str,
    name: str,
    *,
    region: str = REGION,
    cluster_type: str = "ManagedKubernetes",
    version: str = "1.31.1-aliyun.1",
    public: str | None = None,
    lb: str = "",
    kms_key: str | None = "",
    rrsa: bool = True,
    network: str = "terway-eniip",
    network_policy: bool = True,
    sg: str = "sg-good",
    worker_role: str = "KubernetesWorkerRole-good",
) -> JSON:
    return {
        "cluster_id": cid,
        "name": name,
        "region_id": region,
        "cluster_type": cluster_type,
        "cluster_spec": "ack.pro.small" if cluster_type == "ManagedKubernetes" else "",
        "profile": "Default",
        "state": "running",
        "size": 2,
        "current_version": version,
        "init_version": version,
        "created": "2026-01-05T10:20:00+08:00",
        "updated": "2026-03-01T10:20:00+08:00",
        "vpc_id": "vpc-2zeg8nf1ukc0fcmvq****",
        "vswitch_ids": ["vsw-2zete8s4qocqg0mf6****"],
        "security_group_id": sg,
        "network_mode": "vpc",
        "deletion_protection": True,
        "resource_group_id": "rg-acfmyvw3wjm****",
        "master_url": master_url(public),
        "meta_data": meta_data(kms_key=kms_key, network=network, network_policy=network_policy),
        "external_loadbalancer_id": lb,
        "worker_ram_role_name": worker_role,
        "rrsa_config": {
            "enabled": rrsa,
            "issuer": f"https://oidc-ack-{region}.oss-{region}.aliyuncs.com/{cid}",
            "audience": "sts.aliyuncs.com",
        },
        "tags": [{"key": "env", "value": "prod"}],
    }


def nodepool(
    pool_id: str,
    name: str,
    *,
    groups: Sequence[str] = ("sg-good",),
    bandwidth: int = 0,
    eip: bool = False,
    role: str | None = None,
) -> JSON:
    scaling: JSON = {
        "scaling_group_id": f"asg-{pool_id}",
        "security_group_id": groups[0],
        "security_group_ids": list(groups),
        "internet_charge_type": "PayByTraffic",
        "internet_max_bandwidth_out": bandwidth,
        "instance_types": ["ecs.g7.xlarge"],
        "vswitch_ids": ["vsw-2zete8s4qocqg0mf6****"],
        "login_as_non_root": True,
        "system_disk_category": "cloud_essd",
        "system_disk_size": 120,
    }
    if role:
        scaling["ram_role_name"] = role
    return {
        "nodepool_info": {
            "nodepool_id": pool_id,
            "name": name,
            "type": "ess",
            "is_default": False,
            "region_id": REGION,
        },
        "scaling_group": scaling,
        "auto_scaling": {"enable": False, "is_bond_eip": eip, "eip_bandwidth": 0},
        "management": {"enable": True, "auto_repair": True},
        "status": {"total_nodes": 1, "healthy_nodes": 1, "serving_nodes": 1, "state": "active"},
    }


def node(instance_id: str, pool_id: str | None, *, role: str = "Worker") -> JSON:
    return {
        "instance_id": instance_id,
        "nodepool_id": pool_id or "",
        "instance_role": role,
        "node_name": f"{REGION}.10.0.0.{len(instance_id)}",
        "ip_address": ["10.0.0.12"],
        "state": "running",
        "instance_status": "Running",
        "instance_type": "ecs.g7.xlarge",
        "is_aliyun_node": True,
        "source": "ess_attach",
    }


def instance(
    instance_id: str,
    *,
    groups: Sequence[str] = ("sg-good",),
    public_ip: str = "",
    eip: str = "",
    tokens: str = "required",
) -> JSON:
    return {
        "InstanceId": instance_id,
        "InstanceName": instance_id,
        "RegionId": REGION,
        "Status": "Running",
        "InstanceNetworkType": "vpc",
        "PublicIpAddress": {"IpAddress": [public_ip] if public_ip else []},
        "EipAddress": {
            "IpAddress": eip,
            "AllocationId": "eip-1" if eip else "",
            "InternetChargeType": "",
        },
        "SecurityGroupIds": {"SecurityGroupId": list(groups)},
        "MetadataOptions": {"HttpEndpoint": "enabled", "HttpTokens": tokens},
        "VpcAttributes": {
            "VpcId": "vpc-2zeg8nf1ukc0fcmvq****",
            "VSwitchId": "vsw-2zete8s4qocqg0mf6****",
            "PrivateIpAddress": {"IpAddress": ["10.0.0.12"]},
        },
    }


def permission(
    protocol: str,
    ports: str,
    source: str = "0.0.0.0/0",
    *,
    policy: str = "Accept",
    priority: str = "1",
    rule_id: str = "",
    v6: bool = False,
) -> JSON:
    return {
        "Direction": "ingress",
        "IpProtocol": protocol,
        "PortRange": ports,
        "SourceCidrIp": "" if v6 else source,
        "Ipv6SourceCidrIp": source if v6 else "",
        "Policy": policy,
        "Priority": priority,
        "NicType": "intranet",
        "SecurityGroupRuleId": rule_id or f"sgr-{protocol.lower()}-{ports.replace('/', '-')}",
        "Description": "",
        "CreateTime": "2026-01-05T02:20:00Z",
    }


def security_group(group_id: str, rules: Sequence[JSON]) -> JSON:
    return {
        "RequestId": "FAKE",
        "RegionId": REGION,
        "SecurityGroupId": group_id,
        "SecurityGroupName": group_id,
        "VpcId": "vpc-2zeg8nf1ukc0fcmvq****",
        "InnerAccessPolicy": "Accept",
        "Description": "",
        "Permissions": {"Permission": list(rules)},
    }


def load_balancer(lb_id: str, port: int = 6443, protocol: str = "tcp") -> JSON:
    return {
        "RequestId": "FAKE",
        "LoadBalancerId": lb_id,
        "LoadBalancerName": f"k8s-api-{lb_id}",
        "LoadBalancerStatus": "active",
        "Address": "47.98.10.20",
        "AddressType": "internet",
        "AddressIPVersion": "ipv4",
        "RegionId": REGION,
        "NetworkType": "vpc",
        "ListenerPorts": {"ListenerPort": [port]},
        "ListenerPortsAndProtocol": {
            "ListenerPortAndProtocol": [{"ListenerPort": port, "ListenerProtocol": protocol}]
        },
    }


def listener(
    lb_id: str, *, acl: str = "", status: str = "off", kind: str = "white", port: int = 6443
) -> JSON:
    body: JSON = {
        "RequestId": "FAKE",
        "LoadBalancerId": lb_id,
        "ListenerPort": port,
        "BackendServerPort": 6443,
        "Status": "running",
        "Bandwidth": -1,
        "Scheduler": "wrr",
        "AclStatus": status,
    }
    if acl:
        body.update({"AclId": acl, "AclType": kind, "AclIds": {"AclId": [acl]}})
    return body


def acl(acl_id: str, entries: Sequence[str]) -> JSON:
    return {
        "RequestId": "FAKE",
        "AclId": acl_id,
        "AclName": "api-server-admins",
        "AddressIPVersion": "ipv4",
        "AclEntrys": {
            "AclEntry": [{"AclEntryIP": e, "AclEntryComment": "admins"} for e in entries]
        },
        "TotalAclEntry": len(entries),
    }


def system_policy(name: str) -> JSON:
    return {
        "PolicyName": name,
        "PolicyType": "System",
        "DefaultVersion": "v1",
        "Description": name,
        "AttachDate": "2026-01-05T02:20:00Z",
    }


def custom_policy(name: str, version: str = "v1") -> JSON:
    return {
        "PolicyName": name,
        "PolicyType": "Custom",
        "DefaultVersion": version,
        "Description": name,
        "AttachDate": "2026-01-05T02:20:00Z",
    }


NARROW = json.dumps(
    {
        "Version": "1",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["ecs:DescribeInstances", "log:GetProject"],
                "Resource": "*",
            }
        ],
    }
)


def key(key_id: str = KEY_ID, *, state: str = "Enabled", rotation: str = "Enabled") -> JSON:
    return {
        "RequestId": "FAKE",
        "KeyMetadata": {
            "KeyId": key_id,
            "Arn": f"acs:kms:{REGION}:{ACCOUNT}:key/{key_id}",
            "KeyState": state,
            "KeySpec": "Aliyun_AES_256",
            "KeyUsage": "ENCRYPT/DECRYPT",
            "Origin": "Aliyun_KMS",
            "ProtectionLevel": "SOFTWARE",
            "AutomaticRotation": rotation,
            "RotationInterval": "31536000s",
            "CreationDate": "2026-01-05T02:20:00Z",
            "Creator": ACCOUNT,
        },
    }


def control_plane_log(cid: str, components: Sequence[str]) -> JSON:
    return {
        "log_project": f"k8s-log-{cid}",
        "log_ttl": "30",
        "aliuid": ACCOUNT,
        "components": list(components),
    }


def audit(cid: str, on: bool) -> JSON:
    return {"sls_project_name": f"k8s-log-{cid}" if on else "", "audit_enabled": on}


ALL_LOGS = ("apiserver", "kcm", "scheduler", "ccm", "controlplane-events")

# The Done-when cluster set: cluster name -> the exact FAIL set it deserves.
EXPECTED_FAILS: dict[str, set[str]] = {
    "ack-good": set(),
    "ack-exposed": {
        "CP-001",
        "CP-002",
        "CP-003",
        "NODE-001",
        "NODE-002",
        "NODE-003",
        "IAM-001",
        "IAM-004",
        "IAM-005",
        "ENC-001",
        "LOG-001",
        "LOG-002",
        "VER-001",
        "NET-001",
        "PATH-001",
    },
    "ack-acl": {"CP-002", "ENC-002"},
    "ack-dedicated": {"ETCD-001"},
}


def serve_world(world: World, region: str = REGION) -> None:
    """The four clusters of EXPECTED_FAILS in ``region``, with their pools, nodes and reads."""
    world.add_region(region)
    world.add_versions(region, "ManagedKubernetes", SUPPORTED)
    world.add_versions(region, "Kubernetes", SUPPORTED)
    world.add_security_group(
        region,
        security_group(
            "sg-good",
            [
                permission("ICMP", "-1/-1"),  # ACK's default: ping from anywhere
                permission("ALL", "-1/-1", "172.20.0.0/16"),  # the pod CIDR
                permission("TCP", "22/22", "0.0.0.0/0", policy="Drop", priority="1"),
                permission("TCP", "22/22", "0.0.0.0/0", priority="100", rule_id="sgr-lower-ssh"),
            ],
        ),
    )
    world.add_security_group(
        region,
        security_group(
            "sg-open",
            [
                permission("TCP", "22/22"),
                permission("TCP", "10250/10250"),
                permission("TCP", "8080/8080"),
                permission("TCP", "30000/32767"),
            ],
        ),
    )
    world.add_role(
        "KubernetesWorkerRole-good",
        [custom_policy("k8sWorkerRolePolicy-good")],
        {"k8sWorkerRolePolicy-good": NARROW},
    )
    world.add_role("KubernetesWorkerRole-admin", [system_policy("AdministratorAccess")], {})
    world.add_role(
        MASTER_ROLE, [custom_policy("k8sMasterRolePolicy-ded")], {"k8sMasterRolePolicy-ded": NARROW}
    )
    world.add_key(region, key(KEY_ID))
    world.add_key(region, key("key-disabled", state="Disabled", rotation="Disabled"))

    # ack-good: private API server, KMS, audit and all logs, RRSA, Terway NetworkPolicy.
    good = "c0good0000000000000000000000001"
    world.add_cluster(
        cluster(good, "ack-good", kms_key=KEY_ID),
        nodepools=[nodepool("np-good", "default-pool")],
        nodes=[node("i-good1", "np-good"), node("i-good2", "np-good")],
        control_plane_log=control_plane_log(good, ALL_LOGS),
        audit=audit(good, True),
    )
    for iid in ("i-good1", "i-good2"):
        world.add_instance(region, instance(iid))

    # ack-exposed: everything the table warns about.
    bad = "c0bad00000000000000000000000002"
    world.add_load_balancer(region, load_balancer("lb-open"), [listener("lb-open")])
    world.add_role("KubernetesWorkerRole-admin", [system_policy("AdministratorAccess")], {})
    world.add_cluster(
        cluster(
            bad,
            "ack-exposed",
            version="1.26.3-aliyun.1",
            public="https://47.98.10.20:6443",
            lb="lb-open",
            kms_key="",
            rrsa=False,
            network="flannel",
            sg="sg-open",
            worker_role="KubernetesWorkerRole-admin",
        ),
        nodepools=[nodepool("np-bad", "public-pool", groups=("sg-open",), bandwidth=5)],
        nodes=[node("i-bad1", "np-bad")],
        control_plane_log=control_plane_log(bad, ["apiserver"]),
        audit=audit(bad, False),
    )
    world.add_instance(
        region, instance("i-bad1", groups=("sg-open",), public_ip="47.98.10.21", tokens="optional")
    )

    # ack-acl: public API server behind a whitelist; the secrets key is disabled.
    acl_cluster = "c0acl00000000000000000000000003"
    world.add_load_balancer(
        region, load_balancer("lb-acl"), [listener("lb-acl", acl="acl-admins", status="on")]
    )
    world.add_acl(region, acl("acl-admins", ["203.0.113.0/24", "198.51.100.7/32"]))
    world.add_cluster(
        cluster(
            acl_cluster,
            "ack-acl",
            public="https://47.98.10.30:6443",
            lb="lb-acl",
            kms_key="key-disabled",
        ),
        nodepools=[nodepool("np-acl", "default-pool")],
        nodes=[node("i-acl1", "np-acl")],
        control_plane_log=control_plane_log(acl_cluster, ALL_LOGS),
        audit=audit(acl_cluster, True),
    )
    world.add_instance(region, instance("i-acl1"))

    # ack-dedicated: masters and etcd in the customer's account.
    ded = "c0ded00000000000000000000000004"
    world.add_cluster(
        cluster(ded, "ack-dedicated", cluster_type="Kubernetes", kms_key=KEY_ID),
        nodepools=[nodepool("np-ded", "default-pool")],
        nodes=[node("i-master1", None, role="Master"), node("i-ded1", "np-ded")],
        control_plane_log=control_plane_log(ded, ALL_LOGS),
        audit=audit(ded, True),
    )
    world.add_instance(region, instance("i-master1"), ram_role=MASTER_ROLE)
    world.add_instance(region, instance("i-ded1"))
