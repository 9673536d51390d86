"""The neutral rules on ACK postures collected from the fake: exact FAIL sets per cluster,
and every rule that applies to ACK seen to PASS on one cluster and FAIL on another."""

from __future__ import annotations

from cloudposture_alibaba.adapter import AckScanner
from cloudposture_alibaba.guidance import GUIDANCE, NOT_APPLICABLE

from cloudposture.model import ClusterPosture, Status
from cloudposture.rules.catalog import ALL_RULES
from tests.providers.alibaba.fixtures import EXPECTED_FAILS
from tests.providers.alibaba.judge import fails, outcomes


def collect_all(scanner: AckScanner) -> dict[str, ClusterPosture]:
    (target,) = scanner.targets()
    return {ref.name: scanner.collect(ref) for ref in scanner.discover(target)}


def test_each_cluster_fails_exactly_the_rules_it_deserves(scanner: AckScanner) -> None:
    postures = collect_all(scanner)
    assert {name: fails(p) for name, p in postures.items()} == EXPECTED_FAILS
    assert all(not p.collection_errors for p in postures.values())


def test_every_rule_that_applies_to_ack_passes_somewhere_and_fails_somewhere(
    scanner: AckScanner,
) -> None:
    seen: dict[str, set[Status]] = {}
    for posture in collect_all(scanner).values():
        for rule, status in outcomes(posture).items():
            seen.setdefault(rule, set()).add(status)
    applicable = {r.meta.id for r in ALL_RULES} - set(NOT_APPLICABLE)
    missing = {r: sorted(seen[r]) for r in applicable if not {Status.PASS, Status.FAIL} <= seen[r]}
    assert missing == {}
    assert set(GUIDANCE) == applicable  # guidance for exactly the rules that apply


def test_dedicated_etcd_never_passes_on_the_providers_word(scanner: AckScanner) -> None:
    postures = collect_all(scanner)
    dedicated, managed = postures["ack-dedicated"], postures["ack-good"]
    assert outcomes(dedicated)["ETCD-001"] == Status.FAIL
    assert dedicated.etcd.provider_managed is False
    assert "cluster_type=Kubernetes" in dedicated.etcd.source_of("provider_managed")
    assert outcomes(managed)["ETCD-001"] == Status.PASS


def test_the_exposed_cluster_names_its_evidence(scanner: AckScanner) -> None:
    exposed = collect_all(scanner)["ack-exposed"]
    (pool,) = exposed.node_pools or []
    (identity,) = pool.identities or []
    assert identity.id == "acs:ram::5469257408566579:role/KubernetesWorkerRole-admin"
    assert identity.grants == ["system policy AdministratorAccess (every action on every resource)"]
    assert pool.metadata_detail == (
        "instance metadata not hardened (HttpTokens required): i-bad1: HttpTokens optional"
    )
    assert {r.describe() for r in pool.internet_ingress or []} == {
        "tcp/22 from 0.0.0.0/0 (sg-open sgr-tcp-22-22)",
        "tcp/10250 from 0.0.0.0/0 (sg-open sgr-tcp-10250-10250)",
        "tcp/8080 from 0.0.0.0/0 (sg-open sgr-tcp-8080-8080)",
        "tcp/30000-32767 from 0.0.0.0/0 (sg-open sgr-tcp-30000-32767)",
    }
    assert exposed.endpoint.authorized_cidrs == ["0.0.0.0/0"]
    assert "access control off" in exposed.endpoint.source_of("authorized_cidrs")
    assert exposed.version.detail is not None
    assert "1.26" in exposed.version.detail
