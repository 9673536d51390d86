"""What a file format is: a name, a file extension, and a pure render of a ScanResult.

Formats are registered under the entry-point group ``cloudposture.formats`` (the core's own in
cloudposture's pyproject), and loaded only when used: see :mod:`cloudposture.reporters.registry`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from cloudposture.model import ScanResult


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

    @abstractmethod
    def render(self, result: ScanResult) -> str:
        """The whole document as text (formats here are small: one per scan)."""
