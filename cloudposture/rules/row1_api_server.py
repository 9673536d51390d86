"""Row 1: network access to the API server (control plane), and who it accepts credentials from.

The table asks for no public access from the internet, and where public access exists, network
ACLs restricted to the addresses that administer the cluster.
"""

from __future__ import annotations

import ipaddress

from cloudposture.model import (
    ClusterPosture,
    Severity,
    Status,
    is_private_range,
    is_whole_internet,
)
from cloudposture.rules.base import (
    Outcome,
    Rule,
    RuleMeta,
    RuleSettings,
    failed,
    passed,
    unknown,
)
from cloudposture.rules.judge import fact, judge_flag, with_evidence


def _public_endpoint(posture: ClusterPosture) -> bool | Outcome:
    """True/False when known; otherwise the ERROR outcome to return."""
    ep = posture.endpoint
    public = fact(ep, "endpoint", "public_enabled")
    if ep.public_enabled is None:
        return with_evidence(unknown(posture, "endpoint.public_enabled"), public)
    return ep.public_enabled


def check_whole_internet(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when the public endpoint is on and an authorized CIDR is the whole internet, or
    the provider's public ranges may reach it with no authorized networks listed. PASS when
    the public endpoint is off or restricted. ERROR when either fact was not collected."""
    ep = posture.endpoint
    public = _public_endpoint(posture)
    if isinstance(public, Outcome):
        return public
    evidence = (
        fact(ep, "endpoint", "public_enabled"),
        fact(ep, "endpoint", "authorized_cidrs"),
        fact(ep, "endpoint", "provider_ranges_allowed"),
    )
    if not public:
        return passed("the public API endpoint is disabled", *evidence)
    cidrs = ep.authorized_cidrs
    if cidrs is None:
        return with_evidence(unknown(posture, "endpoint.authorized_cidrs"), *evidence)
    open_to_all = [c for c in cidrs if is_whole_internet(c)]
    if open_to_all:
        return failed(
            f"the public API endpoint accepts connections from the whole internet "
            f"({', '.join(open_to_all)})",
            *evidence,
        )
    if not cidrs:
        # a cloud with no such switch (not_applicable) admits no provider range either
        no_such_switch = "provider_ranges_allowed" in ep.not_applicable
        if ep.provider_ranges_allowed is None and not no_such_switch:
            return with_evidence(unknown(posture, "endpoint.provider_ranges_allowed"), *evidence)
        if ep.provider_ranges_allowed:
            return failed(
                "the public API endpoint accepts connections from all of the provider's public "
                "address space and no authorized networks restrict it",
                *evidence,
            )
        return passed("the public API endpoint admits no public source address", *evidence)
    return passed(
        f"the public API endpoint is restricted to {len(cidrs)} authorized CIDR(s)", *evidence
    )


def check_public_endpoint(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when the API server has a public endpoint at all, even a restricted one."""
    ep = posture.endpoint
    return judge_flag(
        posture,
        fact(ep, "endpoint", "public_enabled"),
        bad=True,
        fail="the API server has a public endpoint",
        ok="the API server has no public endpoint",
        extra=(fact(ep, "endpoint", "private_enabled"),),
    )


def _prefixlen(cidr: str) -> int | None:
    try:
        return ipaddress.ip_network(cidr, strict=False).prefixlen
    except ValueError:
        return None


def _limit(cidr: str, settings: RuleSettings) -> int:
    return settings.broad_prefix_v6 if ":" in cidr else settings.broad_prefix


def check_broad_cidrs(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when an authorized public CIDR is wider than the configured prefix (default /24:
    a /24 passes, a /23 fails; IPv6 uses its own limit, default /48). Private ranges (RFC 1918,
    ULA) never count. PASS when the public endpoint is off."""
    ep = posture.endpoint
    public = _public_endpoint(posture)
    if isinstance(public, Outcome):
        return public
    evidence = (fact(ep, "endpoint", "public_enabled"), fact(ep, "endpoint", "authorized_cidrs"))
    if not public:
        return passed("the public API endpoint is disabled; no CIDR can be too broad", *evidence)
    if ep.authorized_cidrs is None:
        return with_evidence(unknown(posture, "endpoint.authorized_cidrs"), *evidence)
    unparsable = [c for c in ep.authorized_cidrs if _prefixlen(c) is None]
    if unparsable:
        return Outcome(
            Status.ERROR,
            f"cannot judge: authorized CIDR(s) not understood: {', '.join(unparsable)}",
            evidence,
        )
    broad = [
        c
        for c in ep.authorized_cidrs
        if not is_private_range(c) and (_prefixlen(c) or 0) < _limit(c, settings)
    ]
    if broad:
        return failed(
            f"authorized public CIDR(s) broader than /{settings.broad_prefix} (IPv6: "
            f"/{settings.broad_prefix_v6}): {', '.join(broad)}",
            *evidence,
        )
    return passed(
        f"every authorized public CIDR is /{settings.broad_prefix} or narrower", *evidence
    )


def check_local_credentials(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """FAIL when the API server accepts credentials that bypass the cloud IdP (client
    certificates, basic auth, local accounts, an aws-auth ConfigMap-only mode)."""
    auth = posture.authentication
    kinds = ", ".join(auth.local_credential_kinds) or "unspecified kind"
    return judge_flag(
        posture,
        fact(auth, "authentication", "local_credentials_enabled"),
        bad=True,
        fail=f"the API server accepts credentials that bypass the cloud IdP ({kinds})",
        ok="the API server accepts only IdP-backed credentials",
        extra=(
            fact(auth, "authentication", "idp_enabled"),
            fact(auth, "authentication", "local_credential_kinds"),
        ),
    )


CP_001 = Rule(
    meta=RuleMeta(
        id="CP-001",
        title="API server reachable from the whole internet",
        row="1",
        severity=Severity.CRITICAL,
        rationale=(
            "An API server open to every address can be probed, brute-forced and attacked "
            "through any authentication or API vulnerability by anyone on the internet. "
            "Restricting the endpoint to the networks that administer the cluster removes "
            "almost all of that attack surface, and still protects the cluster if a "
            "credential leaks."
        ),
    ),
    check=check_whole_internet,
)

CP_002 = Rule(
    meta=RuleMeta(
        id="CP-002",
        title="Public API endpoint enabled",
        row="1",
        severity=Severity.MEDIUM,
        rationale=(
            "The infrastructure table's first recommendation is no public access to the "
            "control plane at all. Even with authorized networks, a public endpoint is one "
            "misconfiguration away from the whole internet and reveals the cluster and its "
            "Kubernetes version to scanners. A private endpoint keeps API traffic inside "
            "your network."
        ),
    ),
    check=check_public_endpoint,
)

CP_003 = Rule(
    meta=RuleMeta(
        id="CP-003",
        title="Authorized networks too broad",
        row="1",
        severity=Severity.MEDIUM,
        rationale=(
            "Authorized networks only protect the API server if they are narrow: a /16 of a "
            "hosting provider or ISP admits thousands of strangers. The table asks for the set "
            "of addresses needed to administer the cluster, which is rarely wider than a "
            "/24. Private ranges are not counted because they are not reachable from the "
            "internet."
        ),
    ),
    check=check_broad_cidrs,
)

CP_004 = Rule(
    meta=RuleMeta(
        id="CP-004",
        title="API server accepts credentials outside the cloud IdP",
        row="1",
        severity=Severity.HIGH,
        rationale=(
            "Client certificates, basic auth and local accounts cannot be revoked one by one, "
            "are not subject to the IdP's MFA and conditional access, and leave no trace in "
            "the cloud audit log of who used them. A leaked admin certificate stays valid "
            "until the cluster CA rotates. Identities from the cloud IdP are short-lived, "
            "revocable and audited."
        ),
    ),
    check=check_local_credentials,
)

RULES = (CP_001, CP_002, CP_003, CP_004)
