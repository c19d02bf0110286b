"""Suppression of small figures, so that no family or person can be recognised. Pure.

Suppression. A count of feedback answers below THRESHOLD (0 included) is published as "<5"
("small"). That alone is not enough: a hidden cell can often be worked out by subtracting the
published cells from a published total (the month's answers; the figure of all units). So every
linear relation the dashboard publishes is checked as a `Group` (a total and its members), and
while some group would let a reader pin a hidden cell down exactly, or learn that fewer than
THRESHOLD answers fall among its hidden cells together, one more cell is hidden ("hidden"). The
figures of every unit are settled together, so switching the unit filter cannot undo it; the
period filter only picks whole months, whose figures do not depend on the period.

Averages over meetings (length, phases used, family voices) are published only over at least
THRESHOLD meetings, with the same consistency across units (the number of meetings is public,
so an average times its count is a sum that subtracts like any other).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

THRESHOLD = 5
Status = Literal["ok", "small", "hidden", "none"]
Key = Hashable


@dataclass(frozen=True)
class Group:
    """A published relation: total == sum(members)."""

    total: Key
    members: tuple[Key, ...]


def _bounds(value: int) -> tuple[float, float]:
    # What a reader knows of a hidden count: "<5" is 0..4; any other hidden cell is at least 5.
    return (0.0, THRESHOLD - 1.0) if value < THRESHOLD else (float(THRESHOLD), math.inf)


def _counts_safe(values: Mapping[Key, int], group: Group, hidden: set[Key]) -> bool:
    """Whether the group's equation pins no hidden count down, nor shows a small hidden sum."""
    unknown = [k for k in (group.total, *group.members) if k in hidden]
    if not unknown:
        return True
    sign = {k: (-1 if k == group.total else 1) for k in unknown}
    # The equation a reader can write: sum(sign * x over unknown) == rest.
    rest = sum(values[m] for m in group.members if m not in hidden)
    rest = (0 if group.total in hidden else values[group.total]) - rest
    if group.total not in hidden and rest < THRESHOLD:
        return False
    for k in unknown:
        low = high = 0.0
        for j in unknown:
            if j == k:
                continue
            lo, hi = _bounds(values[j])
            low += lo if sign[j] > 0 else -hi
            high += hi if sign[j] > 0 else -lo
        if sign[k] > 0:
            least, most = rest - high, rest - low
        else:
            least, most = low - rest, high - rest
        lo, hi = _bounds(values[k])
        if max(least, lo) >= min(most, hi):
            return False
    return True


def _means_safe(bases: Mapping[Key, int], group: Group, hidden: set[Key]) -> bool:
    """Whether no hidden average, nor an average over fewer than THRESHOLD, can be derived."""
    unknown = [k for k in (group.total, *group.members) if k in hidden and bases[k] > 0]
    if not unknown:
        return True
    if len(unknown) == 1:
        return False
    if group.total in hidden:
        return True
    return sum(bases[k] for k in unknown) >= THRESHOLD


def _settle(
    sizes: Mapping[Key, int],
    groups: Sequence[Group],
    hidden: set[Key],
    safe: Callable[[Group, set[Key]], bool],
) -> set[Key]:
    """Hide more cells, smallest first, until every group is safe."""
    changed = True
    while changed:
        changed = False
        for group in groups:
            if safe(group, hidden):
                continue
            visible = [m for m in group.members if m not in hidden and sizes[m] > 0]
            if visible:
                hidden.add(min(visible, key=lambda m: (sizes[m], repr(m))))
            elif group.total not in hidden and sizes[group.total] > 0:
                hidden.add(group.total)
            else:
                continue  # nothing left to hide here
            changed = True
    return hidden


def suppress_counts(
    values: Mapping[Key, int], groups: Sequence[Group], public: Iterable[Key] = ()
) -> dict[Key, Status]:
    """Each count's status: "small" below THRESHOLD, "hidden" to protect one, else "ok".

    `public` are zeros a reader knows anyway (a unit with no answers at all in a month): they
    are shown as "<5" like any small count, but protect nothing.
    """
    small = {k for k, v in values.items() if v < THRESHOLD}
    known = {k for k in public if values.get(k) == 0}
    unknown = _settle(values, groups, small - known, lambda g, h: _counts_safe(values, g, h))
    return {k: "small" if k in small else "hidden" if k in unknown else "ok" for k in values}


def suppress_means(bases: Mapping[Key, int], groups: Sequence[Group]) -> dict[Key, Status]:
    """Each average's status from its number of meetings: "none" with none, "small" below
    THRESHOLD, "hidden" to protect one, else "ok"."""
    small = {k for k, b in bases.items() if b < THRESHOLD}
    hidden = _settle(bases, groups, set(small), lambda g, h: _means_safe(bases, g, h))
    out: dict[Key, Status] = {}
    for k, b in bases.items():
        out[k] = "none" if b == 0 else "small" if k in small else "hidden" if k in hidden else "ok"
    return out
