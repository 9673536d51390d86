"""The ``cloudposture`` command line.

Everything is imported lazily: ``cloudposture --help`` imports click and the command
definitions only (no pydantic, rich, SQLAlchemy or SDK; a test keeps it so), and ``scan <cloud>``
imports that cloud's plugin alone. Every error reaches the user as one
line with a documented exit code; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cloudposture.cli.nightly_cli import COMMANDS as NIGHTLY_COMMANDS
from cloudposture.cli.outbox_cli import outbox
from cloudposture.cli.report_command import report
from cloudposture.exit_codes import ExitCode

if TYPE_CHECKING:
    from rich.console import Console

    from cloudposture.plugin import ProviderPlugin


class OutputPath(click.Path):
    """click.Path that refuses an empty value: ``-o ''`` is a mistake, not the current
    directory (pathlib reads ``''`` as ``.``)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("is empty: give a path", param, ctx)
        return super().convert(value, param, ctx)


def _common_scan_options() -> list[click.Parameter]:
    """Options every ``scan <provider>`` command shares."""
    from cloudposture.model import Severity

    severity_choices = [s.value for s in Severity] + ["none"]
    return [
        click.Option(
            ["--format", "formats"],
            multiple=True,
            metavar="FORMAT",
            help="Output format, repeatable (table, json, ...). Default: table on a "
            "terminal, json otherwise.",
        ),
        click.Option(
            ["--output", "-o"],
            type=OutputPath(dir_okay=False, writable=True, path_type=Path),
            help="Write the (single) format to this file instead of stdout.",
        ),
        click.Option(
            ["--output-dir"],
            type=OutputPath(file_okay=False, path_type=Path),
            help="Write every --format to DIR/cloudposture-<scan id>.<ext>.",
        ),
        click.Option(
            ["--fail-on"],
            type=click.Choice(severity_choices, case_sensitive=False),
            default="low",
            show_default=True,
            help="Exit 1 when a FAIL at or above this severity is found ('none': never).",
        ),
        click.Option(
            ["--rule", "rules"], multiple=True, metavar="ID", help="Run only these rules."
        ),
        click.Option(
            ["--skip-rule", "skip_rules"], multiple=True, metavar="ID", help="Skip these rules."
        ),
        click.Option(
            ["--broad-prefix"],
            type=click.IntRange(0, 128),
            default=24,
            show_default=True,
            help="CP-003: a public authorized CIDR shorter than this prefix is too broad.",
        ),
        click.Option(
            ["--max-workers"],
            type=click.IntRange(1, 256),
            default=16,
            show_default=True,
            help="Concurrent API calls across regions and clusters.",
        ),
        click.Option(["--quiet", "-q"], is_flag=True, help="No progress display or summary."),
        click.Option(
            ["--ocsf-class"],
            type=click.Choice(["compliance", "detection"]),
            default="compliance",
            show_default=True,
            help="OCSF class for --format ocsf: Compliance Finding (2003) or Detection "
            "Finding (2004, as Prowler emits).",
        ),
        click.Option(
            ["--sink", "sinks"],
            multiple=True,
            metavar="URL",
            help="Send findings to a SIEM through the durable outbox, repeatable: "
            "splunk+https://, syslog+tls://, webhook+https://, securityhub://, sentinel://, "
            "s3:// (see docs/sinks/). Secrets come from token_env=/token_file=.",
        ),
        click.Option(
            ["--state"],
            metavar="URL|PATH",
            help="State store for scans and the outbox: a SQLite path, sqlite:///RELATIVE or "
            "sqlite:////ABSOLUTE, or a postgresql:// URL (default $CLOUDPOSTURE_STATE or "
            "~/.cloudposture/state.db, used when --sink is given). Checked before the scan.",
        ),
    ]


_COMMON_NAMES = {
    "formats",
    "output",
    "output_dir",
    "fail_on",
    "rules",
    "skip_rules",
    "broad_prefix",
    "max_workers",
    "quiet",
    "ocsf_class",
    "sinks",
    "state",
}


def _provider_command(plugin: ProviderPlugin) -> click.Command:
    def callback(**kwargs: Any) -> None:
        from cloudposture.cli.scan_command import CommonOptions, execute_scan

        common = CommonOptions.from_kwargs({k: kwargs.pop(k) for k in list(_COMMON_NAMES)})
        raise SystemExit(execute_scan(plugin, kwargs, common, _stderr()))

    return click.Command(
        name=plugin.name,
        callback=callback,
        params=[*plugin.cli_options(), *_common_scan_options()],
        help=f"{plugin.summary}\n\nExit codes: 0 ok, 1 findings at or above --fail-on, "
        "2 usage/configuration error, 3 scan incomplete.",
        short_help=plugin.summary,
    )


class _ProviderGroup(click.Group):
    """``scan <provider>``: one subcommand per installed plugin, imported on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from cloudposture.plugin.registry import available_providers

        return available_providers()

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from cloudposture.plugin.registry import available_providers, load_provider

        if cmd_name not in available_providers():
            return None
        return _provider_command(load_provider(cmd_name))


def _stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def _stderr() -> Console:
    """stderr, one message per line: never wrapped at the terminal width (logs and CI keep
    each error whole)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``, reading the installed metadata only when asked."""
    if not value or ctx.resilient_parsing:
        return
    from cloudposture import __version__

    click.echo(f"cloudposture, version {__version__}")
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors (never shows secrets).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Check the cloud layer of EKS, GKE and AKS clusters against the Kubernetes
    infrastructure table (API server access, node access, cloud API access, etcd,
    encryption, logging)."""
    ctx.obj = {"debug": debug}


@cli.group(cls=_ProviderGroup)
def scan() -> None:
    """Scan one provider's clusters (one subcommand per installed provider)."""


@cli.command()
@click.option("--format", "formats", multiple=True, metavar="FORMAT", help="Output format.")
@click.option(
    "--output-dir",
    type=OutputPath(file_okay=False, path_type=Path),
    help="Write every --format to DIR/cloudposture-<scan id>.<ext> (needed for several).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
def demo(formats: Sequence[str], output_dir: Path | None, quiet: bool) -> None:
    """Scan demo EKS clusters on a local moto server (no cloud account needed)."""
    from cloudposture.cli.demo import run_demo

    raise SystemExit(run_demo(formats, quiet, _stderr(), output_dir))


@cli.group()
def rules() -> None:
    """The rule catalogue."""


@rules.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def rules_list(fmt: str) -> None:
    """List every rule with its table row, severity and providers."""
    from cloudposture.cli.rules_cli import print_rule_list

    print_rule_list(fmt, _stdout())


@rules.command("show")
@click.argument("rule_id")
def rules_show(rule_id: str) -> None:
    """Show a rule: rationale, per-provider evidence, remediation and CIS references."""
    from cloudposture.cli.rules_cli import print_rule

    print_rule(rule_id, _stdout())


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the --format json output."""
    import json

    from cloudposture.reporters.json_report import scan_result_schema

    click.echo(json.dumps(scan_result_schema(), indent=2))


# Each provider names its SDKs' loggers (ProviderPlugin.sdk_loggers); load_provider keeps
# them at ERROR even with --debug: their DEBUG output carries request and response bodies
# (credentials), and their WARNINGs repeat as multi-line text what cloudposture already
# reports as one line.


def _configure_logging() -> None:
    """cloudposture's own warnings (e.g. a skipped disabled subscription) as one line each."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(handler)
    root.setLevel(logging.WARNING)


for _command in (*NIGHTLY_COMMANDS, outbox, report):  # run, config, history, diff; outbox
    cli.add_command(_command)


def _end_now(code: int) -> None:
    """End the process without waiting for worker threads still blocked in a cloud or SIEM
    call: after Ctrl-C nothing they return is used, and the interpreter's exit would join
    them. Only the real entry point (no ``argv``) does this; an embedding caller gets 130."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: maps every failure to one line and an exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    _configure_logging()
    try:
        cli.main(args=args, prog_name="cloudposture", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else ExitCode.OK
    except (click.exceptions.Abort, KeyboardInterrupt):
        # click turns Ctrl-C into Abort; either way it is an interrupt (130), not a usage error
        click.echo("error: interrupted", err=True)
        if argv is None:
            _end_now(ExitCode.INTERRUPTED)
        return ExitCode.INTERRUPTED
    except click.ClickException as exc:
        hint = ""
        if isinstance(exc, click.UsageError) and exc.ctx is not None:
            hint = f" (see '{exc.ctx.command_path} --help')"
        message = " ".join(exc.format_message().split())  # click's choice lists span lines
        click.echo(f"error: {message}{hint}", err=True)
        return ExitCode.USAGE
    except Exception as exc:  # noqa: BLE001 - mapped to one line and an exit code
        return _report(exc, debug)
    return ExitCode.OK


def _report(exc: Exception, debug: bool) -> int:
    """One line for ``exc`` and its exit code. Imports the model only on this error path, so a
    successful ``--help`` never pays for pydantic."""
    from cloudposture.model import ConfigurationError

    if debug:
        traceback.print_exc()
    if isinstance(exc, OSError):  # an output file or state path the user named cannot be written
        where = f": {exc.filename}" if exc.filename else ""
        click.echo(f"error: {exc.strerror or exc}{where}", err=True)
        return ExitCode.USAGE
    if isinstance(exc, ConfigurationError):
        click.echo(f"error: {exc}", err=True)
        return ExitCode.USAGE
    first = str(exc).splitlines()[0] if str(exc) else ""
    click.echo(
        f"error: internal error: {type(exc).__name__}: {first} (re-run with --debug)", err=True
    )
    return ExitCode.INTERNAL
