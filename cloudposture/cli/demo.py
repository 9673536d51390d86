"""``cloudposture demo``: a real scan of demo EKS clusters on a local moto server.

The AWS plugin seeds the clusters (some well configured, some not) and hands back the settings
that point real boto3 at the server; the scan then runs exactly as ``scan aws`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from rich.console import Console

from cloudposture.cli.scan_command import CommonOptions, execute_scan
from cloudposture.model import ConfigurationError
from cloudposture.plugin import available_providers, load_provider


def run_demo(
    formats: Sequence[str], quiet: bool, stderr: Console, output_dir: Path | None = None
) -> int:
    environment: AbstractContextManager[dict[str, Any]] | None = None
    for name in available_providers():  # the first installed provider that ships a demo
        plugin = load_provider(name)
        try:
            environment = plugin.demo()
        except ImportError as exc:
            raise ConfigurationError(
                f"the demo needs {exc.name}: pip install 'cloudposture-{name}[demo]' "
                f"({exc.name} missing)"
            ) from None
        if environment is not None:
            break
    if environment is None:
        raise ConfigurationError("no installed provider has a demo")
    with environment as settings:
        if not quiet:
            stderr.print(
                f"demo: moto server at {settings['endpoint_url']} seeded with EKS clusters "
                f"in {', '.join(settings['region'])}; scanning it like a real account"
            )
        common = CommonOptions(
            formats=tuple(formats) or ("table",), output_dir=output_dir, fail_on=None, quiet=quiet
        )
        return execute_scan(plugin, settings, common, stderr)
