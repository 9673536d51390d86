"""The nightly job's configuration file, as frozen pydantic models.

Why strict (``extra="forbid"`` everywhere): a typo such as ``supressions:`` must stop the run
before anything is scanned, not silently drop every suppression. Secrets never live here:
credentials come from the environment, profiles, or workload identity, and ``${VAR}``
references (expanded by the loader) keep sink tokens and database passwords out of the file.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model, model_validator

from cloudposture.model import Severity
from cloudposture.plugin.settings import NonEmpty

FailOn = Literal["info", "low", "medium", "high", "critical", "none"]

_STORE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg", "postgres")


def _sink_url(value: str) -> str:
    parts = urlsplit(value)
    if not re.fullmatch(r"[a-z][a-z0-9+.-]*", parts.scheme) or not (parts.netloc or parts.path):
        raise ValueError("not a sink URL (scheme://destination, the same form as --sink)")
    return value


def _store_url(value: str) -> str:
    if "://" not in value:
        return value  # a plain path: a SQLite file
    scheme = urlsplit(value).scheme
    if scheme not in _STORE_SCHEMES:
        raise ValueError(
            "the store is a file path, sqlite:///PATH or postgresql://USER@HOST/DB (got scheme "
            f"'{scheme or 'none'}')"
        )
    return value


SinkUrl = Annotated[str, AfterValidator(_sink_url)]
StoreUrl = Annotated[str, AfterValidator(_store_url)]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Targets(_Section):
    """``targets.<cloud>``: one list per installed provider, each entry typed by that
    provider's ``target_model``. The fields are added by :func:`config_model` from the
    installed plugins; the core names no cloud."""

    def entries(self) -> dict[str, list[BaseModel]]:
        """Provider name -> its validated entries (every installed provider, by name)."""
        return {name: list(getattr(self, name)) for name in type(self).model_fields}

    @model_validator(mode="after")
    def _not_empty(self) -> Targets:
        if not any(self.entries().values()):
            names = list(type(self).model_fields)
            choices = " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
            raise ValueError(f"no targets: add at least one {choices or 'provider'} entry")
        return self


class RuleSelection(_Section):
    only: list[NonEmpty] = Field(default_factory=list, description="run only these rule ids")
    skip: list[NonEmpty] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(
        default_factory=dict, description="rule id -> severity override"
    )
    broad_prefix: int = Field(default=24, ge=0, le=128, description="CP-003 prefix limit")


class SuppressionMatch(_Section):
    """Which findings a suppression covers; every given key must match (globs allowed)."""

    provider: str | None = Field(default=None, description="aws, gcp, azure, ...")
    account: str | None = Field(default=None, description="account / project / subscription")
    region: str | None = None
    cluster: str | None = Field(default=None, description="cluster name glob, e.g. dev-*")
    tags: dict[str, str] = Field(default_factory=dict, description="cluster tags (value globs)")


class SuppressionRule(_Section):
    rule: NonEmpty = Field(description="rule id, e.g. CP-002")
    match: SuppressionMatch = Field(default_factory=SuppressionMatch)
    reason: NonEmpty
    owner: NonEmpty
    expires: date = Field(description="YYYY-MM-DD; after it the suppression stops muting")


class Concurrency(_Section):
    """Bounds on API calls in flight; see docs/nightly/concurrency.md for why three."""

    max_workers: int = Field(default=16, ge=1, le=512, description="whole run")
    per_provider: int = Field(default=16, ge=1, le=512)
    per_account: int = Field(default=4, ge=1, le=64)


class Output(_Section):
    formats: list[NonEmpty] = Field(default_factory=list, description="e.g. json, ocsf, sarif")
    directory: str | None = Field(default=None, description="where the formats are written")
    ocsf_class: Literal["compliance", "detection"] = Field(
        default="compliance", description="OCSF class of the ocsf format (as --ocsf-class)"
    )


class NightlyConfig(_Section):
    """The whole file."""

    name: str | None = Field(
        default=None, description="identifies this config's history (default: file name)"
    )
    regions: list[NonEmpty] | None = Field(
        default=None, description="default regions for targets that give none"
    )
    targets: Targets
    rules: RuleSelection = Field(default_factory=RuleSelection)
    suppressions: list[SuppressionRule] = Field(default_factory=list)
    sinks: list[SinkUrl] = Field(default_factory=list)
    store: StoreUrl | None = Field(
        default=None, description="default: $CLOUDPOSTURE_STATE, else ~/.cloudposture/state.db"
    )
    fail_on: FailOn = "low"
    concurrency: Concurrency = Field(default_factory=Concurrency)
    output: Output = Field(default_factory=Output)

    @property
    def fail_on_severity(self) -> Severity | None:
        return None if self.fail_on == "none" else Severity(self.fail_on)


@cache
def config_model() -> type[NightlyConfig]:
    """:class:`NightlyConfig` whose ``targets`` has one typed list per installed provider.

    Built once from the plugins' ``target_model`` (their plugin modules are cheap: no SDK), so
    pydantic reports a bad entry at its real key path (``targets.<cloud>[0].<key>``) and the
    loader can name the line and the allowed keys, exactly as for the core's own sections.
    """
    from cloudposture.plugin import available_providers, load_provider

    fields: dict[str, Any] = {}
    for name in available_providers():
        model = load_provider(name).target_model
        if model is not None:
            fields[name] = (list[model], Field(default_factory=list))  # type: ignore[valid-type]
    targets = create_model("Targets", __base__=Targets, **fields)
    return create_model("NightlyConfig", __base__=NightlyConfig, targets=(targets, ...))
