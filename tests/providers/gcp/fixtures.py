"""Real-shaped v1 payloads for the fake Google API: the issue's cluster set and its projects.

Shapes follow ``gcloud container clusters describe --format=json`` (container v1), the
compute v1 firewall list, Resource Manager v3 and Cloud KMS v1. The fake validates each
strictly against the SDK's message types before serving it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from tests.providers.gcp.fake_api import World, permission_denied, service_disabled

JSON = dict[str, Any]

PROD, PROD_NUMBER = "acme-prod", "123456789012"
DEV, DEV_NUMBER = "acme-dev", "210987654321"
EMPTY, LOCKED, SANDBOX, SANDBOX_NUMBER = "acme-empty", "acme-locked", "acme-sandbox", "555000111222"
ORG = "organizations/9001"

PROD_DEFAULT_SA = f"{PROD_NUMBER}-compute@developer.gserviceaccount.com"
DEV_DEFAULT_SA = f"{DEV_NUMBER}-compute@developer.gserviceaccount.com"
NODES_SA = f"gke-nodes@{PROD}.iam.gserviceaccount.com"
CI_SA = f"ci-runner@{PROD}.iam.gserviceaccount.com"
CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"
GKE_DEFAULT_SCOPES = [
    "https://www.googleapis.com/auth/devstorage.read_only",
    "https://www.googleapis.com/auth/logging.write",
    "https://www.googleapis.com/auth/monitoring",
    "https://www.googleapis.com/auth/service.management.readonly",
    "https://www.googleapis.com/auth/servicecontrol",
    "https://www.googleapis.com/auth/trace.append",
]
KEY_ROTATING = f"projects/{PROD}/locations/europe-west1/keyRings/gke/cryptoKeys/etcd"
KEY_STATIC = f"projects/{PROD}/locations/europe-west1/keyRings/gke/cryptoKeys/etcd-static"
COMPUTE = "https://www.googleapis.com/compute/v1"
CONTAINER = "https://container.googleapis.com/v1"
ALL_COMPONENTS = ["SYSTEM_COMPONENTS", "WORKLOADS", "APISERVER", "SCHEDULER", "CONTROLLER_MANAGER"]

DELETE = object()
"""A patch value that removes the key."""


def merge(base: Mapping[str, Any], patch: Mapping[str, Any]) -> JSON:
    """Deep-merge ``patch`` into a copy of ``base`` (dicts merge, lists replace)."""
    out = copy.deepcopy(dict(base))
    for key, value in patch.items():
        if value is DELETE:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def node_config(
    service_account: str = "default",
    scopes: list[str] | None = None,
    tags: list[str] | None = None,
    metadata_mode: str | None = "GKE_METADATA",
) -> JSON:
    config: JSON = {
        "diskSizeGb": 100,
        "diskType": "pd-balanced",
        "imageType": "COS_CONTAINERD",
        "machineType": "e2-standard-4",
        "metadata": {"disable-legacy-endpoints": "true"},
        "oauthScopes": scopes if scopes is not None else list(GKE_DEFAULT_SCOPES),
        "serviceAccount": service_account,
        "shieldedInstanceConfig": {"enableIntegrityMonitoring": True},
    }
    if tags:
        config["tags"] = tags
    if metadata_mode is not None:
        config["workloadMetadataConfig"] = {"mode": metadata_mode}
    return config


def node_pool(
    project: str, location: str, cluster: str, name: str, config: JSON, **extra: Any
) -> JSON:
    pool: JSON = {
        "name": name,
        "config": config,
        "initialNodeCount": 1,
        "autoscaling": {"enabled": True, "minNodeCount": 1, "maxNodeCount": 5},
        "management": {"autoRepair": True, "autoUpgrade": True},
        "maxPodsConstraint": {"maxPodsPerNode": "110"},
        "podIpv4CidrSize": 24,
        "locations": [f"{location}-b", f"{location}-c", f"{location}-d"],
        "networkConfig": {"podRange": "pods", "podIpv4CidrBlock": "10.8.0.0/14"},
        "selfLink": f"{CONTAINER}/projects/{project}/locations/{location}/clusters/{cluster}"
        f"/nodePools/{name}",
        "status": "RUNNING",
        "version": "1.30.5-gke.1014001",
        "upgradeSettings": {"maxSurge": 1, "strategy": "SURGE"},
    }
    return merge(pool, extra)


def cluster(
    project: str,
    name: str,
    cluster_id: str,
    *,
    location: str = "europe-west1",
    network: str = "prod-vpc",
    pools: list[JSON] | None = None,
    **patch: Any,
) -> JSON:
    """A Standard cluster shaped like ``gcloud container clusters describe`` prints it."""
    base: JSON = {
        "name": name,
        "id": cluster_id,
        "location": location,
        "zone": location,
        "locations": [f"{location}-b", f"{location}-c", f"{location}-d"],
        "selfLink": f"{CONTAINER}/projects/{project}/locations/{location}/clusters/{name}",
        "status": "RUNNING",
        "createTime": "2024-03-04T10:11:12+00:00",
        "currentMasterVersion": "1.30.5-gke.1014001",
        "currentNodeVersion": "1.30.5-gke.1014001",
        "initialClusterVersion": "1.29.1-gke.1589018",
        "currentNodeCount": 3,
        "endpoint": "34.76.10.20",
        "clusterIpv4Cidr": "10.8.0.0/14",
        "servicesIpv4Cidr": "10.12.0.0/20",
        "network": network,
        "subnetwork": f"{network}-gke",
        "networkConfig": {
            "network": f"projects/{project}/global/networks/{network}",
            "subnetwork": f"projects/{project}/regions/{location}/subnetworks/{network}-gke",
            "datapathProvider": "ADVANCED_DATAPATH",
            "defaultSnatStatus": {},
        },
        "ipAllocationPolicy": {
            "useIpAliases": True,
            "clusterSecondaryRangeName": "pods",
            "servicesSecondaryRangeName": "services",
            "clusterIpv4CidrBlock": "10.8.0.0/14",
            "servicesIpv4CidrBlock": "10.12.0.0/20",
            "stackType": "IPV4",
        },
        "addonsConfig": {
            "httpLoadBalancing": {},
            "horizontalPodAutoscaling": {},
            "networkPolicyConfig": {"disabled": True},
            "gcePersistentDiskCsiDriverConfig": {"enabled": True},
        },
        "masterAuth": {
            "clusterCaCertificate": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==",
            "clientCertificateConfig": {},
        },
        "masterAuthorizedNetworksConfig": {},
        "legacyAbac": {},
        "nodeConfig": (pools or [{}])[0].get("config", {}),
        "nodePools": pools or [],
        "loggingService": "logging.googleapis.com/kubernetes",
        "loggingConfig": {"componentConfig": {"enableComponents": list(ALL_COMPONENTS)}},
        "monitoringService": "monitoring.googleapis.com/kubernetes",
        "monitoringConfig": {"componentConfig": {"enableComponents": ["SYSTEM_COMPONENTS"]}},
        "databaseEncryption": {"state": "DECRYPTED", "currentState": "CURRENT_STATE_DECRYPTED"},
        "workloadIdentityConfig": {"workloadPool": f"{project}.svc.id.goog"},
        "releaseChannel": {"channel": "REGULAR"},
        "shieldedNodes": {"enabled": True},
        "privateClusterConfig": {"privateEndpoint": "10.0.0.2", "publicEndpoint": "34.76.10.20"},
        "controlPlaneEndpointsConfig": {
            "dnsEndpointConfig": {
                "endpoint": f"gke-{cluster_id[:20]}.{location}.gke.goog",
                "allowExternalTraffic": False,
            },
            "ipEndpointsConfig": {
                "enabled": True,
                "enablePublicEndpoint": True,
                "globalAccess": False,
                "publicEndpoint": "34.76.10.20",
                "privateEndpoint": "10.0.0.2",
            },
        },
        "labelFingerprint": "a9dc16a7",
        "resourceLabels": {"env": "prod" if project == PROD else "dev"},
    }
    return merge(base, patch)


def firewall(project: str, network: str, name: str, **fields: Any) -> JSON:
    rule: JSON = {
        "kind": "compute#firewall",
        "id": str(abs(hash((project, name))) % 10**18),
        "creationTimestamp": "2024-03-04T02:11:12.123-07:00",
        "name": name,
        "description": "",
        "network": f"{COMPUTE}/projects/{project}/global/networks/{network}",
        "priority": 1000,
        "direction": "INGRESS",
        "logConfig": {"enable": False},
        "disabled": False,
        "selfLink": f"{COMPUTE}/projects/{project}/global/firewalls/{name}",
    }
    return merge(rule, fields)


def gke_auto_rules(project: str, network: str, name: str, cluster_id: str) -> list[JSON]:
    """The ingress rules GKE creates for a cluster (targets the automatic node tag)."""
    tag = f"gke-{name}-{cluster_id[:8]}-node"
    prefix = f"gke-{name}-{cluster_id[:8]}"
    return [
        firewall(
            project,
            network,
            f"{prefix}-all",
            sourceRanges=["10.8.0.0/14"],
            targetTags=[tag],
            allowed=[{"IPProtocol": p} for p in ("tcp", "udp", "icmp", "esp", "ah", "sctp")],
        ),
        firewall(
            project,
            network,
            f"{prefix}-vms",
            sourceRanges=["10.0.0.0/20"],
            targetTags=[tag],
            allowed=[
                {"IPProtocol": "tcp", "ports": ["1-65535"]},
                {"IPProtocol": "udp", "ports": ["1-65535"]},
                {"IPProtocol": "icmp"},
            ],
        ),
        firewall(
            project,
            network,
            f"{prefix}-master",
            sourceRanges=["172.16.0.0/28"],
            targetTags=[tag],
            allowed=[{"IPProtocol": "tcp", "ports": ["443", "10250"]}],
        ),
        firewall(
            project,
            network,
            f"{prefix}-exkubelet",
            sourceRanges=["0.0.0.0/0"],
            targetTags=[tag],
            denied=[{"IPProtocol": "tcp", "ports": ["10255"]}],
        ),
        firewall(
            project,
            network,
            f"{prefix}-inkubelet",
            priority=999,
            sourceRanges=["10.8.0.0/14"],
            sourceTags=[tag],
            targetTags=[tag],
            allowed=[{"IPProtocol": "tcp", "ports": ["10255"]}],
        ),
    ]


# -- the issue's cluster set ------------------------------------------------------------------

HARDENED_ID = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
LEGACY_ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
PARTNER_ID = "77aa88bb99cc00dd11ee22ff33aa44bb55cc66dd77ee88ff99aa00bb11cc22dd"
OPS_ID = "5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f"
PILOT_ID = "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00"


def hardened() -> JSON:
    """Private endpoint and nodes, dedicated SA, GKE metadata, CMEK rotating, full logging."""
    name = "payments"
    return cluster(
        PROD,
        name,
        HARDENED_ID,
        pools=[
            node_pool(
                PROD,
                "europe-west1",
                name,
                "system",
                node_config(NODES_SA, [CLOUD_PLATFORM], ["payments-nodes"]),
            )
        ],
        privateClusterConfig={
            "enablePrivateNodes": True,
            "enablePrivateEndpoint": True,
            "masterIpv4CidrBlock": "172.16.0.0/28",
        },
        networkConfig={"defaultEnablePrivateNodes": True},
        controlPlaneEndpointsConfig={
            "ipEndpointsConfig": {
                "enablePublicEndpoint": False,
                "publicEndpoint": DELETE,
                "authorizedNetworksConfig": {
                    "enabled": True,
                    "cidrBlocks": [{"displayName": "vpc", "cidrBlock": "10.0.0.0/8"}],
                    "gcpPublicCidrsAccessEnabled": False,
                },
            }
        },
        masterAuthorizedNetworksConfig={
            "enabled": True,
            "cidrBlocks": [{"displayName": "vpc", "cidrBlock": "10.0.0.0/8"}],
            "gcpPublicCidrsAccessEnabled": False,
        },
        databaseEncryption={
            "state": "ENCRYPTED",
            "currentState": "CURRENT_STATE_ENCRYPTED",
            "keyName": KEY_ROTATING,
        },
    )


def legacy_public() -> JSON:
    """Everything the table warns about: public endpoint and nodes, default SA with Editor..."""
    name = "legacy-web"
    pool_config = node_config("default", [CLOUD_PLATFORM], None, metadata_mode=None)
    pool_config["metadata"] = {"disable-legacy-endpoints": "false"}
    return cluster(
        PROD,
        name,
        LEGACY_ID,
        location="europe-west1-b",
        network="default",
        pools=[node_pool(PROD, "europe-west1-b", name, "default-pool", pool_config)],
        currentMasterVersion="1.27.16-gke.1287000",
        masterAuth={
            "clientCertificateConfig": {"issueClientCertificate": True},
            "clientCertificate": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==",
            "clientKey": "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=",
        },
        legacyAbac={"enabled": True},
        networkConfig={"datapathProvider": "LEGACY_DATAPATH"},
        workloadIdentityConfig=DELETE,
        loggingConfig={"componentConfig": {"enableComponents": ["SYSTEM_COMPONENTS", "WORKLOADS"]}},
        releaseChannel={},
        privateClusterConfig={"publicEndpoint": "35.195.1.2"},
    )


def partner_access() -> JSON:
    """Public endpoint behind a too-wide authorized network; dedicated SA that holds Editor."""
    name = "partner-api"
    pool_config = node_config(CI_SA, [CLOUD_PLATFORM], ["web"])
    return cluster(
        PROD,
        name,
        PARTNER_ID,
        pools=[node_pool(PROD, "europe-west1", name, "web", pool_config)],
        privateClusterConfig={"enablePrivateNodes": True, "masterIpv4CidrBlock": "172.16.0.16/28"},
        masterAuthorizedNetworksConfig={
            "enabled": True,
            "gcpPublicCidrsAccessEnabled": False,
            "cidrBlocks": [{"displayName": "partner", "cidrBlock": "198.51.100.0/22"}],
        },
        networkConfig={"datapathProvider": "LEGACY_DATAPATH"},
        networkPolicy={"enabled": True, "provider": "CALICO"},
        addonsConfig={"networkPolicyConfig": {"disabled": DELETE}},
        databaseEncryption={"state": "ENCRYPTED", "keyName": KEY_STATIC},
        loggingConfig={"componentConfig": {"enableComponents": ["SYSTEM_COMPONENTS", "APISERVER"]}},
    )


def ops_narrow() -> JSON:
    """Narrow authorized network; a second pool on legacy metadata as the default SA (dev)."""
    name = "ops"
    return cluster(
        DEV,
        name,
        OPS_ID,
        location="us-central1",
        pools=[
            node_pool(
                DEV,
                "us-central1",
                name,
                "system",
                node_config(f"gke-nodes@{DEV}.iam.gserviceaccount.com"),
            ),
            node_pool(
                DEV,
                "us-central1",
                name,
                "batch",
                node_config("default", None, None, metadata_mode="GCE_METADATA"),
                networkConfig={"enablePrivateNodes": True},
            ),
        ],
        privateClusterConfig={"enablePrivateNodes": True, "masterIpv4CidrBlock": "172.16.1.0/28"},
        masterAuthorizedNetworksConfig={
            "enabled": True,
            "gcpPublicCidrsAccessEnabled": False,
            "cidrBlocks": [{"displayName": "ops-vpn", "cidrBlock": "203.0.113.16/28"}],
        },
        databaseEncryption={"state": "ENCRYPTED", "keyName": KEY_ROTATING},
    )


def autopilot() -> JSON:
    """An Autopilot cluster with a public endpoint and defaults (dev project)."""
    name = "autopilot-dev"
    return cluster(
        DEV,
        name,
        PILOT_ID,
        location="us-central1",
        pools=[
            node_pool(
                DEV,
                "us-central1",
                name,
                "default-pool",
                node_config("default", [CLOUD_PLATFORM], None),
            )
        ],
        autopilot={"enabled": True},
        autoscaling={
            "enableNodeAutoprovisioning": True,
            "autoprovisioningNodePoolDefaults": {
                "serviceAccount": "default",
                "oauthScopes": [CLOUD_PLATFORM],
            },
        },
        loggingConfig={"componentConfig": {"enableComponents": ["SYSTEM_COMPONENTS", "WORKLOADS"]}},
    )


def prod_firewalls() -> list[JSON]:
    legacy_tag = f"gke-legacy-web-{LEGACY_ID[:8]}-node"
    return [
        *gke_auto_rules(PROD, "prod-vpc", "payments", HARDENED_ID),
        *gke_auto_rules(PROD, "prod-vpc", "partner-api", PARTNER_ID),
        *gke_auto_rules(PROD, "default", "legacy-web", LEGACY_ID),
        firewall(
            PROD,
            "default",
            "allow-ssh-from-anywhere",
            sourceRanges=["0.0.0.0/0"],
            targetTags=[legacy_tag],
            allowed=[{"IPProtocol": "tcp", "ports": ["22"]}],
        ),
        firewall(
            PROD,
            "prod-vpc",
            "web-8080",
            sourceRanges=["0.0.0.0/0"],
            targetTags=["web"],
            allowed=[{"IPProtocol": "tcp", "ports": ["8080"]}],
        ),
        firewall(
            PROD,
            "prod-vpc",
            "k8s-fw-a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6",
            description='{"kubernetes.io/service-name":"shop/frontend", '
            '"kubernetes.io/service-ip":"34.77.1.2"}',
            sourceRanges=["0.0.0.0/0"],
            targetTags=[f"gke-partner-api-{PARTNER_ID[:8]}-node"],
            allowed=[{"IPProtocol": "tcp", "ports": ["443"]}],
        ),
        firewall(
            PROD,
            "prod-vpc",
            "iap-ssh",
            sourceRanges=["35.235.240.0/20"],
            allowed=[{"IPProtocol": "tcp", "ports": ["22"]}],
        ),
        firewall(
            PROD,
            "prod-vpc",
            "deny-ssh-internet",
            priority=900,
            sourceRanges=["0.0.0.0/0"],
            targetTags=["payments-nodes"],
            denied=[{"IPProtocol": "tcp", "ports": ["22"]}],
        ),
        firewall(
            PROD,
            "prod-vpc",
            "allow-ssh-anywhere-payments",
            priority=1000,
            sourceRanges=["0.0.0.0/0"],
            targetTags=["payments-nodes"],
            allowed=[{"IPProtocol": "tcp", "ports": ["22"]}],
        ),
        firewall(
            PROD,
            "prod-vpc",
            "old-open-rule",
            disabled=True,
            sourceRanges=["0.0.0.0/0"],
            allowed=[{"IPProtocol": "all"}],
        ),
    ]


def policy(editor_members: list[str], audit: bool, extra: list[JSON] | None = None) -> JSON:
    body: JSON = {
        "version": 3,
        "etag": "BwYl2pK3x1o=",
        "bindings": [
            {"role": "roles/owner", "members": ["user:admin@acme.example"]},
            {"role": "roles/editor", "members": editor_members},
            {
                "role": "roles/container.defaultNodeServiceAccount",
                "members": [f"serviceAccount:{NODES_SA}"],
            },
            *(extra or []),
        ],
    }
    if audit:
        body["auditConfigs"] = [
            {
                "service": "container.googleapis.com",
                "auditLogConfigs": [
                    {"logType": "ADMIN_READ"},
                    {"logType": "DATA_READ"},
                    {"logType": "DATA_WRITE", "exemptedMembers": ["user:ci@acme.example"]},
                ],
            }
        ]
    return body


def org_policy(extra: list[JSON] | None = None, audit: list[JSON] | None = None) -> JSON:
    """The organization's IAM policy: admins only, unless a test adds grants or audit configs."""
    body: JSON = {
        "version": 1,
        "etag": "BwYm3qL4y2p=",
        "bindings": [
            {
                "role": "roles/resourcemanager.organizationAdmin",
                "members": ["group:gcp-admins@acme.example"],
            },
            *(extra or []),
        ],
    }
    if audit:
        body["auditConfigs"] = audit
    return body


def custom_role(name: str, permissions: list[str], stage: str = "GA", **extra: object) -> JSON:
    """An IAM v1 Role as ``projects.roles.get`` / ``organizations.roles.get`` return it."""
    body: JSON = {
        "name": name,
        "title": name.rsplit("/", 1)[-1],
        "description": "Created by the acme platform team",
        "includedPermissions": permissions,
        "stage": stage,
        "etag": "BwWKmjvelug=",
    }
    body.update(extra)
    return body


def firewall_policy(short_name: str, kind: str, rules: list[JSON], policy_id: str = "") -> JSON:
    """One entry of getEffectiveFirewalls ``firewallPolicys`` (hierarchical: numeric name)."""
    body: JSON = {
        "name": policy_id or str(abs(hash(short_name)) % 10**12),
        "shortName": short_name,
        "type": kind,
        "rules": rules,
    }
    if kind == "HIERARCHY":
        body["displayName"] = short_name
    return body


def policy_rule(
    priority: int,
    action: str,
    src: list[str],
    l4: list[JSON] | None = None,
    direction: str = "INGRESS",
    **fields: Any,
) -> JSON:
    """A FirewallPolicyRule as the API returns it (kind, ruleTupleCount included)."""
    rule: JSON = {
        "kind": "compute#firewallPolicyRule",
        "priority": priority,
        "action": action,
        "direction": direction,
        "match": {
            "srcIpRanges" if direction == "INGRESS" else "destIpRanges": src,
            "layer4Configs": l4 or [{"ipProtocol": "all"}],
        },
        "enableLogging": False,
        "ruleTupleCount": 2,
    }
    return merge(rule, fields)


def regional_policy(name: str, rules: list[JSON], kind: str = "NETWORK_REGIONAL") -> JSON:
    """One entry of regionNetworkFirewallPolicies.getEffectiveFirewalls ``firewallPolicys``
    (that message has no ``shortName``: a regional policy is named by ``name``)."""
    return {"name": name, "type": kind, "rules": [*rules, *hierarchy_defaults()]}


def hierarchy_defaults() -> list[JSON]:
    """The goto_next rules every hierarchical firewall policy ends with (network firewall
    policies, global and regional, get the same predefined rules)."""
    return [
        policy_rule(2147483644, "goto_next", ["::/0"], direction="EGRESS"),
        policy_rule(2147483645, "goto_next", ["::/0"]),
        policy_rule(2147483646, "goto_next", ["0.0.0.0/0"], direction="EGRESS"),
        policy_rule(2147483647, "goto_next", ["0.0.0.0/0"]),
    ]


def network(project: str, name: str, order: str = "AFTER_CLASSIC_FIREWALL") -> JSON:
    """A compute v1 Network (read only for its firewall policy enforcement order)."""
    return {
        "kind": "compute#network",
        "id": str(abs(hash((project, name))) % 10**18),
        "name": name,
        "selfLink": f"{COMPUTE}/projects/{project}/global/networks/{name}",
        "autoCreateSubnetworks": False,
        "routingConfig": {"routingMode": "REGIONAL"},
        "networkFirewallPolicyEnforcementOrder": order,
        "creationTimestamp": "2024-03-04T02:11:12.123-07:00",
    }


def crypto_key(name: str, rotation: str | None, state: str = "ENABLED") -> JSON:
    key: JSON = {
        "name": name,
        "primary": {
            "name": f"{name}/cryptoKeyVersions/3",
            "state": state,
            "createTime": "2024-01-01T00:00:00.000000Z",
            "protectionLevel": "SOFTWARE",
            "algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION",
            "generateTime": "2024-01-01T00:00:00.000000Z",
        },
        "purpose": "ENCRYPT_DECRYPT",
        "createTime": "2023-01-01T00:00:00.000000Z",
        "versionTemplate": {
            "protectionLevel": "SOFTWARE",
            "algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION",
        },
        "destroyScheduledDuration": "2592000s",
    }
    if rotation:
        key["rotationPeriod"] = rotation
        key["nextRotationTime"] = "2025-01-01T00:00:00Z"
    return key


def server_config() -> JSON:
    """GKE's offer at the time of the fixtures: 1.28-1.31 standard, 1.27 extended only."""
    return {
        "defaultClusterVersion": "1.30.5-gke.1014001",
        "validMasterVersions": [
            "1.31.1-gke.1678000",
            "1.30.5-gke.1014001",
            "1.29.9-gke.1496000",
            "1.28.14-gke.1175000",
        ],
        "validNodeVersions": [
            "1.31.1-gke.1678000",
            "1.30.5-gke.1014001",
            "1.29.9-gke.1496000",
            "1.28.14-gke.1175000",
            "1.27.16-gke.1287000",
        ],
        "defaultImageType": "COS_CONTAINERD",
        "validImageTypes": ["COS_CONTAINERD", "UBUNTU_CONTAINERD"],
        "channels": [
            {
                "channel": "RAPID",
                "defaultVersion": "1.31.1-gke.1678000",
                "validVersions": ["1.31.1-gke.1678000"],
            },
            {
                "channel": "REGULAR",
                "defaultVersion": "1.30.5-gke.1014001",
                "validVersions": ["1.30.5-gke.1014001", "1.29.9-gke.1496000"],
            },
            {
                "channel": "STABLE",
                "defaultVersion": "1.29.9-gke.1496000",
                "validVersions": ["1.29.9-gke.1496000", "1.28.14-gke.1175000"],
            },
            {
                "channel": "EXTENDED",
                "defaultVersion": "1.27.16-gke.1287000",
                "validVersions": ["1.27.16-gke.1287000", "1.28.14-gke.1175000"],
            },
        ],
    }


def project(project_id: str, number: str, parent: str = ORG, state: str = "ACTIVE") -> JSON:
    return {
        "name": f"projects/{number}",
        "parent": parent,
        "projectId": project_id,
        "state": state,
        "displayName": project_id,
        "createTime": "2023-05-06T07:08:09.123Z",
        "etag": 'W/"0123456789abcdef"',
    }


def issue_world() -> World:
    """acme-prod and acme-dev with the issue's clusters; acme-empty has none; acme-locked
    denies the listing; acme-sandbox has the Container API disabled."""
    return World(
        clusters={
            PROD: [hardened(), legacy_public(), partner_access()],
            DEV: [ops_narrow(), autopilot()],
            EMPTY: [],
        },
        server_config=server_config(),
        projects={
            PROD: project(PROD, PROD_NUMBER),
            DEV: project(DEV, DEV_NUMBER),
            EMPTY: project(EMPTY, "333000111222"),
            SANDBOX: project(SANDBOX, SANDBOX_NUMBER),
        },
        policies={
            PROD: policy(
                [f"serviceAccount:{PROD_DEFAULT_SA}", f"serviceAccount:{CI_SA}"], audit=True
            ),
            DEV: policy(["user:dev-lead@acme.example"], audit=False),
            ORG: org_policy(),
        },
        firewalls={PROD: prod_firewalls(), DEV: gke_auto_rules(DEV, "prod-vpc", "ops", OPS_ID)},
        keys={
            KEY_ROTATING: crypto_key(KEY_ROTATING, "7776000s"),
            KEY_STATIC: crypto_key(KEY_STATIC, None),
        },
        errors={
            ("container:ListClusters", f"projects/{LOCKED}"): (
                403,
                permission_denied("container.clusters.list", f"projects/{LOCKED}"),
            ),
            ("container:ListClusters", f"projects/{SANDBOX}"): (
                403,
                service_disabled(
                    "container.googleapis.com", "Kubernetes Engine API", SANDBOX_NUMBER
                ),
            ),
        },
    )
