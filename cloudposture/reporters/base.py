"""What a file format is: a name, a file extension, and a pure render of a ScanResult."""

from __future__ import annotations

from typing import Protocol

from cloudposture.model import ScanResult


class Reporter(Protocol):
    name: str
    extension: str
    description: str

    def render(self, result: ScanResult) -> str:
        """The whole document as text (formats here are small: one per scan)."""
        ...
