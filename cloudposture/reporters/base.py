"""What a file format is: a name, a file extension, and a pure render of a ScanResult."""

from __future__ import annotations

from typing import Protocol

from cloudposture.model import ScanResult


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
