"""Pure functions for node pools: security groups, public IPs, instance metadata, SSH.

Inputs are API-shaped dicts (DescribeSecurityGroups, DescribeSubnets, DescribeInstances,
DescribeLaunchTemplateVersions, DescribeNodegroup) or ``None`` when the read failed, so each
fact is None exactly when what it depends on could not be read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cloudposture.model import IngressRule, is_whole_internet
from cloudposture.model.posture import Protocol

_PROTOCOLS: dict[str, Protocol] = {
    "-1": "all",
    "all": "all",
    "tcp": "tcp",
    "6": "tcp",
    "udp": "udp",
    "17": "udp",
    "icmp": "icmp",
    "1": "icmp",
    "icmpv6": "icmpv6",
    "58": "icmpv6",
    "sctp": "sctp",
    "132": "sctp",
}

# Security groups and rules Kubernetes opens for LoadBalancer / NodePort Services:
# - in-tree cloud provider, NLB: rule descriptions kubernetes.io/rule/nlb/{client,health,mtu}=...
# - in-tree cloud provider, CLB: a group named k8s-elb-<lb> ("Security group for Kubernetes ELB")
# - AWS Load Balancer Controller: rules described elbv2.k8s.aws/targetGroupBinding=shared, and
#   the groups it manages carry the tag elbv2.k8s.aws/cluster.
K8S_RULE_PREFIXES = ("kubernetes.io/rule/nlb/", "elbv2.k8s.aws/targetGroupBinding")
K8S_GROUP_PREFIX = "k8s-elb-"
K8S_GROUP_DESCRIPTION = "Security group for Kubernetes ELB"
K8S_GROUP_TAG = "elbv2.k8s.aws/cluster"


def opened_by_kubernetes(group: Mapping[str, Any]) -> bool:
    tags = {t.get("Key") for t in group.get("Tags") or []}
    return (
        str(group.get("GroupName", "")).startswith(K8S_GROUP_PREFIX)
        or str(group.get("Description", "")).startswith(K8S_GROUP_DESCRIPTION)
        or K8S_GROUP_TAG in tags
    )


def _ports(permission: Mapping[str, Any], protocol: str) -> tuple[int | None, int | None]:
    if protocol in ("all", "icmp", "icmpv6"):
        return None, None
    low, high = permission.get("FromPort"), permission.get("ToPort")
    if low is None or low == -1:
        return None, None
    return int(low), int(high if high is not None and high != -1 else low)


def internet_ingress(group: Mapping[str, Any]) -> list[IngressRule]:
    """One security group's ingress reduced to what the whole internet (0.0.0.0/0, ::/0) gets."""
    rules: list[IngressRule] = []
    group_k8s = opened_by_kubernetes(group)
    origin = str(group.get("GroupId", ""))
    for permission in group.get("IpPermissions") or []:
        protocol = _PROTOCOLS.get(str(permission.get("IpProtocol", "")).lower(), "other")
        low, high = _ports(permission, protocol)
        ranges = [(r.get("CidrIp", ""), r) for r in permission.get("IpRanges") or []]
        ranges += [(r.get("CidrIpv6", ""), r) for r in permission.get("Ipv6Ranges") or []]
        for cidr, entry in ranges:
            if not is_whole_internet(cidr):
                continue
            description = str(entry.get("Description") or "")
            rules.append(
                IngressRule(
                    protocol=protocol,
                    port_from=low,
                    port_to=high,
                    source=cidr,
                    origin=origin,
                    kubernetes_service=group_k8s or description.startswith(K8S_RULE_PREFIXES),
                )
            )
    return rules


def metadata_exposure(options: Mapping[str, Any], where: str) -> tuple[bool, str]:
    """IMDS options -> (pods can read node credentials, why).

    Exposed when the endpoint is on and either IMDSv1 is allowed (HttpTokens optional) or an
    IMDSv2 token can cross the pod's extra network hop (HttpPutResponseHopLimit > 1).
    """
    endpoint = str(options.get("HttpEndpoint") or "enabled")
    tokens = str(options.get("HttpTokens") or "optional")
    hops = int(options.get("HttpPutResponseHopLimit") or 1)
    said = f"{where}: HttpEndpoint={endpoint}, HttpTokens={tokens}, HttpPutResponseHopLimit={hops}"
    if endpoint == "disabled":
        return False, said
    return tokens != "required" or hops > 1, said


# Metadata options of managed node groups whose launch template sets none, by amiType.
# AL2 (EKS default launch template): IMDSv1 allowed, hop limit 2. AL2023: IMDSv2 required, hop
# limit 1 (EKS User Guide, "Upgrade from Amazon Linux 2 to Amazon Linux 2023"). Bottlerocket
# AMIs declare ImdsSupport v2.0: IMDSv2 required, hop limit 2 (EC2 User Guide, "Configure the
# AMI"). Other AMI types (CUSTOM, Windows) take the AMI's and account's own defaults.
_DEFAULT_METADATA: dict[str, dict[str, Any]] = {
    "AL2_": {"HttpTokens": "optional", "HttpPutResponseHopLimit": 2},
    "AL2023_": {"HttpTokens": "required", "HttpPutResponseHopLimit": 1},
    "BOTTLEROCKET_": {"HttpTokens": "required", "HttpPutResponseHopLimit": 2},
}


def default_metadata_exposure(ami_type: str | None) -> tuple[bool | None, str]:
    for prefix, options in _DEFAULT_METADATA.items():
        if (ami_type or "").startswith(prefix):
            return metadata_exposure(options, f"EKS default for amiType {ami_type}")
    return None, (
        f"no launch-template MetadataOptions and no running node; the default for amiType "
        f"{ami_type or 'unknown'} depends on the AMI and the account's IMDS defaults"
    )


def subnet_public_ip(subnets: Iterable[Mapping[str, Any]]) -> bool:
    return any(s.get("MapPublicIpOnLaunch") is True for s in subnets)


# --- launch templates, public IPs, metadata per pool -------------------------------------


@dataclass(frozen=True)
class LaunchTemplate:
    """The node-relevant part of one launch template version."""

    label: str
    security_groups: tuple[str, ...]
    public_ip: bool | None
    """NetworkInterfaces[].AssociatePublicIpAddress; None: the template leaves it to the subnet."""
    metadata: Mapping[str, Any] | None


def launch_template(version: Mapping[str, Any]) -> LaunchTemplate:
    """One entry of ec2:DescribeLaunchTemplateVersions ``LaunchTemplateVersions``."""
    data = version.get("LaunchTemplateData") or {}
    groups = list(data.get("SecurityGroupIds") or [])
    public: bool | None = None
    for nic in data.get("NetworkInterfaces") or []:
        groups += list(nic.get("Groups") or [])
        flag = nic.get("AssociatePublicIpAddress")
        if isinstance(flag, bool):
            public = flag if public is None else (public or flag)
    label = f"{version.get('LaunchTemplateId', '?')} version {version.get('VersionNumber', '?')}"
    return LaunchTemplate(
        label=label,
        security_groups=tuple(dict.fromkeys(groups)),
        public_ip=public,
        metadata=data.get("MetadataOptions") or None,
    )


def public_ip(
    template: LaunchTemplate | None,
    subnets: Sequence[Mapping[str, Any]] | None,
    instances: Sequence[Mapping[str, Any]],
) -> tuple[bool | None, str]:
    """Whether the pool's nodes get public IPs: seen on a running node, set by the template,
    else the subnets' MapPublicIpOnLaunch."""
    if any(i.get("PublicIpAddress") for i in instances):
        return True, "ec2:DescribeInstances Reservations[].Instances[].PublicIpAddress"
    if template is not None and template.public_ip is not None:
        return template.public_ip, (
            f"ec2:DescribeLaunchTemplateVersions {template.label} "
            "LaunchTemplateData.NetworkInterfaces[].AssociatePublicIpAddress"
        )
    if subnets is None:
        return None, "ec2:DescribeSubnets Subnets[].MapPublicIpOnLaunch"
    return subnet_public_ip(subnets), "ec2:DescribeSubnets Subnets[].MapPublicIpOnLaunch"


def pool_metadata(
    template: LaunchTemplate | None,
    instances: Sequence[Mapping[str, Any]],
    ami_type: str | None,
) -> tuple[bool | None, str, str]:
    """(exposed, detail, source): running nodes win over the template, the template over
    the EKS default for the AMI type."""
    seen = [i for i in instances if i.get("MetadataOptions")]
    if seen:
        verdicts = [metadata_exposure(i["MetadataOptions"], str(i.get("InstanceId"))) for i in seen]
        exposed = [d for e, d in verdicts if e]
        detail = exposed[0] if exposed else verdicts[0][1]
        if len(seen) > 1:
            detail += f" ({len(exposed)} of {len(seen)} running nodes exposed)"
        return bool(exposed), detail, "ec2:DescribeInstances Instances[].MetadataOptions"
    if template is not None and template.metadata:
        exposed_t, detail = metadata_exposure(template.metadata, template.label)
        source = f"ec2:DescribeLaunchTemplateVersions {template.label} MetadataOptions"
        return exposed_t, detail, source
    exposed_d, detail = default_metadata_exposure(ami_type)
    return exposed_d, detail, "eks:DescribeNodegroup nodegroup.amiType (documented default)"


def ingress_of(
    group_ids: Iterable[str], groups: Mapping[str, Mapping[str, Any] | None]
) -> list[IngressRule]:
    """Internet ingress of the given groups; a group AWS no longer has (None) grants nothing."""
    rules: list[IngressRule] = []
    for gid in dict.fromkeys(group_ids):
        group = groups.get(gid)
        if group is not None:
            rules.extend(internet_ingress(group))
    return rules


def ssh_access(nodegroup: Mapping[str, Any]) -> tuple[bool, bool | None]:
    """remoteAccess -> (SSH remote access on, restricted to source security groups).

    Without sourceSecurityGroups EKS creates the remote-access group open to 0.0.0.0/0 on 22.
    """
    remote = nodegroup.get("remoteAccess") or {}
    if not remote.get("ec2SshKey"):
        return False, None
    return True, bool(remote.get("sourceSecurityGroups"))
