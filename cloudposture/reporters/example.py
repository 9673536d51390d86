"""A small, fixed scan result: the source of the examples in docs/formats.md and of the golden
files the format tests compare against, so docs, tests and code show the same output.

It covers each status, each provider, a suppression, evidence and remediation, and text that
every format has to escape (pipes, equals signs, backslashes, newlines, quotes).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from cloudposture.model import (
    CollectionError,
    CoverageEntry,
    Evidence,
    Finding,
    Reference,
    Remediation,
    Resource,
    ScanInfo,
    ScanResult,
    Severity,
    Status,
    Suppression,
    finding_uid,
)

SCAN_ID = "scan-20240501T020000Z-5f1c"
AT = datetime(2024, 5, 1, 2, 0, 30, tzinfo=UTC)

EKS = Resource(
    provider="aws",
    account="123456789012",
    region="eu-west-1",
    cluster="prod-eu",
    id="arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu",
    tags={"team": "platform", "env": "prod"},
)
GKE = Resource(
    provider="gcp",
    account="shop-prod",
    region="europe-west1",
    cluster="shop",
    id="https://container.googleapis.com/v1/projects/shop-prod/locations/europe-west1/clusters/shop",
)
AKS = Resource(
    provider="azure",
    account="00000000-0000-0000-0000-000000000001",
    region="westeurope",
    cluster="payments",
    id=(
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-pay"
        "/providers/Microsoft.ContainerService/managedClusters/payments"
    ),
)


def _finding(resource: Resource, rule_id: str, **fields: object) -> Finding:
    uid = finding_uid(resource.provider, resource.account, resource.id, rule_id)
    return Finding.model_validate(
        {
            "uid": uid,
            "rule_id": rule_id,
            "resource": resource,
            "scan_id": SCAN_ID,
            "created_at": AT,
            **fields,
        }
    )


def example_findings() -> list[Finding]:
    """Five findings: FAIL, PASS, MUTED on EKS; ERROR on GKE; NOT_APPLICABLE on AKS."""
    return [
        _finding(
            EKS,
            "CP-001",
            title="API server reachable from the whole internet",
            row="1",
            status=Status.FAIL,
            severity=Severity.CRITICAL,
            message='public endpoint allows 0.0.0.0/0 | key=value "quoted" \\ path\nsecond line',
            evidence=[
                Evidence(
                    fact="endpoint.authorized_cidrs",
                    value=["0.0.0.0/0"],
                    source="eks:DescribeCluster cluster.resourcesVpcConfig.publicAccessCidrs",
                )
            ],
            remediation=Remediation(
                summary="Restrict the public endpoint to the administrators' networks.",
                console="EKS > cluster > Networking > Manage endpoint access",
                cli=(
                    "aws eks update-cluster-config --name prod-eu --resources-vpc-config "
                    "publicAccessCidrs=203.0.113.0/24"
                ),
                terraform="aws_eks_cluster.vpc_config.public_access_cidrs",
                docs=["https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html"],
            ),
            references=[
                Reference(
                    benchmark="CIS Amazon Elastic Kubernetes Service (EKS) Benchmark",
                    version="v1.7.0",
                    control="5.4.2",
                    title="Ensure clusters are created with private endpoint enabled",
                ),
                Reference(
                    benchmark="CIS Amazon Elastic Kubernetes Service (EKS) Benchmark",
                    version="v1.7.0",
                    control="5.4.3",
                ),
            ],
            first_seen=datetime(2024, 4, 20, 2, 0, 31, tzinfo=UTC),
            last_seen=AT,
        ),
        _finding(
            EKS,
            "ENC-001",
            title="Secrets not envelope-encrypted with a customer-managed KMS key",
            row="5",
            status=Status.PASS,
            severity=Severity.HIGH,
            message="secrets are encrypted with KMS key alias/eks-prod",
        ),
        _finding(
            EKS,
            "LOG-002",
            title="Control-plane component logs incomplete",
            row="+",
            status=Status.MUTED,
            severity=Severity.LOW,
            message="scheduler logs are not enabled",
            suppression=Suppression(
                reason="scheduler logs cost more than they tell",
                owner="platform",
                expires=date(2024, 12, 31),
            ),
        ),
        _finding(
            GKE,
            "IAM-003",
            title="Nodes run as the provider's default identity",
            row="3",
            status=Status.ERROR,
            severity=Severity.MEDIUM,
            message=(
                "cannot judge: container.projects.locations.clusters.nodePools.list on shop "
                "failed (403): permission denied"
            ),
        ),
        _finding(
            AKS,
            "IAM-004",
            title="Pods can read node credentials from instance metadata",
            row="3",
            status=Status.NOT_APPLICABLE,
            severity=Severity.HIGH,
            message="AKS nodes have no instance-metadata credentials for pods to borrow",
        ),
    ]


def example_result() -> ScanResult:
    """The example findings with a scan header (one region of GKE was only partly read)."""
    denied = CollectionError(
        call="container.projects.locations.clusters.nodePools.list",
        kind="denied",
        code="403",
        message="permission denied",
        resource="shop",
        affects=["node_pools"],
    )
    coverage = [
        CoverageEntry(
            provider="aws", account=EKS.account, region=EKS.region, status="ok", clusters_found=1
        ),
        CoverageEntry(
            provider="gcp",
            account=GKE.account,
            region=GKE.region,
            cluster="shop",
            status="error",
            errors=[denied],
        ),
        CoverageEntry(
            provider="azure", account=AKS.account, region=AKS.region, status="ok", clusters_found=1
        ),
    ]
    info = ScanInfo(
        id=SCAN_ID,
        tool_version="0.1.0",
        providers=["aws", "azure", "gcp"],
        started_at=datetime(2024, 5, 1, 2, 0, 0, tzinfo=UTC),
        finished_at=datetime(2024, 5, 1, 2, 1, 0, tzinfo=UTC),
        coverage=coverage,
        complete=False,
    )
    return ScanResult(scan=info, findings=example_findings())
