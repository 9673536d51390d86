"""The config file: the example is valid and complete; every mistake is one line with a line
number and a key path, and ``cloudposture`` exits 2 before anything is scanned."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from cloudposture.cli import main
from cloudposture.config import ConfigFileError, config_model, parse_config
from cloudposture.config.example import EXAMPLE
from cloudposture.config.units import scan_units

ENV = {"CLOUDPOSTURE_EXTERNAL_ID": "ext-1", "CLOUDPOSTURE_ORG_EXTERNAL_ID": "ext-2"}


@pytest.fixture(autouse=True)
def _sink_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """The example's sink names its token by variable; validating builds the sink as a run
    would, so the variable must be set (an unset one is a config error, tested below)."""
    monkeypatch.setenv("SPLUNK_HEC_TOKEN", "example-token")


GOOD = """\
targets:
  aws:
    - role_arn: arn:aws:iam::111111111111:role/audit
      regions: [eu-west-1]
suppressions:
  - rule: CP-002
    reason: accepted
    owner: me
    expires: 2030-01-31
"""


def _problems(text: str, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigFileError) as caught:
        parse_config(text, "cfg.yaml", env or {})
    return caught.value.problems


def test_example_is_valid_and_names_every_key() -> None:
    config = parse_config(EXAMPLE, "example.yaml", ENV)
    assert config.name == "production-estate"
    assert config.suppressions[0].match.tags == {"environment": "dev"}

    def keys(model: type[BaseModel]) -> set[str]:
        out = set(model.model_fields)
        for field in model.model_fields.values():
            for arg in [field.annotation, *typing.get_args(field.annotation)]:
                for inner in [arg, *typing.get_args(arg)]:
                    if isinstance(inner, type) and issubclass(inner, BaseModel):
                        out |= keys(inner)
        return out

    missing = sorted(k for k in keys(config_model()) if f"{k}:" not in EXAMPLE)
    assert missing == []


def test_example_expands_into_units_per_project_and_subscription() -> None:
    units = [  # the other installed providers' blocks are their own tests' business
        u
        for u in scan_units(parse_config(EXAMPLE, "example.yaml", ENV))
        if u.provider in ("aws", "azure", "gcp")
    ]
    assert [(u.provider, u.label) for u in units] == [
        ("aws", "payments-prod"),
        ("aws", "111111111111"),
        ("aws", "org"),
        # the entry's name labels each of its units (it was once ignored)
        ("azure", "corp/00000000-0000-0000-0000-000000000000"),
        ("azure", "corp/corp-landing-zones"),
        ("gcp", "platform/platform-prod"),
        ("gcp", "platform/platform-staging"),
        ("gcp", "platform/folders/123456789012"),
        ("gcp", "platform/organizations/987654321098"),
    ]
    org = units[2].settings
    assert org["organization_role"] == "cloudposture-audit"
    assert org["organization_external_id"] == "ext-2"
    assert org["organization_exclude"] == ("222222222222",)
    assert units[0].settings["region"] == ("eu-west-1",)
    assert units[1].settings["region"] == ("eu-west-1", "us-east-1")  # the top-level default
    assert units[5].regions == ("europe-west1",)
    assert units[3].settings["cloud"] == "AzurePublicCloud"


CORPUS = [
    pytest.param(
        "targets:\n  aws:\n    - role_arn: [unclosed\n",
        "cfg.yaml:4: invalid YAML: expected ',' or ']', but got '<stream end>'",
        id="bad-yaml",
    ),
    pytest.param(
        GOOD + "supressions: []\n",
        "cfg.yaml:10: supressions: unknown key (did you mean 'suppressions'? allowed: ",
        id="unknown-top-level-key",
    ),
    pytest.param(
        GOOD.replace("      regions:", "      regoins:"),
        "cfg.yaml:4: targets.aws[0].regoins: unknown key (did you mean 'regions'? allowed: ",
        id="unknown-nested-key",
    ),
    pytest.param(
        GOOD + "concurrency:\n  per_account: lots\n",
        "cfg.yaml:11: concurrency.per_account: Input should be a valid integer",
        id="wrong-type",
    ),
    pytest.param(
        GOOD + "sinks: ['not a url']\n",
        "cfg.yaml:10: sinks[0]: not a sink URL",
        id="bad-sink-url",
    ),
    pytest.param(
        GOOD + "sinks: ['splunk+https://hec.example.com?token=abc']\n",
        "cfg.yaml:10: sinks[0]: splunk+https sink URL has 'token=' in clear",
        id="secret-in-sink-url",
    ),
    pytest.param(
        GOOD + "store: mysql://db/x\n",
        "cfg.yaml:10: store: the store is a file path, sqlite:///PATH or postgresql://",
        id="bad-store-url",
    ),
    pytest.param(
        GOOD.replace("expires: 2030-01-31", "expires: 31/01/2030"),
        "cfg.yaml:9: suppressions[0].expires: Input should be a valid date",
        id="bad-date-format",
    ),
    pytest.param(
        GOOD.replace("    owner: me\n", ""),
        "cfg.yaml:6: suppressions[0].owner: required key is missing",
        id="missing-key",
    ),
    pytest.param(
        GOOD.replace("role/audit", "user/audit"),
        "cfg.yaml:3: targets.aws[0].role_arn: not an IAM role ARN",
        id="bad-role-arn",
    ),
    pytest.param(
        GOOD.replace("rule: CP-002", "rule: CP-02"),
        "cfg.yaml:6: suppressions[0].rule: unknown rule id 'CP-02' (did you mean CP-002?)",
        id="unknown-rule",
    ),
    pytest.param(
        GOOD + "fail_on: loud\n",
        "cfg.yaml:10: fail_on: Input should be 'info', 'low', 'medium', 'high', 'critical'",
        id="bad-fail-on",
    ),
    pytest.param(
        GOOD.replace("    owner: me\n", "    owner: me\n    owner: you\n"),
        "cfg.yaml:9: suppressions[0].owner: duplicate key",
        id="duplicate-key",
    ),
    pytest.param(
        "targets: {}\n",
        # every installed provider is named (alibaba, aws, ...): the list depends on them
        "cfg.yaml:1: targets: no targets: add at least one ",
        id="no-targets",
    ),
    pytest.param(
        GOOD + "store: postgresql://u@${DB_HOST}/x\n",
        "cfg.yaml:10: store: environment variable DB_HOST is not set",
        id="missing-env-var",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CORPUS)
def test_each_mistake_is_one_line_naming_file_line_and_key(text: str, expected: str) -> None:
    problems = _problems(text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems[0]
    assert "\n" not in problems[0]


def test_secrets_from_the_environment_are_never_echoed_in_errors() -> None:
    text = GOOD + "concurrency:\n  per_account: ${SECRET_NUMBER}\n"
    (problem,) = _problems(text, {"SECRET_NUMBER": "hunter2-is-not-an-int"})
    assert "hunter2" not in problem
    assert problem.startswith("cfg.yaml:11: concurrency.per_account:")


def test_several_mistakes_are_listed_in_file_order() -> None:
    text = GOOD.replace("expires: 2030-01-31", "expires: soon") + "fail_on: loud\n"
    problems = _problems(text)
    assert [p.split(":")[1] for p in problems] == ["9", "10"]


@pytest.mark.parametrize(("text", "expected"), [CORPUS[1], CORPUS[7]])
def test_cli_validate_and_run_exit_2_with_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text(str(text), encoding="utf-8")
    for argv in (["config", "validate", str(path)], ["run", "--config", str(path)]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1
        assert err[0].startswith(f"error: {tmp_path}/{expected}"), err


def test_cli_validate_ok_and_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "example"]) == 0
    assert capsys.readouterr().out == EXAMPLE
    path = tmp_path / "good.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["config", "validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == (
        f"{path}: ok (1 scan unit(s) over aws, 1 suppression(s), 0 sink(s))"
    )


def test_unreadable_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "validate", str(tmp_path / "absent.yaml")]) == 2
    assert capsys.readouterr().err.startswith(f"error: {tmp_path}/absent.yaml:0: cannot read")


@pytest.mark.parametrize(
    ("formats", "expected"),
    [
        ("[jsn]", "unknown format 'jsn'"),
        ("[json, asff]", "--format asff holds aws findings only, not gcp"),
    ],
)
def test_report_formats_are_checked_before_anything_is_scanned(formats: str, expected: str) -> None:
    from cloudposture.config import ConfigFileError

    text = f"targets:\n  gcp:\n    - projects: [p]\noutput:\n  formats: {formats}\n"
    with pytest.raises(
        ConfigFileError,
        match=re.escape("cfg.yaml:5: output.formats[") + ".*" + re.escape(expected),
    ):
        parse_config(text, "cfg.yaml", {})
