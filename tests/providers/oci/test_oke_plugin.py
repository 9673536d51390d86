"""The entry point is cheap: options, guidance and targets load without the ``oci`` SDK."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cloudposture.plugin import load_provider

ROOT = Path(__file__).resolve().parents[3]


def test_the_plugin_is_registered_and_declares_its_options() -> None:
    plugin = load_provider("oci")
    names = {p.name for p in plugin.cli_options()}
    assert names == {"config_file", "profile", "auth", "region", "compartment", "endpoint"}


def test_loading_the_plugin_imports_no_sdk() -> None:
    code = (
        "import sys\n"
        "from cloudposture.plugin import load_provider\n"
        "p = load_provider('oci')\n"
        "p.cli_options(); dict(p.guidance); dict(p.not_applicable)\n"
        "import cloudposture_oci.target\n"
        "assert 'oci' not in sys.modules, 'the oci SDK was imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
