"""Every file format, listed explicitly: the CLI's ``--format`` choices come from here."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from cloudposture.model import ConfigurationError
from cloudposture.reporters.asff import AsffReporter
from cloudposture.reporters.base import Reporter
from cloudposture.reporters.csv_report import CsvReporter
from cloudposture.reporters.html import HtmlReporter
from cloudposture.reporters.json_report import JsonReporter
from cloudposture.reporters.jsonl import JsonlReporter
from cloudposture.reporters.ocsf import OcsfReporter, ocsf_class_of
from cloudposture.reporters.sarif import SarifReporter
from cloudposture.reporters.table import TableReporter

REPORTERS: Mapping[str, Reporter] = MappingProxyType(
    {
        "table": TableReporter(),
        "json": JsonReporter(),
        "ocsf": OcsfReporter(),
        "sarif": SarifReporter(),
        "csv": CsvReporter(),
        "jsonl": JsonlReporter(),
        "asff": AsffReporter(),
        "html": HtmlReporter(),
    }
)


def get_reporter(name: str, *, ocsf_class: str = "compliance") -> Reporter:
    """The reporter for ``--format name``; ``ocsf_class`` is ``--ocsf-class`` (ocsf only)."""
    if name not in REPORTERS:
        raise ConfigurationError(f"unknown format '{name}' (choose from: {', '.join(REPORTERS)})")
    if name == "ocsf":
        return OcsfReporter(ocsf_class_of(ocsf_class))
    return REPORTERS[name]
