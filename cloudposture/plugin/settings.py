"""Building blocks for a provider's typed settings: its ``targets.<cloud>`` entry in the nightly
config and, derived from the same model, its ``scan <cloud>`` options.

A provider's target model subclasses :class:`TargetEntry`, so every cloud's entries are strict
the same way (a typo such as ``regoins:`` stops the run, it does not scan every region) and
the loader can map each error to FILE:LINE and suggest the key that was meant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin
from urllib.parse import urlsplit

import annotated_types
import click
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("not an http(s) URL")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]
NonEmpty = Annotated[str, Field(min_length=1)]


class TargetEntry(BaseModel):
    """One ``targets.<cloud>`` entry: frozen, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def drop_none(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Scan-unit settings without the keys the entry left unset (the plugin's defaults)."""
    return {k: v for k, v in settings.items() if v is not None}


def regions_or(regions: list[str] | None, default_regions: tuple[str, ...]) -> tuple[str, ...]:
    """An entry's own regions, else the config's top-level ``regions``."""
    return tuple(regions) if regions is not None else default_regions


def setting_strings(value: object) -> tuple[str, ...]:
    """A repeatable setting as distinct strings, in order: the CLI gives a tuple, a config entry a
    list, an environment variable one comma-separated string; blanks are dropped."""
    if value is None or value == "":
        return ()
    items: Iterable[object] = (
        value if isinstance(value, Iterable) and not isinstance(value, str) else [value]
    )
    out: list[str] = []
    for item in items:
        out.extend(p.strip() for p in str(item).split(",") if p.strip())
    return tuple(dict.fromkeys(out))


def unit_label(name: str | None, ident: str) -> str:
    """The label of one unit of a target entry: the entry's ``name`` (when given) qualifies
    every unit the entry yields, ``NAME/IDENT``, so a report names the entry the user wrote."""
    return f"{name}/{ident}" if name else ident


@dataclass(frozen=True)
class Cli:
    """How one settings field appears as a ``scan <cloud>`` option, in ``Annotated`` metadata.

    Only what cannot be read from the field itself: the flag when it is not the field's name
    (``regions`` is ``--region``), the help when the config key's description does not fit the
    option, the metavar, and a click type/default when the option speaks another vocabulary
    than the config key (Azure's ``--cloud AzurePublicCloud`` against ``cloud: public``).
    """

    flag: str | None = None
    help: str | None = None
    metavar: str | None = None
    type: click.ParamType[Any] | None = None
    default: Any = None
    show_default: bool = False


class ConfigOnly:
    """Marks a settings field the ``scan <cloud>`` command does not offer (``name:``...)."""


CONFIG_ONLY = ConfigOnly()


def _not_in_config(value: object) -> object:
    raise PydanticCustomError("extra_forbidden", "Extra inputs are not permitted")


T = TypeVar("T")
CliOnly = Annotated[T, BeforeValidator(_not_in_config)]
"""A setting only ``scan <cloud>`` offers (botocore's retry mode...): the settings model
declares it so the option is derived like any other, but a config entry that sets it is
refused exactly like an unknown key. The CLI never validates through the model, so the
validator only ever runs on config input."""


def _marker(field: FieldInfo, kind: type[Any]) -> Any:
    return next((m for m in field.metadata if isinstance(m, kind)), None)


def is_cli_only(field: FieldInfo) -> bool:
    """True for a field declared through :data:`CliOnly`."""
    return any(isinstance(m, BeforeValidator) and m.func is _not_in_config for m in field.metadata)


def _choices(annotation: Any) -> tuple[str, ...] | None:
    """The values of a ``Literal`` (optionally ``| None``), else None."""
    args = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) is Literal:
        return tuple(str(a) for a in get_args(annotation))
    if len(args) == 1 and get_origin(args[0]) is Literal:
        return tuple(str(a) for a in get_args(args[0]))
    return None


def _is_list(annotation: Any) -> bool:
    args = [a for a in get_args(annotation) if a is not type(None)]
    candidates = [annotation, *args]
    return any(get_origin(c) in (list, tuple) for c in candidates)


def _bound(field: FieldInfo, kind: type[Any], attr: str) -> Any:
    found = _marker(field, kind)
    return getattr(found, attr) if found is not None else None


def _click_type(field: FieldInfo) -> click.ParamType[Any] | None:
    """Choice for a Literal, IntRange for a bounded int, else None (a plain string)."""
    choices = _choices(field.annotation)
    if choices is not None:
        return click.Choice(choices)
    args = [a for a in get_args(field.annotation) if a is not type(None)]
    if field.annotation is int or args == [int]:
        low, high = _bound(field, annotated_types.Ge, "ge"), _bound(field, annotated_types.Le, "le")
        return click.IntRange(low, high) if low is not None or high is not None else click.INT
    return None


def cli_option(name: str, field: FieldInfo) -> click.Option | None:
    """The ``scan <cloud>`` option of one settings field; None for a config-only field."""
    if _marker(field, ConfigOnly) is not None:
        return None
    cli = _marker(field, Cli) or Cli()
    flag = cli.flag or "--" + name.replace("_", "-")
    help_text = cli.help or field.description
    if field.annotation is bool or get_args(field.annotation) == (bool, type(None)):
        return click.Option([flag], is_flag=True, default=False, help=help_text)
    return click.Option(
        [flag],
        multiple=_is_list(field.annotation),
        metavar=cli.metavar,
        type=cli.type or _click_type(field),
        default=cli.default,
        show_default=cli.show_default,
        help=help_text,
    )


def cli_options(model: type[BaseModel]) -> list[click.Option]:
    """Every ``scan <cloud>`` option a settings model declares, in field order."""
    options = (cli_option(name, field) for name, field in model.model_fields.items())
    return [option for option in options if option is not None]
