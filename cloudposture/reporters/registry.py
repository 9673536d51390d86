"""Every output format, listed explicitly (no self-registration on import)."""

from __future__ import annotations

from collections.abc import Mapping

from cloudposture.model import ConfigurationError
from cloudposture.reporters.base import Reporter
from cloudposture.reporters.json_report import JsonReporter
from cloudposture.reporters.table import TableReporter

REPORTERS: Mapping[str, Reporter] = {
    "table": TableReporter(),
    "json": JsonReporter(),
}


def get_reporter(name: str) -> Reporter:
    try:
        return REPORTERS[name]
    except KeyError:
        known = ", ".join(REPORTERS)
        raise ConfigurationError(f"unknown format '{name}' (known: {known})") from None
