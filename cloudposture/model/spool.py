"""Findings kept off the heap while a scan runs: one compressed batch per cluster on disk.

Why: a 5,000-cluster scan makes 110,000 findings. As pydantic objects they cost about 3 KB
each (evidence included), most of a gigabyte for data that is written out once. The spool
keeps each cluster's findings as one zlib-compressed block of JSON lines in a temporary file
and only the block's sort key, offset and a few counters in memory, so memory stays flat in
the number of clusters. Reading back yields the findings in report order (provider, account,
region, cluster; each cluster's findings in the order they were added), one at a time.
"""

from __future__ import annotations

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


def _scratch_file(directory: str | None) -> IO[bytes]:
    """A temporary file (``directory``, else $TMPDIR); in memory when none can be created
    (a read-only container): compressed, a cluster's 22 findings take ~3.3 KB, not the ~66 KB
    they take as objects."""
    try:
        # closed by FindingSpool.close(): the file outlives this call, so no with-block
        return tempfile.TemporaryFile(prefix="cloudposture-findings-", dir=directory)
    except OSError:
        return io.BytesIO()


@dataclass(frozen=True)
class _Block:
    key: tuple[str, str, str, str]
    seq: int
    offset: int
    size: int


class FindingSpool:
    """An append-only, re-readable store of findings. Thread-safe for ``add``."""

    def __init__(self, directory: str | None = None) -> None:
        self._file = _scratch_file(directory)
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
            offset = self._file.seek(0, 2)
            self._file.write(data)
            key = (res.provider, res.account, res.region, res.cluster)
            self._blocks.append(_Block(key, len(self._blocks), offset, len(data)))
            for f in findings:
                self._counts[f.status] += 1
                self._clusters.add((f.resource.provider, f.resource.id))
                if f.status is Status.FAIL:
                    self._fail_severities[f.severity] += 1

    def __len__(self) -> int:
        return sum(self._counts.values())

    def __iter__(self) -> Iterator[Finding]:
        """Every finding in report order, decoded one block at a time."""
        with self._lock:
            blocks = sorted(self._blocks, key=lambda b: (b.key, b.seq))
        for block in blocks:
            with self._lock:
                self._file.seek(block.offset)
                data = self._file.read(block.size)
            for line in zlib.decompress(data).split(b"\n"):
                yield Finding.model_validate_json(line)

    def counts(self) -> dict[str, int]:
        """Findings per status, every status present (as :meth:`ScanResult.counts`)."""
        return {s.value: self._counts.get(s, 0) for s in Status}

    def clusters(self) -> int:
        return len(self._clusters)

    def fails_at_or_above(self, severity: Severity) -> bool:
        return any(n and s >= severity for s, n in self._fail_severities.items())

    def close(self) -> None:
        self._file.close()
