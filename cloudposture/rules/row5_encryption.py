"""Row 5: etcd encryption. Secrets are envelope-encrypted with a key the customer controls.

Provider-default encryption protects disks, not a stolen etcd backup or snapshot read through
the provider; a customer-managed key adds a control the customer can audit, rotate and revoke.
"""

from __future__ import annotations

from cloudposture.model import ClusterPosture, Severity, Status
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

KEY_FACTS = (
    "customer_key_enabled",
    "key_id",
    "key_state",
    "key_usable",
    "rotation_enabled",
    "rotation_period_days",
)


def check_customer_key(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """PASS when secrets are envelope-encrypted with a customer-managed KMS key. FAIL
    otherwise, saying whether the provider's own key still envelope-encrypts them or nothing
    beyond storage encryption does."""
    enc = posture.secrets_encryption
    if enc.provider_default_encryption is True:
        why = "secrets are encrypted with a provider-owned key, not a customer-managed one"
    elif enc.provider_default_encryption is False:
        why = "secrets are not envelope-encrypted at all, only by the storage layer"
    else:
        why = (
            "secrets are not envelope-encrypted with a customer-managed key (whether the "
            "provider's default envelope encryption applies was not collected)"
        )
    return judge_flag(
        posture,
        fact(enc, "secrets_encryption", "customer_key_enabled"),
        bad=False,
        fail=why,
        ok=f"secrets are envelope-encrypted with the customer-managed key {enc.key_id}",
        extra=(
            fact(enc, "secrets_encryption", "key_id"),
            fact(enc, "secrets_encryption", "provider_default_encryption"),
        ),
    )


def check_key_health(posture: ClusterPosture, settings: RuleSettings) -> Outcome:
    """NOT_APPLICABLE without a customer-managed key (ENC-001 reports that). FAIL when the key
    is unusable (disabled, pending deletion, destroyed) or never rotates automatically; ERROR
    when the key could not be read."""
    enc = posture.secrets_encryption
    path = "secrets_encryption"
    evidence = tuple(fact(enc, path, f) for f in KEY_FACTS)
    if enc.customer_key_enabled is None:
        return with_evidence(unknown(posture, f"{path}.customer_key_enabled"), *evidence)
    if not enc.customer_key_enabled:
        return Outcome(Status.NOT_APPLICABLE, "no customer-managed key; see ENC-001", evidence)
    if enc.key_error:
        base = unknown(posture, f"{path}.key_usable", f"{path}.rotation_enabled")
        note = f"; the key {enc.key_id} could not be read: {enc.key_error}"
        return with_evidence(
            base,
            *evidence,
            fact(enc, path, "key_error"),
            note="" if enc.key_error in base.message else note,
        )
    problems = []
    if enc.key_usable is False:
        problems.append(f"the key {enc.key_id} is not usable (state: {enc.key_state or '?'})")
    if enc.rotation_enabled is False:
        problems.append(f"automatic rotation of {enc.key_id} is off")
    if problems:
        return failed("; ".join(problems), *evidence)
    missing = [f"{path}.{f}" for f in ("key_usable", "rotation_enabled") if getattr(enc, f) is None]
    if missing:
        return with_evidence(unknown(posture, *missing), *evidence)
    period = f" every {enc.rotation_period_days} days" if enc.rotation_period_days else ""
    return passed(f"the key {enc.key_id} is usable and rotates automatically{period}", *evidence)


ENC_001 = Rule(
    meta=RuleMeta(
        id="ENC-001",
        title="Secrets not envelope-encrypted with a customer-managed key",
        row="5",
        severity=Severity.MEDIUM,
        rationale=(
            "etcd holds every Secret of the cluster. Envelope encryption with a customer-"
            "managed KMS key means a copy of etcd (backup, snapshot, provider-side access) "
            "is useless without a key whose use the customer audits and can revoke. Provider-"
            "owned keys protect the disks but give the customer no such control."
        ),
    ),
    check=check_customer_key,
)

ENC_002 = Rule(
    meta=RuleMeta(
        id="ENC-002",
        title="Secrets key unusable or never rotated",
        row="5",
        severity=Severity.MEDIUM,
        rationale=(
            "A disabled or deleted key makes every Secret unreadable: the API server can no "
            "longer start pods that use them, and a key pending deletion is an outage on a "
            "timer. A key that never rotates keeps one key version protecting years of "
            "Secrets, so a leak of it exposes all of them."
        ),
    ),
    check=check_key_health,
)

RULES = (ENC_001, ENC_002)
