"""A small OCI tenancy with three OKE clusters, each built to deserve an exact set of FAILs.

- ``open`` (compartment prod): public endpoint whose subnet security list opens 6443 to
  0.0.0.0/0 (a stateless rule); nodes in a public subnet with 22 and 8080 open to 0.0.0.0/0
  and 10250 to ::/0; an SSH key; legacy IMDS on; a dynamic group matching the prod
  compartment with ``manage all-resources in tenancy``; no KMS key; basic cluster on an old
  version; no service log.
- ``private`` (compartment apps): private endpoint; private nodes reachable only from the
  VCN; IMDSv2 only; a tag-matched dynamic group with narrow (and conditional) grants; an
  enabled, auto-rotating KMS key; enhanced cluster on a current version; service log on.
- ``keyed`` (compartment apps): public endpoint restricted by an NSG to 203.0.113.0/24 and
  131.107.0.0/16 (too broad); a disabled, never-rotated key; a disabled service log; no pools.

Everything is an SDK model object, so an unknown field cannot even be constructed.
"""

from __future__ import annotations

from oci.container_engine.models import (
    Cluster,
    ClusterEndpointConfig,
    ClusterEndpoints,
    FlannelOverlayClusterPodNetworkOptionDetails,
    Node,
    NodePool,
    NodePoolNodeConfigDetails,
    NodePoolPlacementConfigDetails,
    OciVcnIpNativeClusterPodNetworkOptionDetails,
)
from oci.core.models import (
    IngressSecurityRule,
    Instance,
    InstanceOptions,
    PortRange,
    SecurityList,
    SecurityRule,
    Subnet,
    TcpOptions,
)
from oci.identity.models import Compartment, DynamicGroup, Policy, RegionSubscription
from oci.key_management.models import AutoKeyRotationDetails, Key, KeyShape, VaultSummary
from oci.logging.models import Configuration, LogGroupSummary, LogSummary, OciService

from tests.providers.oci.fake_oci import World

TENANCY = "ocid1.tenancy.oc1..aaaatenancy"
PROD = "ocid1.compartment.oc1..aaaaprod"
APPS = "ocid1.compartment.oc1..aaaaapps"
SEC = "ocid1.compartment.oc1..aaaasec"
NET = "ocid1.compartment.oc1..aaaanet"
ASHBURN = "us-ashburn-1"
FRANKFURT = "eu-frankfurt-1"
VCN = "ocid1.vcn.oc1.iad.aaaavcn"

OPEN = "ocid1.cluster.oc1.iad.aaaaopen"
PRIVATE = "ocid1.cluster.oc1.iad.aaaaprivate"
KEYED = "ocid1.cluster.oc1.iad.aaaakeyed"
VAULT = "ocid1.vault.oc1.iad.vaultpfx1.aaaavault"
GOOD_KEY = "ocid1.key.oc1.iad.vaultpfx1.aaaagoodkey"
BAD_KEY = "ocid1.key.oc1.iad.vaultpfx1.aaaabadkey"
LOG_GROUP = "ocid1.loggroup.oc1.iad.aaaaoke"
OKE_LOGS = "oke-k8s-cp-prod"

EXPECTED_FAILS = {
    "open": {
        "CP-001",
        "CP-002",
        "CP-003",
        "NODE-001",
        "NODE-002",
        "NODE-003",
        "NODE-004",
        "IAM-001",
        "IAM-004",
        "IAM-005",
        "ENC-001",
        "LOG-002",
        "VER-001",
        "PATH-001",
    },
    "private": set(),
    "keyed": {"CP-002", "CP-003", "ENC-002", "LOG-002"},
}


def tcp(port_from: int, port_to: int | None = None) -> TcpOptions:
    return TcpOptions(destination_port_range=PortRange(min=port_from, max=port_to or port_from))


def ingress(
    source: str, port: int, *, stateless: bool = False, high: int | None = None
) -> IngressSecurityRule:
    return IngressSecurityRule(
        protocol="6",
        source=source,
        source_type="CIDR_BLOCK",
        is_stateless=stateless,
        tcp_options=tcp(port, high),
    )


def nsg_rule(ident: str, source: str, port: int, high: int | None = None) -> SecurityRule:
    return SecurityRule(
        id=ident,
        description=ident,
        direction="INGRESS",
        protocol="6",
        source=source,
        source_type="CIDR_BLOCK",
        is_stateless=False,
        tcp_options=tcp(port, high),
    )


def security_list(ident: str, *rules: IngressSecurityRule) -> SecurityList:
    return SecurityList(
        id=ident,
        display_name=ident,
        compartment_id=NET,
        vcn_id=VCN,
        lifecycle_state="AVAILABLE",
        ingress_security_rules=list(rules),
        egress_security_rules=[],
    )


def subnet(ident: str, *, public: bool, lists: list[str]) -> Subnet:
    return Subnet(
        id=ident,
        display_name=ident,
        cidr_block="10.0.0.0/24",
        compartment_id=NET,
        vcn_id=VCN,
        lifecycle_state="AVAILABLE",
        prohibit_public_ip_on_vnic=not public,
        security_list_ids=lists,
    )


def instance(
    ident: str,
    compartment: str,
    *,
    legacy_imds: bool,
    tags: dict[str, dict[str, object]] | None = None,
) -> Instance:
    return Instance(
        id=ident,
        display_name=ident.rsplit(".", 1)[-1],
        compartment_id=compartment,
        availability_domain="AD-1",
        region=ASHBURN,
        shape="VM.Standard.E4.Flex",
        lifecycle_state="RUNNING",
        defined_tags=tags or {},
        instance_options=InstanceOptions(are_legacy_imds_endpoints_disabled=not legacy_imds),
    )


def cluster(
    ident: str,
    name: str,
    compartment: str,
    *,
    public: bool,
    subnet_id: str,
    nsgs: list[str],
    version: str,
    enhanced: bool,
    kms_key: str | None = None,
) -> Cluster:
    cni = (
        OciVcnIpNativeClusterPodNetworkOptionDetails(cni_type="OCI_VCN_IP_NATIVE")
        if enhanced
        else FlannelOverlayClusterPodNetworkOptionDetails(cni_type="FLANNEL_OVERLAY")
    )
    return Cluster(
        id=ident,
        name=name,
        compartment_id=compartment,
        vcn_id=VCN,
        kubernetes_version=version,
        kms_key_id=kms_key,
        lifecycle_state="ACTIVE",
        type="ENHANCED_CLUSTER" if enhanced else "BASIC_CLUSTER",
        endpoint_config=ClusterEndpointConfig(
            subnet_id=subnet_id, nsg_ids=nsgs, is_public_ip_enabled=public
        ),
        endpoints=ClusterEndpoints(
            kubernetes=None,
            public_endpoint="192.0.2.10:6443" if public else None,
            private_endpoint="10.0.0.5:6443",
        ),
        cluster_pod_network_options=[cni],
        freeform_tags={"team": name},
    )


def node_pool(
    ident: str,
    name: str,
    cluster_id: str,
    compartment: str,
    *,
    subnet_id: str,
    nsgs: list[str],
    nodes: list[Node],
    ssh_key: str | None,
) -> NodePool:
    return NodePool(
        id=ident,
        name=name,
        cluster_id=cluster_id,
        compartment_id=compartment,
        lifecycle_state="ACTIVE",
        kubernetes_version="v1.31.1",
        ssh_public_key=ssh_key,
        node_config_details=NodePoolNodeConfigDetails(
            size=len(nodes),
            nsg_ids=nsgs,
            placement_configs=[
                NodePoolPlacementConfigDetails(availability_domain="AD-1", subnet_id=subnet_id)
            ],
        ),
        nodes=nodes,
    )


def node(instance_id: str, pool_id: str, public_ip: str | None) -> Node:
    return Node(
        id=instance_id,
        name=instance_id.rsplit(".", 1)[-1],
        node_pool_id=pool_id,
        private_ip="10.0.1.10",
        public_ip=public_ip,
        lifecycle_state="ACTIVE",
    )


def oke_log(ident: str, cluster_id: str, *, enabled: bool) -> LogSummary:
    return LogSummary(
        id=ident,
        log_group_id=LOG_GROUP,
        display_name=ident.rsplit(".", 1)[-1],
        is_enabled=enabled,
        lifecycle_state="ACTIVE",
        log_type="SERVICE",
        compartment_id=APPS,
        configuration=Configuration(
            compartment_id=APPS,
            source=OciService(
                source_type="OCISERVICE",
                service=OKE_LOGS,
                resource=cluster_id,
                category="all-service-logs",
            ),
        ),
    )


def key(ident: str, *, state: str, rotation: bool) -> Key:
    return Key(
        id=ident,
        compartment_id=SEC,
        vault_id=VAULT,
        display_name=ident.rsplit(".", 1)[-1],
        current_key_version=ident + ".v1",
        key_shape=KeyShape(algorithm="AES", length=32),
        protection_mode="HSM",
        lifecycle_state=state,
        is_auto_rotation_enabled=rotation,
        auto_key_rotation_details=AutoKeyRotationDetails(rotation_interval_in_days=90)
        if rotation
        else None,
    )


def compartment(ident: str, name: str, parent: str = TENANCY) -> Compartment:
    return Compartment(
        id=ident, compartment_id=parent, name=name, description=name, lifecycle_state="ACTIVE"
    )


OPEN_POOL = "ocid1.nodepool.oc1.iad.aaaaopenpool"
PRIVATE_POOL = "ocid1.nodepool.oc1.iad.aaaaprivatepool"
OPEN_NODE = "ocid1.instance.oc1.iad.open-node-1"
PRIVATE_NODE = "ocid1.instance.oc1.iad.private-node-1"


def build_world(base_url: str) -> World:
    """The tenancy above; ``base_url`` is the fake's, used as the vault's management endpoint."""
    w = World(tenancy=TENANCY)
    w.regions = [
        RegionSubscription(
            region_key="IAD", region_name=ASHBURN, status="READY", is_home_region=True
        ),
        RegionSubscription(
            region_key="FRA", region_name=FRANKFURT, status="READY", is_home_region=False
        ),
    ]
    w.compartments = [
        compartment(PROD, "prod"),
        compartment(APPS, "apps"),
        compartment(SEC, "security"),
        compartment(NET, "network"),
    ]
    w.clusters[ASHBURN] = [
        cluster(
            OPEN,
            "open",
            PROD,
            public=True,
            subnet_id="subnet-api-public",
            nsgs=[],
            version="v1.27.2",
            enhanced=False,
        ),
        cluster(
            PRIVATE,
            "private",
            APPS,
            public=False,
            subnet_id="subnet-api-private",
            nsgs=["nsg-api"],
            version="v1.31.1",
            enhanced=True,
            kms_key=GOOD_KEY,
        ),
        cluster(
            KEYED,
            "keyed",
            APPS,
            public=True,
            subnet_id="subnet-api-keyed",
            nsgs=["nsg-api-keyed"],
            version="v1.30.1",
            enhanced=True,
            kms_key=BAD_KEY,
        ),
    ]
    w.clusters[FRANKFURT] = []
    w.kubernetes_versions = ["v1.30.1", "v1.31.1", "v1.32.1"]
    w.subnets = {
        "subnet-api-public": subnet("subnet-api-public", public=True, lists=["sl-api-public"]),
        "subnet-api-private": subnet("subnet-api-private", public=False, lists=["sl-api-private"]),
        "subnet-api-keyed": subnet("subnet-api-keyed", public=True, lists=["sl-api-private"]),
        "subnet-workers-public": subnet(
            "subnet-workers-public", public=True, lists=["sl-workers-open"]
        ),
        "subnet-workers-private": subnet(
            "subnet-workers-private", public=False, lists=["sl-workers-private"]
        ),
    }
    w.security_lists = {
        "sl-api-public": security_list("sl-api-public", ingress("0.0.0.0/0", 6443, stateless=True)),
        "sl-api-private": security_list("sl-api-private", ingress("10.0.0.0/16", 6443)),
        "sl-workers-open": security_list(
            "sl-workers-open",
            ingress("0.0.0.0/0", 22),
            ingress("::/0", 10250),
            ingress("0.0.0.0/0", 8080),
            ingress("10.0.0.0/16", 1, high=65535),
        ),
        "sl-workers-private": security_list("sl-workers-private", ingress("10.0.0.0/16", 22)),
    }
    w.nsg_rules = {
        "nsg-api": [nsg_rule("api-from-vcn", "10.0.0.0/8", 6443)],
        "nsg-api-keyed": [
            nsg_rule("api-office", "203.0.113.0/24", 6443),
            nsg_rule("api-partner", "131.107.0.0/16", 6443),
            nsg_rule("api-partner-2", "198.51.100.0/24", 6443),
        ],
        "nsg-open-nodes": [nsg_rule("nodeports", "0.0.0.0/0", 30000, 32767)],
        "nsg-nodes": [nsg_rule("kubelet-from-cp", "10.0.1.0/24", 10250)],
    }
    w.node_pools = [
        node_pool(
            OPEN_POOL,
            "open-pool",
            OPEN,
            PROD,
            subnet_id="subnet-workers-public",
            nsgs=["nsg-open-nodes"],
            nodes=[node(OPEN_NODE, OPEN_POOL, "198.51.100.7")],
            ssh_key="ssh-rsa AAAAB3Nza test@example",
        ),
        node_pool(
            PRIVATE_POOL,
            "private-pool",
            PRIVATE,
            APPS,
            subnet_id="subnet-workers-private",
            nsgs=["nsg-nodes"],
            nodes=[node(PRIVATE_NODE, PRIVATE_POOL, None)],
            ssh_key=None,
        ),
    ]
    w.instances = {
        OPEN_NODE: instance(OPEN_NODE, PROD, legacy_imds=True),
        PRIVATE_NODE: instance(
            PRIVATE_NODE, APPS, legacy_imds=False, tags={"oke": {"role": "worker"}}
        ),
    }
    w.dynamic_groups = [
        DynamicGroup(
            id="ocid1.dynamicgroup.oc1..prodnodes",
            name="prod-nodes",
            compartment_id=TENANCY,
            matching_rule=f"ALL {{instance.compartment.id = '{PROD}'}}",
            lifecycle_state="ACTIVE",
            description="prod",
        ),
        DynamicGroup(
            id="ocid1.dynamicgroup.oc1..tagged",
            name="oke-tagged",
            compartment_id=TENANCY,
            matching_rule="Any {tag.oke.role.value = 'worker', "
            "instance.id = 'ocid1.instance.oc1.iad.other'}",
            lifecycle_state="ACTIVE",
            description="tagged",
        ),
    ]
    w.policies = [
        Policy(
            id="ocid1.policy.oc1..root",
            name="root",
            compartment_id=TENANCY,
            lifecycle_state="ACTIVE",
            description="root",
            statements=[
                "Allow dynamic-group prod-nodes to manage all-resources in tenancy",
                "Allow group Administrators to manage all-resources in tenancy",
                "Allow group 'Default'/'oke-tagged' to manage all-resources in tenancy",
            ],
        ),
        Policy(
            id="ocid1.policy.oc1..apps",
            name="apps",
            compartment_id=APPS,
            lifecycle_state="ACTIVE",
            description="apps",
            statements=[
                "Allow dynamic-group 'Default'/'oke-tagged' to read repos in compartment apps",
                "Allow dynamic-group oke-tagged to manage all-resources in compartment apps "
                "where request.permission = 'BUCKET_READ'",
                "Allow any-user to manage all-resources in compartment apps where all "
                "{request.principal.type = 'workload', request.principal.namespace = 'pay', "
                f"request.principal.cluster_id = '{PRIVATE}'}}",
            ],
        ),
    ]
    w.vaults[ASHBURN] = [
        VaultSummary(
            id=VAULT,
            compartment_id=SEC,
            display_name="oke-vault",
            lifecycle_state="ACTIVE",
            vault_type="DEFAULT",
            management_endpoint=f"{base_url}/{ASHBURN}",
            crypto_endpoint=f"{base_url}/{ASHBURN}",
        )
    ]
    w.keys = {
        GOOD_KEY: key(GOOD_KEY, state="ENABLED", rotation=True),
        BAD_KEY: key(BAD_KEY, state="DISABLED", rotation=False),
    }
    w.log_groups[ASHBURN] = [
        LogGroupSummary(
            id=LOG_GROUP, compartment_id=APPS, display_name="oke", lifecycle_state="ACTIVE"
        )
    ]
    w.log_groups[FRANKFURT] = []
    w.logs[LOG_GROUP] = [
        oke_log("ocid1.log.oc1.iad.private-cp", PRIVATE, enabled=True),
        oke_log("ocid1.log.oc1.iad.keyed-cp", KEYED, enabled=False),
    ]
    return w
