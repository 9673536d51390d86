"""Load the nightly config: YAML -> dict (remembering each key's line) -> NightlyConfig.

Why not ``yaml.safe_load`` then pydantic: a pydantic error says ``targets.aws.0.role_arn``,
and a user with a 300-line file wants the line. The loader walks the composed YAML node tree
once, recording the line of every key path, and maps each validation error's location back
to the nearest recorded path. Every problem becomes ``FILE:LINE: key.path: message``.
"""

from __future__ import annotations

import difflib
import os
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from cloudposture.config.models import NightlyConfig, config_model
from cloudposture.model import ConfigurationError

KeyPath = tuple[str | int, ...]
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
MAX_VALUES = 100_000
"""How many values (counting every alias expansion) a config may hold. A real config has a
few hundred; a "billion laughs" file of nested aliases has billions and would exhaust memory
long before validation, so it is refused while the node tree is still cheap (shared nodes)."""


class ConfigFileError(ConfigurationError):
    """One or more problems in a config file, each already formatted as FILE:LINE: ..."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__(problems[0] if len(problems) == 1 else "; ".join(problems))
        self.problems = list(problems)


class _Problems:
    def __init__(self, file: str, lines: Mapping[KeyPath, int]) -> None:
        self.file = file
        self.lines = lines
        self.items: list[tuple[int, str]] = []

    def add(self, path: KeyPath, message: str) -> None:
        line = _nearest_line(self.lines, path)
        where = format_path(path) or "(top level)"
        self.items.append((line, f"{self.file}:{line}: {where}: {message}"))

    def raise_if_any(self) -> None:
        if self.items:
            raise ConfigFileError([text for _, text in sorted(self.items)])


def format_path(path: KeyPath) -> str:
    """``("suppressions", 0, "match", "cluster")`` -> ``suppressions[0].match.cluster``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def load_config(path: Path, environ: Mapping[str, str] | None = None) -> NightlyConfig:
    """Parse and validate ``path``; raises ConfigFileError naming file, line and key."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigFileError([f"{file}:0: cannot read: {exc.strerror or exc}"]) from None
    return parse_config(decode_text(raw, file), file, os.environ if environ is None else environ)


def decode_text(raw: bytes, file: str) -> str:
    """The file as UTF-8 text; a Latin-1 or binary file is a config error at its line."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start]
        raise ConfigFileError(
            [f"{file}:{line}: the file is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8"]
        ) from None


def parse_config(text: str, file: str, environ: Mapping[str, str]) -> NightlyConfig:
    data, lines = _read_yaml(text, file)
    problems = _Problems(file, lines)
    data = _expand_env(data, (), environ, problems)
    problems.raise_if_any()
    if not isinstance(data, dict):
        problems.add((), "the file must be a mapping (targets:, rules:, ...)")
        problems.raise_if_any()
    try:
        config = config_model().model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False, include_input=False):
            loc = tuple(error["loc"])
            problems.add(loc, _message(error, loc))
        problems.raise_if_any()
        raise  # unreachable: a ValidationError always has errors
    for loc, message in semantic_problems(config):
        problems.add(loc, message)
    problems.raise_if_any()
    return config


def semantic_problems(config: NightlyConfig) -> list[tuple[KeyPath, str]]:
    """Checks that need the rule catalogue: unknown rule ids are config errors, not surprises."""
    from cloudposture.rules.catalog import RULES_BY_ID

    out: list[tuple[KeyPath, str]] = []

    def check(path: KeyPath, rule_id: str) -> None:
        if rule_id.upper() not in RULES_BY_ID:
            close = difflib.get_close_matches(rule_id.upper(), list(RULES_BY_ID), n=1)
            hint = f" (did you mean {close[0]}?)" if close else " (see 'cloudposture rules list')"
            out.append((path, f"unknown rule id '{rule_id}'{hint}"))

    for i, rule_id in enumerate(config.rules.only):
        check(("rules", "only", i), rule_id)
    for i, rule_id in enumerate(config.rules.skip):
        check(("rules", "skip", i), rule_id)
    for rule_id in config.rules.severity:
        check(("rules", "severity", rule_id), rule_id)
    for i, suppression in enumerate(config.suppressions):
        check(("suppressions", i, "rule"), suppression.rule)
    out += _run_problems(config)
    return out


def _run_problems(config: NightlyConfig) -> list[tuple[KeyPath, str]]:
    """Every check ``run`` makes before scanning, so ``config validate`` says ok only when the
    run will start: each sink is built as the run builds it (scheme, options, secrets set,
    TLS files, plain text only to loopback), the formats and output directory are usable,
    the store URL is one the store opens."""
    # each check imports what it needs only when there is something to check (start-up cost)
    providers = [name for name, entries in config.targets.entries().items() if entries]
    output = config.output
    checks: list[tuple[KeyPath, Callable[[], object]]] = []
    if config.sinks:
        from cloudposture.sinks.registry import sink_from_url

        for i, url in enumerate(config.sinks):
            checks.append((("sinks", i), partial(sink_from_url, url)))
    if output.formats:
        from cloudposture.reporters.output import check_formats

        for i, name in enumerate(output.formats):
            one = partial(check_formats, [name], providers, output.ocsf_class)
            checks.append((("output", "formats", i), one))
    if output.directory is not None:
        from cloudposture.atomic_files import check_output_dir

        directory = Path(output.directory)
        checks.append(
            (("output", "directory"), partial(check_output_dir, directory, "", create=False))
        )
    if config.store is not None:
        from cloudposture.store import parse_state_url

        checks.append((("store",), partial(parse_state_url, config.store)))
    out: list[tuple[KeyPath, str]] = []
    for where, check in checks:
        try:
            check()
        except ConfigurationError as exc:
            out.append((where, str(exc).strip()))
    return out


def check_config(config: NightlyConfig) -> None:
    """The checks of :func:`semantic_problems` for a config built in code (``run`` calls it
    too): the first problem as a ConfigurationError."""
    for path, message in semantic_problems(config):
        raise ConfigurationError(f"{format_path(path)}: {message}")


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader whose value errors (``expires: 2024-02-30``) carry the value's line."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"invalid date '{node.value}': {exc}", node.start_mark
            ) from None


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)


def _read_yaml(text: str, file: str) -> tuple[Any, dict[KeyPath, int]]:
    try:
        node = yaml.compose(text, Loader=_StrictLoader)
    except RecursionError:
        raise ConfigFileError([f"{file}:0: invalid YAML: nested too deeply"]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        what = exc.problem or exc.context or "invalid YAML"
        raise ConfigFileError([f"{file}:{line}: invalid YAML: {what}"]) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        what = f"character #x{exc.character:04x} is not allowed (a binary file?)"
        raise ConfigFileError([f"{file}:{line}: invalid YAML: {what}"]) from None
    except yaml.YAMLError as exc:
        raise ConfigFileError([f"{file}:0: invalid YAML: {' '.join(str(exc).split())}"]) from None
    if node is None:
        raise ConfigFileError([f"{file}:1: (top level): the file is empty"])
    lines: dict[KeyPath, int] = {}
    try:
        duplicate = _record_lines(node, (), lines, _Budget(MAX_VALUES))
    except _TooLarge as exc:
        raise ConfigFileError(
            [
                f"{file}:{exc.line}: invalid YAML: aliases expand to more than {MAX_VALUES} "
                "values (nested anchors/aliases are refused beyond that)"
            ]
        ) from None
    except RecursionError:
        raise ConfigFileError([f"{file}:0: invalid YAML: nested too deeply"]) from None
    if duplicate is not None:
        path, line = duplicate
        raise ConfigFileError([f"{file}:{line}: {format_path(path)}: duplicate key"])
    loader = _StrictLoader("")
    try:
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise ConfigFileError([f"{file}:{line}: invalid YAML: {exc.problem}"]) from None
    except RecursionError:
        raise ConfigFileError([f"{file}:0: invalid YAML: nested too deeply"]) from None
    finally:
        loader.dispose()
    return data, lines


class _TooLarge(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


@dataclass
class _Budget:
    """Values left to visit: an alias is visited once per use, as every later step would."""

    left: int

    def spend(self, node: yaml.Node) -> None:
        self.left -= 1
        if self.left < 0:
            raise _TooLarge(node.start_mark.line + 1)


def _record_lines(
    node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], budget: _Budget
) -> tuple[KeyPath, int] | None:
    """Fill ``lines`` with key path -> 1-based line; return the first duplicate key, if any."""
    budget.spend(node)
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            if key in seen:
                return child, key_node.start_mark.line + 1
            seen.add(key)
            lines[child] = key_node.start_mark.line + 1
            found = _record_lines(value_node, child, lines, budget)
            if found is not None:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found = _record_lines(item, (*path, index), lines, budget)
            if found is not None:
                return found
    return None


def _expand_env(value: Any, path: KeyPath, environ: Mapping[str, str], problems: _Problems) -> Any:
    """Replace ``${NAME}`` in string values; a missing variable is a config error."""
    if isinstance(value, dict):
        return {k: _expand_env(v, (*path, str(k)), environ, problems) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_env(v, (*path, i), environ, problems) for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in environ:
            problems.add(path, f"environment variable {name} is not set")
            return ""
        return environ[name]

    return _ENV_REF.sub(substitute, value)


def _nearest_line(lines: Mapping[KeyPath, int], path: KeyPath) -> int:
    for end in range(len(path), -1, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return 1


def _message(error: Mapping[str, Any], loc: KeyPath) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return f"unknown key ({hint}allowed: {', '.join(allowed)})"
    if kind == "missing":
        return "required key is missing"
    message = str(error["msg"])
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def _allowed_keys(loc: KeyPath) -> list[str]:
    """The field names of the model at ``loc`` (walking lists, dicts and optionals)."""
    current: Any = config_model()
    for part in loc:
        if isinstance(part, int):
            continue  # a list index: the container was unwrapped with its field
        model = _model_in(current)
        if model is None:
            return []
        if part in model.model_fields:
            current = model.model_fields[part].annotation
        else:
            return []
        current = _unwrap_container(current)
    model = _model_in(current)
    return sorted(model.model_fields) if model is not None else []


def _unwrap_container(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (list, dict):
        return typing.get_args(annotation)[-1]
    return annotation


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        for arg in typing.get_args(annotation):
            found = _model_in(_unwrap_container(arg))
            if found is not None:
                return found
    return None
