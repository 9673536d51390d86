"""AWS Organizations fan-out: list the member accounts, then one scanner per member.

How it reaches a member: the management account's credentials (the entry's profile, or its
``role_arn`` assumed first) call ``organizations:ListAccounts``; each ACTIVE member becomes
an :class:`EksScanner` whose ``role_arn`` is ``arn:PARTITION:iam::MEMBER:role/ROLE_NAME``.
That scanner assumes the role lazily, inside ``targets()``, so a member whose role cannot be
assumed raises ConfigurationError there, which the engine (``setup_errors="record"``) turns
into a coverage error for that member while every other member is scanned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from cloudposture_aws.adapter import EksScanner
from cloudposture_aws.clients import AwsSettings, ClientFactory
from cloudposture_aws.errors import setup_failure


def _ids(value: object) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    items = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    return tuple(str(v).strip() for v in items if str(v).strip())


@dataclass(frozen=True)
class OrganizationSettings:
    """The ``organization_*`` settings keys (config file: targets.aws[].organization)."""

    role_name: str
    external_id: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, settings: Mapping[str, Any]) -> OrganizationSettings | None:
        role = settings.get("organization_role")
        if not role:
            return None
        return cls(
            role_name=str(role),
            external_id=settings.get("organization_external_id") or None,
            include=_ids(settings.get("organization_include")),
            exclude=_ids(settings.get("organization_exclude")),
        )


def active_member_accounts(client: Any, org: OrganizationSettings) -> list[str]:
    """ACTIVE member account ids, filtered by include/exclude, sorted (shards rely on it)."""
    accounts: list[str] = []
    try:
        for page in client.get_paginator("list_accounts").paginate():
            for account in page["Accounts"]:
                state = account.get("State") or account.get("Status")
                if state == "ACTIVE":
                    accounts.append(str(account["Id"]))
    except (ClientError, BotoCoreError) as exc:
        what = "cannot list the organization's accounts"
        raise setup_failure(exc, what, "organizations:ListAccounts") from None
    if org.include:
        accounts = [a for a in accounts if a in org.include]
    return sorted(a for a in accounts if a not in org.exclude)


def organization_scanners(
    settings: AwsSettings, org: OrganizationSettings, clients: ClientFactory
) -> Sequence[EksScanner]:
    """One lazily-assuming scanner per member account (labelled with the account id)."""
    management = clients
    if settings.role_arn:
        management = clients.assume_role(settings.role_arn, settings.external_id)
    management.credentials()  # a broken credential source is a ConfigurationError, here
    members = active_member_accounts(management.client("organizations"), org)
    partition = _partition(management)
    scanners: list[EksScanner] = []
    for account in members:
        role_arn = f"arn:{partition}:iam::{account}:role/{org.role_name}"
        member_settings = replace(settings, role_arn=role_arn, external_id=org.external_id)
        scanner = EksScanner(member_settings, management)
        scanner.label = account
        scanners.append(scanner)
    return scanners


def _partition(clients: ClientFactory) -> str:
    try:
        return str(clients.session.get_partition_for_region(clients.default_region))
    except Exception:  # noqa: BLE001 - an unknown region name is still in the aws partition
        return "aws"
