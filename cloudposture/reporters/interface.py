"""What a file format is: a name, a file extension, and a pure render of a ScanResult.

Formats are registered under the entry-point group ``cloudposture.formats`` (the core's own in
cloudposture's pyproject), and loaded only when used: see :mod:`cloudposture.reporters.registry`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import TextIO

from cloudposture.model import Finding, ScanInfo, ScanResult


class Reporter(ABC):
    """A format. Optional capabilities are the defaults below, overridden where they apply."""

    name: str
    extension: str
    description: str

    only_providers: tuple[str, ...] | None = None
    """The providers whose findings this format can hold (ASFF: one cloud's own format), or
    None for any: the CLI then refuses other combinations before any API call."""

    def with_ocsf_class(self, ocsf_class: str) -> Reporter:
        """This format for ``--ocsf-class`` (only OCSF depends on it)."""
        return self

    streams: bool = False
    """True when :meth:`write` takes the findings one at a time (JSON, JSON Lines, OCSF, CSV):
    a large scan then goes from the engine's spool to the file without holding them all."""

    @abstractmethod
    def render(self, result: ScanResult) -> str:
        """The whole document as text (formats here are small: one per scan)."""

    def write(self, scan: ScanInfo, findings: Iterable[Finding], out: TextIO) -> None:
        """Exactly what :meth:`render` returns, written to ``out``. Streaming formats
        override it; by default the findings are gathered into one ScanResult first."""
        out.write(self.render(ScanResult.model_construct(scan=scan, findings=list(findings))))
