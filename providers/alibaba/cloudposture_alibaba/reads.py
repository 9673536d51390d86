"""The collector's error bookkeeping: the core's :class:`Attempts` with Alibaba's classifier."""

from __future__ import annotations

from collections.abc import Sequence

from cloudposture.model import CollectionError, CollectionFailure
from cloudposture.plugin.attempt import Attempts
from cloudposture_alibaba.errors import CAUGHT, to_collection_error


def describe(
    exc: BaseException, call: str, resource: str, affects: Sequence[str]
) -> CollectionError:
    """An SDK failure classified here, or a failure a shared read already described (a RAM
    policy document that is not JSON)."""
    if isinstance(exc, CollectionFailure):
        return exc.error.model_copy(update={"affects": list(affects)})
    return to_collection_error(exc, call, resource, affects)


def attempts() -> Attempts:
    """A fresh record for one ``collect``: failures become CollectionErrors naming the facts
    they leave unknown; a shared read that failed once is recorded once."""
    return Attempts((*CAUGHT, CollectionFailure), describe)


def failure_of(record: Attempts, call: str, resource: str) -> str:
    """The one-line reason a read of ``resource`` just failed (``call`` or a read it made)."""
    for error in reversed(record.items):
        if error.resource == resource:
            return error.one_line()
    return f"{call} on {resource} failed"
