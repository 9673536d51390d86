"""Small builders for findings and coverage used by the nightly tests."""

from __future__ import annotations

from datetime import UTC, datetime

from cloudposture.model import CoverageEntry, Finding, Resource, Severity, Status, finding_uid

T0 = datetime(2030, 1, 1, 2, 0, tzinfo=UTC)


def finding(
    cluster: str,
    rule: str = "CP-002",
    status: Status = Status.FAIL,
    *,
    account: str = "111111111111",
    region: str = "eu-west-1",
    provider: str = "aws",
    tags: dict[str, str] | None = None,
    at: datetime = T0,
) -> Finding:
    native = f"arn:aws:eks:{region}:{account}:cluster/{cluster}"
    return Finding(
        uid=finding_uid(provider, account, native, rule),
        rule_id=rule,
        title=rule,
        row="1",
        status=status,
        severity=Severity.MEDIUM,
        message="m",
        resource=Resource(
            provider=provider,
            account=account,
            region=region,
            cluster=cluster,
            id=native,
            tags=tags or {},
        ),
        scan_id="s",
        created_at=at,
    )


def ok(account: str = "111111111111", region: str = "eu-west-1") -> CoverageEntry:
    return CoverageEntry(provider="aws", account=account, region=region, status="ok")


def failed(
    account: str = "111111111111", region: str = "*", cluster: str | None = None
) -> CoverageEntry:
    return CoverageEntry(
        provider="aws", account=account, region=region, cluster=cluster, status="error"
    )
