"""Attempt a read; on failure record the CollectionError and the posture facts it leaves
unknown, and go on. The one helper every provider's collector uses, so a denied call always
becomes the same thing: ``None`` for the facts (rules then say ERROR, never PASS) and one
error naming them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from cloudposture.model import CollectionError, CollectionFailure

T = TypeVar("T")
Describe = Callable[[BaseException, str, str, Sequence[str]], CollectionError]
"""(exception, call, resource, affects) -> the error to record (the provider's classifier)."""


def _from_failure(
    exc: BaseException, call: str, resource: str, affects: Sequence[str]
) -> CollectionError:
    assert isinstance(exc, CollectionFailure)
    return exc.error


class Attempts:
    """The CollectionErrors of one ``collect`` call.

    ``catch``: the exceptions a failed read raises (default: the core's CollectionFailure,
    for providers that classify errors where the call is made); ``describe`` turns one into a
    CollectionError. ``merge``: the same error met again (a shared lookup that failed) adds
    the new facts to the first record instead of repeating it.
    """

    def __init__(
        self,
        catch: tuple[type[BaseException], ...] = (CollectionFailure,),
        describe: Describe = _from_failure,
        *,
        merge: bool = True,
    ) -> None:
        self.items: list[CollectionError] = []
        self._catch = catch
        self._describe = describe
        self._merge = merge

    def attempt(
        self,
        affects: Sequence[str],
        read: Callable[[], T],
        *,
        call: str = "",
        resource: str = "",
    ) -> T | None:
        """``read()``, or None with the failure recorded against ``affects``."""
        try:
            return read()
        except self._catch as exc:
            self.record(self._describe(exc, call, resource, affects), affects)
            return None

    def record(self, error: CollectionError, affects: Sequence[str]) -> None:
        """Add ``error`` as affecting ``affects`` (merged with an equal earlier error)."""
        if self._merge:
            bare = error.model_copy(update={"affects": []})
            for i, seen in enumerate(self.items):
                if seen.model_copy(update={"affects": []}) == bare:
                    merged = list(dict.fromkeys([*seen.affects, *affects]))
                    self.items[i] = seen.model_copy(update={"affects": merged})
                    return
        self.items.append(error.model_copy(update={"affects": list(affects)}))
