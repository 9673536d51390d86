"""The command line: the ``cloudposture`` group and its commands (scan, run, rules, config,
history, outbox, demo) with their option parsing and progress display. The top of the
layers: nothing else in the package imports it."""

from cloudposture.cli.main import cli, main

__all__ = ["cli", "main"]
