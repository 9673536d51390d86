"""``--format html`` and ``cloudposture report``: one self-contained page a security lead reads.

The estate at a glance (clusters x rules against the infrastructure table, coverage beside
the failures), client-side filters and sorting, each finding's evidence and fix, and with a
history store what changed since the previous run and the trend. The markup, style and
script are package files under ``assets/``; :mod:`.page` inlines them with the data.
"""

from __future__ import annotations

from cloudposture.model import ScanResult
from cloudposture.reporters.html.history import HistoryView
from cloudposture.reporters.html.page import render_page
from cloudposture.reporters.interface import Reporter

__all__ = ["HistoryView", "HtmlReporter", "render_html"]


def render_html(result: ScanResult, history: HistoryView | None = None) -> str:
    """The page for one scan, with the run's history when there is one."""
    return render_page(result, history)


class HtmlReporter(Reporter):
    name = "html"
    extension = "html"
    description = "one self-contained HTML page: estate matrix, coverage, filters, fixes"

    def render(self, result: ScanResult) -> str:
        return render_page(result)
