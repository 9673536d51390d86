"""``cloudposture outbox status|flush``: see and send what SIEMs have not acknowledged yet.

The queue key of a sink is its URL without secrets, so ``flush`` can rebuild every sink from
the queue itself; secrets are read again from the environment variables or files the URL
names. Imports of the store and the sinks happen inside the commands, so ``cloudposture
--help`` does not pay for SQLAlchemy.
"""

from __future__ import annotations

import sys
from datetime import datetime

import click

STATE_HELP = (
    "state store: a SQLite path or a SQLAlchemy URL (postgresql+psycopg://...); "
    "default $CLOUDPOSTURE_STATE or ~/.cloudposture/state.db"
)


def _when(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else "-"


def _retry_seconds(value: str | None) -> float | None:
    """A finite number of seconds: ``nan`` never expires and ``inf`` never returns."""
    from cloudposture.model import ConfigurationError
    from cloudposture.numbers import bounded_number
    from cloudposture.outbox.outbox import MAX_RETRY_SECONDS

    if value is None:
        return None
    try:
        return bounded_number(value, "--retry-seconds", 0, MAX_RETRY_SECONDS)
    except ConfigurationError as exc:
        raise click.BadParameter(str(exc).removeprefix("--retry-seconds=")) from None


@click.group("outbox")
def outbox() -> None:
    """Findings queued for SIEM sinks and not yet acknowledged."""


@outbox.command("status")
@click.option("--state", "state", default=None, help=STATE_HELP)
def status(state: str | None) -> None:
    """Show, per sink, how many events are pending and the last delivery error."""
    from cloudposture.store import Store

    with Store.open(state) as store:
        queues = store.queue_status()
    if not queues:
        click.echo("outbox is empty")
        return
    for q in queues:
        click.echo(f"{q.sink}")
        click.echo(f"  pending {q.pending}, delivered {q.delivered}")
        if q.pending:
            click.echo(
                f"  oldest pending {_when(q.oldest_pending)}, next attempt "
                f"{_when(q.next_attempt_at)}, attempts {q.max_attempts}"
            )
            if q.last_error:
                click.echo(f"  last error: {q.last_error}")


@outbox.command("flush")
@click.option("--state", "state", default=None, help=STATE_HELP)
@click.option(
    "--sink",
    "sink_urls",
    multiple=True,
    help="flush only this sink (repeatable); default: every sink with pending events",
)
@click.option(
    "--retry-seconds",
    callback=lambda _ctx, _param, value: _retry_seconds(value),
    default=None,
    help="how long to keep retrying failed deliveries "
    "[default: $CLOUDPOSTURE_SINK_RETRY_SECONDS or 15]",
)
def flush_command(
    state: str | None, sink_urls: tuple[str, ...], retry_seconds: float | None
) -> None:
    """Deliver pending events now. Exits 1 when some stay pending, 2 on a configuration error."""
    from cloudposture.model import ConfigurationError
    from cloudposture.outbox.outbox import RetryPolicy, flush
    from cloudposture.sinks.registry import sink_from_url, sinks_from_urls
    from cloudposture.store import Store

    unusable: list[str] = []
    try:
        with Store.open(state) as store:
            if sink_urls:
                sinks = sinks_from_urls(sink_urls)
            else:
                sinks = []
                for name in store.pending_sinks():
                    try:
                        sinks.append(sink_from_url(name))
                    except ConfigurationError as err:
                        pending = store.pending_count(name)
                        unusable.append(f"{name}: {pending} pending, not flushed: {err}")
            policy = RetryPolicy.from_env()
            if retry_seconds is not None:
                policy = RetryPolicy(budget_seconds=retry_seconds)
            reports = flush(store, sinks, policy)
    except ConfigurationError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(2)
    if not reports and not unusable:
        click.echo("outbox is empty: nothing to flush")
        return
    for r in reports:
        tail = f", {r.pending} pending (last error: {r.last_error})" if r.pending else ""
        click.echo(f"{r.sink}: {r.delivered} delivered{tail}")
    for line in unusable:
        click.echo(line)
    if unusable or any(r.pending for r in reports):
        sys.exit(1)
