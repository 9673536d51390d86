"""Is a ``--region`` value an AWS region name at all?

Checked before any API call: a typo (``mars-1``) or an empty value would otherwise be sent to
an endpoint that does not exist, and come back as a network error or, on an emulator, as an
HTML page quoted as the reason (exit 3). botocore's partition data says what a region name of
each partition looks like (``regionRegex``) and lists the named ones, so regions newer than
the installed botocore are still accepted.
"""

from __future__ import annotations

import re
from functools import cache

from botocore.loaders import create_loader

from cloudposture.model import ConfigurationError


@cache
def _partitions() -> tuple[tuple[re.Pattern[str], frozenset[str]], ...]:
    data = create_loader().load_data("partitions")
    return tuple(
        (re.compile(p["regionRegex"]), frozenset(p.get("regions") or {}))
        for p in data["partitions"]
    )


def is_region(name: str) -> bool:
    return any(rx.match(name) or name in named for rx, named in _partitions())


def checked_regions(names: tuple[str, ...]) -> tuple[str, ...]:
    """``names``, or ConfigurationError naming the first that is not a region."""
    for name in names:
        if not is_region(name):
            raise ConfigurationError(
                f"--region {name!r} is not a region: AWS region names look like us-east-1, "
                "eu-west-2 or ap-southeast-1"
            )
    return names
