"""Row 1 cases: CP-001 .. CP-004."""

from __future__ import annotations

from cloudposture.model import Authentication, EndpointAccess, Status
from cloudposture.rules.base import RuleSettings

from .builders import Case, denied, endpoint, good_posture

ENDPOINT_DENIED = denied("endpoint", call="eks:DescribeCluster")
CIDRS_DENIED = denied("endpoint.authorized_cidrs", call="container:GetCluster")


def _public(*cidrs: str, provider_ranges: bool | None = None) -> EndpointAccess:
    return endpoint(
        public_enabled=True,
        private_enabled=True,
        authorized_cidrs=list(cidrs),
        provider_ranges_allowed=provider_ranges,
    )


CASES = [
    # CP-001: the whole internet
    Case("private-endpoint", "CP-001", good_posture(), Status.PASS, ("disabled",)),
    Case(
        "restricted",
        "CP-001",
        good_posture(endpoint=_public("203.0.113.0/24")),
        Status.PASS,
        ("1 authorized CIDR",),
    ),
    Case(
        "whole-internet-v4",
        "CP-001",
        good_posture(endpoint=_public("203.0.113.0/24", "0.0.0.0/0")),
        Status.FAIL,
        ("whole internet", "0.0.0.0/0"),
    ),
    Case(
        "whole-internet-v6",
        "CP-001",
        good_posture(endpoint=_public("::/0")),
        Status.FAIL,
        ("::/0",),
    ),
    Case(
        "provider-ranges-without-list",
        "CP-001",
        good_posture(endpoint=_public(provider_ranges=True)),
        Status.FAIL,
        ("provider's public address space",),
    ),
    Case(
        "provider-ranges-with-list",
        "CP-001",
        good_posture(endpoint=_public("203.0.113.0/24", provider_ranges=True)),
        Status.PASS,
    ),
    Case(
        "empty-list-no-provider-ranges",
        "CP-001",
        good_posture(endpoint=_public(provider_ranges=False)),
        Status.PASS,
        ("no public source",),
    ),
    Case(
        "public-unknown",
        "CP-001",
        good_posture(endpoint=endpoint(), collection_errors=[ENDPOINT_DENIED]),
        Status.ERROR,
        (ENDPOINT_DENIED.one_line(),),
    ),
    Case(
        "cidrs-unknown",
        "CP-001",
        good_posture(endpoint=endpoint(public_enabled=True), collection_errors=[CIDRS_DENIED]),
        Status.ERROR,
        (CIDRS_DENIED.one_line(),),
    ),
    Case(
        "provider-ranges-unknown",
        "CP-001",
        good_posture(endpoint=_public()),
        Status.ERROR,
        ("endpoint.provider_ranges_allowed not collected",),
    ),
    Case(
        "empty-list-on-a-cloud-without-provider-ranges",
        "CP-001",
        good_posture(
            endpoint=endpoint(
                public_enabled=True,
                private_enabled=True,
                authorized_cidrs=[],
                not_applicable={"provider_ranges_allowed": "no such switch on this cloud"},
            )
        ),
        Status.PASS,
        ("no public source",),
    ),
    # CP-002: any public endpoint
    Case("no-public-endpoint", "CP-002", good_posture(), Status.PASS),
    Case(
        "restricted-public-endpoint",
        "CP-002",
        good_posture(endpoint=_public("203.0.113.7/32")),
        Status.FAIL,
        ("public endpoint",),
    ),
    Case(
        "unknown",
        "CP-002",
        good_posture(endpoint=endpoint(), collection_errors=[ENDPOINT_DENIED]),
        Status.ERROR,
        (ENDPOINT_DENIED.one_line(),),
    ),
    # CP-003: broad authorized networks; the /24 boundary and private ranges
    Case("endpoint-off", "CP-003", good_posture(), Status.PASS, ("disabled",)),
    Case(
        "endpoint-off-cidrs-unknown",
        "CP-003",
        good_posture(endpoint=endpoint(public_enabled=False)),
        Status.PASS,
    ),
    Case("slash-24", "CP-003", good_posture(endpoint=_public("203.0.113.0/24")), Status.PASS),
    Case(
        "slash-23",
        "CP-003",
        good_posture(endpoint=_public("203.0.113.7/32", "198.51.100.0/23")),
        Status.FAIL,
        ("198.51.100.0/23",),
    ),
    Case(
        "whole-internet",
        "CP-003",
        good_posture(endpoint=_public("0.0.0.0/0")),
        Status.FAIL,
        ("0.0.0.0/0",),
    ),
    Case(
        "private-ranges-never-broad",
        "CP-003",
        good_posture(endpoint=_public("10.0.0.0/8", "172.16.0.0/12", "fd00::/8")),
        Status.PASS,
    ),
    Case(
        "custom-limit",
        "CP-003",
        good_posture(endpoint=_public("198.51.100.0/23")),
        Status.PASS,
        settings=RuleSettings(broad_prefix=16),
    ),
    Case(
        "ipv6-site",
        "CP-003",
        good_posture(endpoint=_public("2606:4700:10::/48")),
        Status.PASS,
    ),
    Case(
        "ipv6-too-broad",
        "CP-003",
        good_posture(endpoint=_public("2606:4700::/32")),
        Status.FAIL,
        ("2606:4700::/32",),
    ),
    Case(
        "unparsable",
        "CP-003",
        good_posture(endpoint=_public("not-a-cidr")),
        Status.ERROR,
        ("not-a-cidr",),
    ),
    Case(
        "cidrs-unknown",
        "CP-003",
        good_posture(endpoint=endpoint(public_enabled=True), collection_errors=[CIDRS_DENIED]),
        Status.ERROR,
        (CIDRS_DENIED.one_line(),),
    ),
    # CP-004: credentials outside the IdP
    Case("idp-only", "CP-004", good_posture(), Status.PASS),
    Case(
        "client-certificate",
        "CP-004",
        good_posture(
            authentication=Authentication(
                idp_enabled=True,
                local_credentials_enabled=True,
                local_credential_kinds=["client-certificate", "basic-auth"],
            )
        ),
        Status.FAIL,
        ("client-certificate, basic-auth",),
    ),
    Case(
        "unknown",
        "CP-004",
        good_posture(
            authentication=Authentication(),
            collection_errors=[denied("authentication", call="eks:DescribeCluster")],
        ),
        Status.ERROR,
        ("eks:DescribeCluster on prod failed (AccessDenied)",),
    ),
]
