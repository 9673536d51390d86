"""The live progress display on stderr: targets (regions/projects) and clusters, elapsed time.

Silent when stderr is not a terminal or with ``--quiet``, so logs and pipes stay clean.
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cloudposture.model import ClusterRef
from cloudposture.plugin import Target


class RichProgress:
    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<9}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[note]}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._targets = self._progress.add_task("targets", total=None, note="")
        self._clusters = self._progress.add_task("clusters", total=0, note="")
        self._cluster_total = 0
        self._failed = 0

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def targets_planned(self, count: int) -> None:
        self._progress.update(self._targets, total=count)

    def target_done(self, target: Target, clusters: int, failed: bool) -> None:
        self._cluster_total += clusters
        self._failed += int(failed)
        failures = f"  {self._failed} failed" if self._failed else ""
        note = f"{target.account}/{target.region}{failures}"
        self._progress.update(self._targets, advance=1, note=note)
        self._progress.update(self._clusters, total=self._cluster_total)

    def cluster_done(self, ref: ClusterRef, failed: bool) -> None:
        self._progress.update(self._clusters, advance=1, note=ref.name)
