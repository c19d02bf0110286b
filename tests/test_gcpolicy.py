"""The collector's schedule: survivors of a full pass frozen, frozen garbage reclaimed by the
sweep."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from app import gcpolicy


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture(autouse=True)
def _installed() -> Iterator[None]:
    gcpolicy.install()
    yield
    gcpolicy.uninstall()


def test_the_survivors_of_a_full_collection_are_frozen() -> None:
    before = gc.get_freeze_count()
    kept = [Node() for _ in range(1000)]
    gc.collect()
    assert gc.get_freeze_count() >= before + len(kept)
    gc.collect()  # nothing left to walk but what came since
    assert gc.get_count()[2] == 0


def test_a_cycle_dropped_after_freezing_is_reclaimed_by_the_sweep_only() -> None:
    a, b = Node(), Node()
    a.other, b.other = b, a
    alive = weakref.ref(a)
    gc.collect()  # survives, and is frozen
    del a, b
    gc.collect()
    assert alive() is not None  # frozen: no collection looks at it
    gcpolicy.sweep()
    assert alive() is None


def test_young_collections_come_at_the_policys_pace() -> None:
    assert gc.get_threshold() == gcpolicy.YOUNG
    gcpolicy.uninstall()
    assert gc.get_threshold() == gcpolicy.CPYTHON_DEFAULT


def test_uninstalled_the_collector_is_cpythons_own() -> None:
    gcpolicy.uninstall()
    kept = [Node() for _ in range(1000)]
    gc.collect()
    assert gc.get_freeze_count() == 0 and kept
