"""Report files: checked before the scan, written whole or not at all.

Why a temporary file and a rename: a full disk, a killed process or a write error halfway
through must never leave half a report where a valid one was (a SIEM or CI step would read
the truncated JSON). The new content goes to a hidden file in the same directory (a rename
is atomic only within one file system) and replaces the target only once written and synced.

Why check before the scan: an output path that cannot be written (missing folder, /proc, a
device, a read-only directory, an empty name) found after a 20-minute scan throws the scan
away; :func:`check_output_file` tries the very thing the writer will do (create a temporary
file beside the target) before any cloud API call.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from cloudposture.model import ConfigurationError


def _temp_in(directory: Path, name: str) -> tuple[int, str]:
    return tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def check_output_dir(directory: Path, option: str = "--output-dir", *, create: bool = True) -> None:
    """The directory exists (or can be created) and a file can be created in it. With
    ``create=False`` (``config validate``) a directory that does not exist yet passes: the
    run creates it."""
    if not str(directory).strip():
        raise ConfigurationError(f"{option} is empty: give a directory".strip())
    if directory.exists() and not directory.is_dir():
        raise ConfigurationError(f"{option} {directory} is not a directory".strip())
    if not create and not directory.exists():
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temp = _temp_in(directory, "cloudposture-check")
    except OSError as exc:
        raise ConfigurationError(
            f"{option} {directory}: cannot write there: {_reason(exc)}"
        ) from None
    os.close(handle)
    os.unlink(temp)


def check_output_file(path: Path, option: str = "--output") -> None:
    """``path`` can be replaced by a new regular file: its folder exists and is writable, and
    it is not a directory, a device or a special file."""
    if not str(path).strip() or str(path) in (".", ".."):
        raise ConfigurationError(f"{option} is empty: give a file name")
    if path.exists() and not path.is_file():
        kind = "a directory" if path.is_dir() else "not a regular file"
        raise ConfigurationError(f"{option} {path} is {kind}")
    parent = path.parent
    if not parent.is_dir():
        raise ConfigurationError(f"{option} {path}: the folder {parent} does not exist")
    try:
        handle, temp = _temp_in(parent, path.name)
    except OSError as exc:
        raise ConfigurationError(f"{option} {path}: cannot write there: {_reason(exc)}") from None
    os.close(handle)
    os.unlink(temp)


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, else rw-r--r-- (mkstemp's own 0600 would surprise)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o644


class StagedFiles:
    """Files written to temporary siblings and put in place together by :meth:`commit`;
    ``with StagedFiles() as staged:`` removes every temporary file if the block fails, and
    turns a write error (a full disk) into one ConfigurationError naming the target."""

    def __init__(self) -> None:
        self._staged: list[tuple[str, Path]] = []

    def open(self, path: Path) -> TextIO:
        """A text handle on a temporary file beside ``path`` (streaming writers use it)."""
        handle, temp = _temp_in(path.parent, path.name)
        self._staged.append((temp, path))
        os.fchmod(handle, _mode_for(path))
        return os.fdopen(handle, "w", encoding="utf-8")

    def commit(self) -> None:
        for temp, path in self._staged:
            os.replace(temp, path)
        self._staged.clear()

    def __enter__(self) -> StagedFiles:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        for temp, _ in self._staged:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        if isinstance(exc, OSError):
            target = self._staged[-1][1] if self._staged else "the report"
            raise ConfigurationError(f"cannot write {target}: {_reason(exc)}") from None


def write_atomic(path: Path, write: Callable[[TextIO], None]) -> None:
    """Replace ``path`` with what ``write`` writes, all at once (see the module docstring)."""
    with StagedFiles() as staged:
        with staged.open(path) as out:
            write(out)
            _sync(out)
        staged.commit()


def _sync(out: TextIO) -> None:
    out.flush()
    os.fsync(out.fileno())
