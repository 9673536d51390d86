"""Findings kept off the heap while a scan runs: one compressed batch per cluster on disk.

Why: a 5,000-cluster scan makes 110,000 findings. As pydantic objects they cost about 3 KB
each (evidence included), most of a gigabyte for data that is written out once. The spool
keeps each cluster's findings as one zlib-compressed block of JSON lines in a temporary file
and only the block's sort key, offset and a few counters in memory, so memory stays flat in
the number of clusters. Reading back yields the findings in report order (provider, account,
region, cluster; each cluster's findings in the order they were added), one at a time.

A full or over-quota temporary directory must not end a scan that has already read the
clouds: when a write fails, the spool drops that partial block and keeps this block and every
later one in memory (compressed), and says so in :attr:`FindingSpool.fallback`.
"""

from __future__ import annotations

import contextlib
import errno
import io
import tempfile
import threading
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from cloudposture.model.finding import Finding, Severity, Status

_COMPRESSION = 1
"""zlib level: the blocks are repetitive JSON; level 1 already shrinks them ~5x at low CPU."""


def _scratch_file(directory: str | None) -> tuple[IO[bytes], str | None]:
    """A temporary file (``directory``, else $TMPDIR), or memory when none can be created
    (a read-only container) with why: compressed, a cluster's 22 findings take ~3.3 KB, not
    the ~66 KB they take as objects."""
    try:
        # closed by FindingSpool.close(): the file outlives this call, so no with-block
        # unbuffered: a failed write fails in ``_append`` and leaves nothing pending that a
        # later read (whose seek would flush it) trips over
        scratch = tempfile.TemporaryFile(  # noqa: SIM115
            prefix="cloudposture-findings-", dir=directory, buffering=0
        )
        return scratch, None
    except OSError as exc:
        return io.BytesIO(), _memory_note(directory, exc)


def _memory_note(directory: str | None, exc: OSError) -> str:
    where = directory or tempfile.gettempdir()
    why = exc.strerror or type(exc).__name__
    return f"cannot write temporary files in {where} ({why}); findings are kept in memory"


class SpoolUnreadable(OSError):
    """The scan's findings could not be read back from the temporary file (a disk error): an
    error of its own, so delivery does not report it as the state store failing."""

    def __init__(self, cause: OSError | zlib.error) -> None:
        why = getattr(cause, "strerror", None) or str(cause) or type(cause).__name__
        super().__init__(
            getattr(cause, "errno", None) or errno.EIO,
            f"cannot read the scan's findings back from its temporary file ({why})",
        )


@dataclass(frozen=True)
class _Block:
    key: tuple[str, str, str, str]
    seq: int
    store: int
    """index into the spool's stores: the temporary file, then memory after a failed write."""
    offset: int
    size: int


class FindingSpool:
    """An append-only, re-readable store of findings. Thread-safe for ``add``."""

    def __init__(self, directory: str | None = None) -> None:
        self._directory = directory
        first, self.fallback = _scratch_file(directory)
        self._stores: list[IO[bytes]] = [first]
        """Why findings went to memory instead of a temporary file (None: they did not)."""
        self._blocks: list[_Block] = []
        self._lock = threading.Lock()
        self._counts: Counter[Status] = Counter()
        self._fail_severities: Counter[Severity] = Counter()
        self._clusters: set[tuple[str, str]] = set()

    def add(self, findings: Sequence[Finding]) -> None:
        """Keep one cluster's findings (the engine adds one cluster at a time)."""
        if not findings:
            return
        res = findings[0].resource
        lines = b"\n".join(f.__pydantic_serializer__.to_json(f) for f in findings)
        data = zlib.compress(lines, _COMPRESSION)
        with self._lock:
            store, offset = self._append(data)
            key = (res.provider, res.account, res.region, res.cluster)
            self._blocks.append(_Block(key, len(self._blocks), store, offset, len(data)))
            for f in findings:
                self._counts[f.status] += 1
                self._clusters.add((f.resource.provider, f.resource.id))
                if f.status is Status.FAIL:
                    self._fail_severities[f.severity] += 1

    def _append(self, data: bytes) -> tuple[int, int]:
        """Write one block; returns (store index, offset). Called with the lock held."""
        out = self._stores[-1]
        offset = out.seek(0, 2)
        try:
            _write_all(out, data)
        except OSError as exc:
            self._drop_partial(out, offset)
            self.fallback = _memory_note(self._directory, exc)
            self._stores.append(io.BytesIO())
            return self._append(data)
        return len(self._stores) - 1, offset

    @staticmethod
    def _drop_partial(out: IO[bytes], offset: int) -> None:
        """Cut the half-written block (its bytes are never read: no block points at them)."""
        with contextlib.suppress(OSError):
            out.truncate(offset)

    def __len__(self) -> int:
        return sum(self._counts.values())

    def __iter__(self) -> Iterator[Finding]:
        """Every finding in report order, decoded one block at a time."""
        with self._lock:
            blocks = sorted(self._blocks, key=lambda b: (b.key, b.seq))
        for block in blocks:
            try:
                with self._lock:
                    store = self._stores[block.store]
                    store.seek(block.offset)
                    data = store.read(block.size)
                lines = zlib.decompress(data).split(b"\n")
            except (OSError, zlib.error) as exc:
                raise SpoolUnreadable(exc) from exc
            for line in lines:
                yield Finding.model_validate_json(line)

    def counts(self) -> dict[str, int]:
        """Findings per status, every status present (as :meth:`ScanResult.counts`)."""
        return {s.value: self._counts.get(s, 0) for s in Status}

    def clusters(self) -> int:
        return len(self._clusters)

    def fails_at_or_above(self, severity: Severity) -> bool:
        return any(n and s >= severity for s, n in self._fail_severities.items())

    def close(self) -> None:
        for store in self._stores:
            store.close()


def _write_all(out: IO[bytes], data: bytes) -> None:
    """An unbuffered write may write part of ``data`` (a file reaching its size limit) and
    fail only on the next call: loop until all is written or the OS refuses."""
    view = memoryview(data)
    while view:
        written = out.write(view)
        if not written:
            raise OSError(errno.ENOSPC, "no space left for temporary findings")
        view = view[written:]
