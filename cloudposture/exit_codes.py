"""The documented exit codes, defined once (README "Exit codes")."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2
    INCOMPLETE = 3
    INTERNAL = 4
    INTERRUPTED = 130
    """Ctrl-C / SIGINT: the shell's convention (128 + SIGINT)."""
