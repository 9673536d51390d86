"""``cloudposture report``: the HTML report of the latest nightly run, with its history.

The page is the scan's report plus what the history store knows: what changed since the
previous run (the diff the run itself stored), each finding's first-seen date, and the trend
of failing findings over the last runs. Read-only on the store.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cloudposture.cli.nightly_cli import _open_store, _store_option


@click.command("report")
@_store_option
@click.option("--config-name", metavar="NAME", help="The config whose runs to show.")
@click.option(
    "--runs",
    type=click.IntRange(1, 365),
    default=14,
    show_default=True,
    help="How many runs the trend covers.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the page here instead of stdout.",
)
def report(store_url: str | None, config_name: str | None, runs: int, output: Path | None) -> None:
    """Render the latest complete run as one self-contained HTML page: the estate matrix,
    coverage, the changes since the previous run (new, regressed, resolved, stale) and the
    trend of failing findings by severity."""
    from cloudposture.nightly.report_history import history_view, latest_run
    from cloudposture.reporters.html import render_html

    store, history, _ = _open_store(store_url)
    with store:
        stored = latest_run(history, config_name)
        view = history_view(history, stored.record, stored.changes, runs)
    page = render_html(stored.result, view)
    if output is None:
        sys.stdout.write(page)
        return
    output.write_text(page, encoding="utf-8")
    counts = view.changes
    click.echo(
        f"wrote {output}: run {stored.record.id} (config {stored.record.config_key}), "
        f"{len(counts['new'])} new, {len(counts['regressed'])} regressed, "
        f"{len(counts['resolved'])} resolved, {len(counts['stale'])} stale since "
        f"{view.previous_run or 'no earlier run'}",
        err=True,
    )
