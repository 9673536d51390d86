"""What a file format is: a name, a file extension, and a pure render of a ScanResult."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TextIO, runtime_checkable

from cloudposture.model import Finding, ScanInfo, ScanResult


class Reporter(Protocol):
    """A reporter may also set ``only_providers`` (a tuple of provider names) when its format
    cannot hold other clouds' findings (ASFF): the CLI then refuses the combination before
    any API call instead of after a whole scan."""

    name: str
    extension: str
    description: str

    def render(self, result: ScanResult) -> str:
        """The whole document as text (formats here are small: one per scan)."""
        ...


@runtime_checkable
class StreamingReporter(Reporter, Protocol):
    """A format that can be written one finding at a time (JSON, JSON Lines): a large scan
    then goes from the engine's spool to the file without holding every finding."""

    def write(self, scan: ScanInfo, findings: Iterable[Finding], out: TextIO) -> None:
        """Exactly what :meth:`render` returns, written to ``out``."""
        ...
