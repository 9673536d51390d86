"""One typed settings model per provider drives both ``scan <cloud>`` and ``targets.<cloud>``."""

from __future__ import annotations

from typing import Annotated, Literal

import click
import pytest
from pydantic import BaseModel, Field, ValidationError

from cloudposture.plugin import available_providers, load_provider
from cloudposture.plugin.settings import (
    CONFIG_ONLY,
    Cli,
    CliOnly,
    ConfigOnly,
    TargetEntry,
    cli_options,
    is_cli_only,
)


class Sample(TargetEntry):
    name: Annotated[str | None, CONFIG_ONLY] = None
    zones: Annotated[list[str], Cli(flag="--zone", metavar="ZONE")] = Field(
        default_factory=list, description="Zone to scan."
    )
    mode: Literal["fast", "slow"] | None = None
    verbose_api: bool = Field(default=False, description="Log every call.")
    attempts: CliOnly[int | None] = Field(default=None, ge=1, le=9)


def test_options_follow_the_fields() -> None:
    options = {o.name: o for o in cli_options(Sample)}
    assert list(options) == ["zone", "mode", "verbose_api", "attempts"]
    zone = options["zone"]
    assert zone.opts == ["--zone"]
    assert zone.multiple
    assert zone.metavar == "ZONE"
    assert zone.help == "Zone to scan."
    assert isinstance(options["mode"].type, click.Choice)
    assert list(options["mode"].type.choices) == ["fast", "slow"]
    assert options["verbose_api"].is_flag
    assert options["verbose_api"].opts == ["--verbose-api"]
    attempts = options["attempts"].type
    assert isinstance(attempts, click.IntRange)
    assert (attempts.min, attempts.max) == (1, 9)


def test_derived_options_parse_as_click_does() -> None:
    seen: dict[str, object] = {}
    command = click.Command("scan", params=cli_options(Sample), callback=seen.update)
    command.main(["--zone", "a", "--zone", "b", "--attempts", "3"], standalone_mode=False)
    assert seen == {"zone": ("a", "b"), "mode": None, "verbose_api": False, "attempts": 3}
    with pytest.raises(click.BadParameter):
        command.main(["--attempts", "10"], standalone_mode=False)


def test_cli_only_fields_are_refused_in_config_like_unknown_keys() -> None:
    assert [n for n, f in Sample.model_fields.items() if is_cli_only(f)] == ["attempts"]
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate({"attempts": 3})
    assert [(e["type"], e["loc"]) for e in caught.value.errors()] == [
        ("extra_forbidden", ("attempts",))
    ]


def _expected_flag(name: str, field: object) -> str:
    metadata = getattr(field, "metadata", [])
    cli = next((m for m in metadata if isinstance(m, Cli)), None)
    return (cli.flag if cli and cli.flag else None) or "--" + name.replace("_", "-")


@pytest.mark.parametrize("provider", available_providers())
def test_every_option_of_a_settings_model_provider_maps_to_a_field(provider: str) -> None:
    plugin = load_provider(provider)
    model: type[BaseModel] | None = plugin.settings_model
    if model is None:  # providers that still hand-write their options (override cli_options)
        assert plugin.cli_options() is not None
        return
    fields = {
        _expected_flag(name, field): (name, field)
        for name, field in model.model_fields.items()
        if not any(isinstance(m, ConfigOnly) for m in field.metadata)
    }
    options = [p for p in plugin.cli_options() if isinstance(p, click.Option)]
    assert options, f"{provider}: a settings model with no option"
    for option in options:
        assert option.opts[0] in fields, f"{provider}: {option.opts[0]} maps to no field"
        name, field = fields.pop(option.opts[0])
        is_list = "list[" in str(field.annotation)
        assert option.multiple == is_list, f"{provider}: {option.opts[0]} vs {name}"
    assert fields == {}, f"{provider}: fields with no option: {sorted(fields)}"
    for name in [n for n, f in model.model_fields.items() if is_cli_only(f)]:
        with pytest.raises(ValidationError):  # never a config key, whatever model reads it
            model.model_validate({name: None})
