"""A large, realistic scan result built without any cloud: N clusters x the whole catalogue.

Each finding carries what a real one does (the rule's per-provider remediation and
references, evidence with its API source, a per-cluster message), so the page size and the
browser's work match a real estate of that size. Deterministic: the same N gives the same
result, so failures reproduce.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from cloudposture.model import (
    CollectionError,
    CoverageEntry,
    Evidence,
    Finding,
    Resource,
    ScanInfo,
    ScanResult,
    Status,
    finding_uid,
)
from cloudposture.rules.catalog import ALL_RULES
from cloudposture.rules.guidance import installed_guidance

AT = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
_PROVIDERS = {
    "aws": ("111122223333", "444455556666", "777788889999"),
    "gcp": ("shop-prod", "data-platform"),
    "azure": ("00000000-0000-0000-0000-00000000000a",),
}
_REGIONS = {
    "aws": ("us-east-1", "eu-west-1", "ap-southeast-2"),
    "gcp": ("europe-west1", "us-central1"),
    "azure": ("westeurope", "eastus"),
}


def synthetic_result(clusters: int = 1000, seed: int = 14) -> ScanResult:
    rng = random.Random(seed)
    findings: list[Finding] = []
    resources: list[Resource] = []
    names = list(_PROVIDERS)
    for n in range(clusters):
        provider = names[n % len(names)]
        account = rng.choice(_PROVIDERS[provider])
        region = rng.choice(_REGIONS[provider])
        name = f"{rng.choice(('prod', 'stage', 'dev', 'batch', 'edge'))}-{n:04d}"
        resources.append(
            Resource(
                provider=provider,
                account=account,
                region=region,
                cluster=name,
                id=f"{provider}/{account}/{region}/{name}",
                tags={"team": rng.choice(("payments", "data", "platform")), "env": name[:4]},
            )
        )
    for resource in resources:
        findings.extend(_cluster_findings(resource, rng))
    coverage = [
        CoverageEntry(provider=p, account=a, region=r, status="ok", clusters_found=clusters // 10)
        for p, accounts in _PROVIDERS.items()
        for a in accounts
        for r in _REGIONS[p]
    ]
    coverage.append(
        CoverageEntry(
            provider="aws",
            account="999999999999",
            region="*",
            status="error",
            errors=[CollectionError(call="sts:AssumeRole", kind="denied", code="AccessDenied")],
        )
    )
    info = ScanInfo(
        id="scan-synthetic",
        tool_version="0.1.0",
        providers=sorted(_PROVIDERS),
        started_at=AT,
        finished_at=AT + timedelta(minutes=9),
        coverage=coverage,
        complete=False,
    )
    return ScanResult(scan=info, findings=findings)


def _cluster_findings(resource: Resource, rng: random.Random) -> list[Finding]:
    out = []
    catalog = installed_guidance()
    for rule in ALL_RULES:
        meta = rule.meta
        guidance = catalog.guidance(meta.id, resource.provider)
        not_applicable = catalog.not_applicable(meta.id, resource.provider)
        if not_applicable is not None:
            status, message = Status.NOT_APPLICABLE, not_applicable
        else:
            roll = rng.random()
            status = Status.FAIL if roll < 0.22 else Status.ERROR if roll < 0.25 else Status.PASS
            message = f"{meta.title.lower()} on {resource.cluster} ({status.value.lower()})"
        out.append(
            Finding(
                uid=finding_uid(resource.provider, resource.account, resource.id, meta.id),
                rule_id=meta.id,
                title=meta.title,
                row=meta.row,
                status=status,
                severity=meta.severity,
                message=message,
                resource=resource,
                evidence=[
                    Evidence(
                        fact="endpoint.authorized_cidrs",
                        value=[f"10.{rng.randrange(256)}.0.0/16"],
                        source=guidance.evidence if guidance else "",
                    )
                ],
                remediation=guidance.remediation if guidance else None,
                references=list(guidance.references) if guidance else [],
                scan_id="scan-synthetic",
                first_seen=AT - timedelta(days=rng.randrange(60))
                if status is Status.FAIL
                else None,
                created_at=AT,
            )
        )
    return out
