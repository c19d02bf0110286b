"""When the garbage collector runs, so that no full pass over every socket's objects stalls the
event loop while people wait.

A process holding thousands of sockets tracks millions of objects; CPython's full (generation 2)
collection walks all of them (100–200 ms at 4,400 sockets), and while sockets open it starts
again and again. Instead, whatever survives a full collection is frozen (moved where the
collector never looks), so the next one walks only what became long-lived since. A sweep over
everything runs every fifteen minutes, so that cycles that became garbage after being frozen are
still reclaimed.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

SWEEP_EVERY = 900.0  # seconds
# A young collection every 20,000 allocations, not CPython's 700: a committed entry allocates a
# few hundred objects, so the default ran one nearly every op (issue 19: scenario 9's CPU per
# frame about a tenth lower). Each walks only the young objects, which a live op frees itself.
YOUNG = (20_000, 20, 20)
CPYTHON_DEFAULT = (700, 10, 10)


def _freeze_survivors(phase: str, info: dict[str, Any]) -> None:
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()


def install() -> None:
    """Freeze the survivors of every full collection from now on, starting with this one."""
    if _freeze_survivors not in gc.callbacks:
        gc.callbacks.append(_freeze_survivors)
    gc.set_threshold(*YOUNG)
    sweep()


def uninstall() -> None:
    """Back to CPython's own schedule (tests)."""
    if _freeze_survivors in gc.callbacks:
        gc.callbacks.remove(_freeze_survivors)
    gc.set_threshold(*CPYTHON_DEFAULT)
    gc.unfreeze()


def sweep() -> None:
    """A full collection over everything, the frozen objects included; then freeze again."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


async def sweep_forever(every: float = SWEEP_EVERY) -> None:
    """The occasional full sweep (a lifespan job)."""
    while True:
        await asyncio.sleep(every)
        sweep()
