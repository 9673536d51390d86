"""Is every ``None`` in a posture explained? The check behind the posture contract test.

A rule that meets ``None`` reports ERROR "cannot judge: <reason>". When nothing recorded a
reason, the finding can only say "... not collected", which sends a reviewer hunting for a
failure that never happened, or hides an adapter that forgot a field. So every posture an
adapter builds must account for each ``None`` in one of four ways (checked here):

1. a collection error whose ``affects`` covers it (a call failed);
2. an ``unknown_reasons`` entry (not collected although no call failed: a self-managed CNI);
3. a ``not_applicable`` entry (the fact does not exist on this cluster: EKS has no
   provider-ranges switch, GKE's control plane identity is Google's own);
4. the section's own facts (``implied_unset``: no customer key, so no key state) or a
   documented meaning of ``None`` (``NONE_MEANS``: ``key_error`` None means the key was read).

The reverse is checked too: a reason given for a field that holds a value, or for a field
the section does not have, is a stale or mistyped annotation.

Providers run this over every scenario their fake API serves (``tests/contract``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from cloudposture.model.posture import ClusterPosture, Section

_TOP_LEVEL_OPTIONAL = ("node_pools", "control_plane_identity")


def unexplained_fields(posture: ClusterPosture) -> list[str]:
    """Every problem with the posture's ``None`` accounting, one line each ([] when sound).

    A line names the field as ``section.field`` (``node_pools[ng-1].ssh_access``).
    """
    affected = [a for error in posture.collection_errors for a in error.affects]
    return list(_problems(posture, affected))


def _problems(posture: ClusterPosture, affected: list[str]) -> Iterator[str]:
    yield from _annotation_problems(
        "cluster", posture.unknown_reasons | posture.not_applicable, _TOP_LEVEL_OPTIONAL
    )
    for name in _TOP_LEVEL_OPTIONAL:
        value = getattr(posture, name)
        explained = name in posture.unknown_reasons or name in posture.not_applicable
        if value is None and not explained and not _covered(name, affected):
            yield f"{name}: None with no collection error, unknown reason or not-applicable reason"
        if value is not None and explained:
            yield f"{name}: has a value but also a reason for having none"
    for path, place, section in posture.sections():
        yield from _section_problems(place, path, section, affected)


def _section_problems(
    where: str, path: str, section: Section, affected: list[str]
) -> Iterator[str]:
    """``where`` names the instance in messages; ``path`` is the dotted fact path that
    collection errors' ``affects`` use (no list indexes)."""
    fields = [f for f in type(section).model_fields if f not in _BOOKKEEPING]
    yield from _annotation_problems(where, section.unknown_reasons | section.not_applicable, fields)
    explained = section.explained_unset()
    for field in fields:
        value = getattr(section, field)
        annotated = field in section.unknown_reasons or field in section.not_applicable
        if value is None:
            if field not in explained and not _covered(f"{path}.{field}", affected):
                yield (
                    f"{where}.{field}: None with no collection error, unknown reason, "
                    "not-applicable reason or implied reason"
                )
        elif annotated:
            yield f"{where}.{field}: has a value ({value!r:.40}) but also a reason for having none"


def _annotation_problems(
    where: str, annotations: dict[str, str], fields: Collection[str]
) -> Iterator[str]:
    for field, reason in annotations.items():
        if field not in fields:
            yield f"{where}: a reason is given for '{field}', which is not a field there"
        elif not reason.strip():
            yield f"{where}.{field}: the reason given is empty"


_BOOKKEEPING = frozenset(Section.model_fields)


def _covered(path: str, affected: list[str]) -> bool:
    """A failure that affects ``node_pools`` covers ``node_pools.identities``; one that
    affects only ``node_pools.identities`` does not explain a missing ``node_pools``."""
    return any(path == a or path.startswith(a + ".") for a in affected)
