"""The ``None`` accounting every adapter is held to (cloudposture.model.completeness)."""

from __future__ import annotations

from cloudposture.model import (
    Authentication,
    ClusterPosture,
    ClusterRef,
    CollectionError,
    EndpointAccess,
    EtcdAccess,
    Identity,
    Logging,
    NetworkPolicySupport,
    NodePool,
    SecretsEncryption,
    VersionSupport,
    WorkloadIdentity,
)
from cloudposture.model.completeness import unexplained_fields

REF = ClusterRef(provider="acme", account="1", region="r1", name="c1", native_id="acme:c1")
NODE = Identity(
    id="node-role", role="node", is_default=False, admin_equivalent=False, wildcard_grants=False
)


def complete(**update: object) -> ClusterPosture:
    """A posture with every fact read: the baseline each test breaks one way."""
    posture = ClusterPosture(
        ref=REF,
        endpoint=EndpointAccess(
            public_enabled=True,
            private_enabled=True,
            authorized_cidrs=["10.0.0.0/8"],
            provider_ranges_allowed=False,
        ),
        authentication=Authentication(idp_enabled=True, local_credentials_enabled=False),
        node_pools=[
            NodePool(
                name="pool-a",
                public_ip=False,
                internet_ingress=[],
                ssh_access=True,
                ssh_source_restricted=True,
                identities=[NODE],
                metadata_credentials_exposed=False,
                full_cloud_api_scope=False,
            )
        ],
        control_plane_identity=Identity(
            id="cp-role",
            role="control-plane",
            is_default=False,
            admin_equivalent=False,
            wildcard_grants=False,
            exceeds_minimum=False,
        ),
        workload_identity=WorkloadIdentity(enabled=True),
        secrets_encryption=SecretsEncryption(
            customer_key_enabled=True,
            key_id="key-1",
            provider_default_encryption=True,
            key_state="Enabled",
            key_usable=True,
            rotation_enabled=True,
            rotation_period_days=365,
        ),
        logging=Logging(audit_enabled=True, components=["audit"], destination="logs"),
        version=VersionSupport(version="1.31", standard_support=True),
        network_policy=NetworkPolicySupport(enforced=True, engine="calico"),
        etcd=EtcdAccess(provider_managed=True),
    )
    return posture.model_copy(update=update)


def test_a_fully_read_posture_is_sound() -> None:
    assert unexplained_fields(complete()) == []


def test_a_bare_posture_names_every_unexplained_fact() -> None:
    lines = unexplained_fields(ClusterPosture(ref=REF))
    named = {line.partition(":")[0] for line in lines}
    assert {"node_pools", "control_plane_identity", "endpoint.public_enabled"} <= named
    assert "secrets_encryption.customer_key_enabled" in named
    # documented meanings of None are not gaps
    assert "secrets_encryption.key_error" not in named
    assert "version.detail" not in named


def test_a_collection_error_explains_what_it_affects_and_nothing_else() -> None:
    error = CollectionError(call="kms:DescribeKey", affects=["secrets_encryption.key_state"])
    posture = complete(
        secrets_encryption=SecretsEncryption(
            customer_key_enabled=True,
            key_id="key-1",
            provider_default_encryption=True,
            key_usable=True,
            rotation_enabled=True,
            rotation_period_days=90,
        ),
        collection_errors=[error],
    )
    assert unexplained_fields(posture) == []
    error = CollectionError(call="kms:DescribeKey", affects=["secrets_encryption.key_usable"])
    assert unexplained_fields(posture.model_copy(update={"collection_errors": [error]})) == [
        "secrets_encryption.key_state: None with no collection error, unknown reason, "
        "not-applicable reason or implied reason"
    ]


def test_an_error_on_a_whole_section_covers_its_nested_facts() -> None:
    error = CollectionError(call="eks:ListNodegroups", affects=["node_pools"])
    pool = NodePool(name="p", public_ip=False)
    posture = complete(node_pools=[pool], collection_errors=[error])
    assert unexplained_fields(posture) == []


def test_an_error_on_a_nested_fact_does_not_explain_a_missing_parent() -> None:
    error = CollectionError(call="iam:GetRole", affects=["node_pools.identities"])
    posture = complete(node_pools=None, collection_errors=[error])
    assert [line.partition(":")[0] for line in unexplained_fields(posture)] == ["node_pools"]


def test_unknown_and_not_applicable_reasons_explain_a_none() -> None:
    endpoint = EndpointAccess(
        public_enabled=True,
        private_enabled=True,
        authorized_cidrs=["0.0.0.0/0"],
        not_applicable={"provider_ranges_allowed": "this cloud has no such switch"},
    )
    policy = NetworkPolicySupport(
        unknown_reasons={"enforced": "self-managed CNI", "engine": "self-managed CNI"}
    )
    posture = complete(
        endpoint=endpoint,
        network_policy=policy,
        control_plane_identity=None,
        not_applicable={"control_plane_identity": "the provider's own identity"},
    )
    assert unexplained_fields(posture) == []
    assert posture.reason_unknown("endpoint.provider_ranges_allowed") == (
        "this cloud has no such switch"
    )
    assert posture.reason_unknown("control_plane_identity") == "the provider's own identity"


def test_a_reason_beside_a_value_is_stale() -> None:
    endpoint = EndpointAccess(
        public_enabled=True,
        private_enabled=True,
        authorized_cidrs=["10.0.0.0/8"],
        provider_ranges_allowed=False,
        unknown_reasons={"public_enabled": "could not tell"},
    )
    lines = unexplained_fields(complete(endpoint=endpoint))
    assert lines == [
        "endpoint.public_enabled: has a value (True) but also a reason for having none"
    ]
    assert unexplained_fields(complete(not_applicable={"node_pools": "none here"})) == [
        "node_pools: has a value but also a reason for having none"
    ]


def test_a_reason_for_a_field_that_does_not_exist_is_a_typo() -> None:
    pool = NodePool(
        name="p",
        public_ip=False,
        internet_ingress=[],
        ssh_access=False,
        identities=[NODE],
        metadata_credentials_exposed=False,
        full_cloud_api_scope=False,
        not_applicable={"ssh_acess": "no SSH toggle"},
    )
    lines = unexplained_fields(complete(node_pools=[pool]))
    assert lines == ["node_pools[p]: a reason is given for 'ssh_acess', which is not a field there"]


def test_an_empty_reason_explains_nothing() -> None:
    policy = NetworkPolicySupport(unknown_reasons={"enforced": "  ", "engine": "unknown CNI"})
    lines = unexplained_fields(complete(network_policy=policy))
    assert lines == ["network_policy.enforced: the reason given is empty"]


def test_facts_a_section_implies_are_not_gaps() -> None:
    posture = complete(
        endpoint=EndpointAccess(public_enabled=False, private_enabled=True),
        secrets_encryption=SecretsEncryption(
            customer_key_enabled=False, provider_default_encryption=True
        ),
        logging=Logging(audit_enabled=False, components=[]),
        network_policy=NetworkPolicySupport(enforced=False),
    )
    assert unexplained_fields(posture) == []
    # the same Nones with the facts that imply them reversed are gaps again
    reversed_facts = complete(
        endpoint=EndpointAccess(public_enabled=True, private_enabled=True),
        secrets_encryption=SecretsEncryption(
            customer_key_enabled=True, provider_default_encryption=True
        ),
        logging=Logging(audit_enabled=True, components=["audit"]),
        network_policy=NetworkPolicySupport(enforced=True),
    )
    named = {line.partition(":")[0] for line in unexplained_fields(reversed_facts)}
    assert named == {
        "endpoint.authorized_cidrs",
        "endpoint.provider_ranges_allowed",
        "secrets_encryption.key_id",
        "secrets_encryption.key_state",
        "secrets_encryption.key_usable",
        "secrets_encryption.rotation_enabled",
        "secrets_encryption.rotation_period_days",
        "logging.destination",
        "network_policy.engine",
    }


def test_a_key_error_explains_the_key_state_it_could_not_read() -> None:
    encryption = SecretsEncryption(
        customer_key_enabled=True,
        key_id="key-1",
        provider_default_encryption=True,
        key_error="AccessDenied on kms:DescribeKey",
    )
    assert unexplained_fields(complete(secrets_encryption=encryption)) == []


def test_node_identities_have_no_documented_minimum_but_the_control_plane_does() -> None:
    cp = Identity(
        id="cp",
        role="control-plane",
        is_default=False,
        admin_equivalent=False,
        wildcard_grants=False,
    )
    lines = unexplained_fields(complete(control_plane_identity=cp))
    assert [line.partition(":")[0] for line in lines] == ["control_plane_identity.exceeds_minimum"]
    assert unexplained_fields(complete()) == []  # NODE has exceeds_minimum None too


def test_ssh_source_matters_only_while_ssh_is_on() -> None:
    def pool(ssh: bool) -> NodePool:
        return NodePool(
            name="p",
            public_ip=False,
            internet_ingress=[],
            ssh_access=ssh,
            identities=[NODE],
            metadata_credentials_exposed=False,
            full_cloud_api_scope=False,
        )

    assert unexplained_fields(complete(node_pools=[pool(False)])) == []
    assert [
        line.partition(":")[0] for line in unexplained_fields(complete(node_pools=[pool(True)]))
    ] == ["node_pools[p].ssh_source_restricted"]


def test_pool_and_identity_reasons_reach_a_finding_once_with_their_pools() -> None:
    no_ssh = "this cloud's pools have no SSH setting"

    def pool(name: str) -> NodePool:
        return NodePool(
            name=name,
            public_ip=False,
            internet_ingress=[],
            identities=[
                NODE.model_copy(
                    update={
                        "admin_equivalent": None,
                        "unknown_reasons": {"admin_equivalent": "policy language not parsed"},
                    }
                )
            ]
            if name == "b"
            else [NODE],
            metadata_credentials_exposed=False,
            full_cloud_api_scope=False,
            not_applicable={"ssh_access": no_ssh, "ssh_source_restricted": no_ssh},
        )

    posture = complete(node_pools=[pool("a"), pool("b")])
    assert unexplained_fields(posture) == []
    assert posture.reason_unknown("node_pools.ssh_access") == f"{no_ssh} (pools a, b)"
    assert posture.reason_unknown("node_pools.identities.admin_equivalent") == (
        "policy language not parsed (pool b)"
    )
    assert posture.reason_unknown("logging.audit_enabled") == "logging.audit_enabled not collected"
