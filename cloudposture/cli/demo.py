"""``cloudposture demo``: a real scan of demo EKS clusters on a local moto server.

The AWS plugin seeds the clusters (some well configured, some not) and hands back the settings
that point real boto3 at the server; the scan then runs exactly as ``scan aws`` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, cast

from rich.console import Console

from cloudposture.cli.scan_command import CommonOptions, execute_scan
from cloudposture.model import ConfigurationError
from cloudposture.plugin import load_provider


def run_demo(
    formats: Sequence[str], quiet: bool, stderr: Console, output_dir: Path | None = None
) -> int:
    plugin = load_provider("aws")
    demo = getattr(plugin, "demo", None)
    if demo is None:
        raise ConfigurationError("the installed cloudposture-aws has no demo")
    try:
        environment = cast(AbstractContextManager[dict[str, Any]], demo())
    except ImportError as exc:
        raise ConfigurationError(
            f"the demo needs moto: pip install 'cloudposture-aws[demo]' ({exc.name} missing)"
        ) from None
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
