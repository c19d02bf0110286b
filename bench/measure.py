"""What the live bench measures besides latency: CPU and memory of a process from /proc,
percentiles, and the load generator's own garbage-collector pauses."""

from __future__ import annotations

import contextlib
import gc
import os
import time
from typing import Any

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process (all its threads), from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    """Resident memory of a process, from /proc."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def percentiles(values_ms: list[float]) -> dict[str, float]:
    """p50, p99, p99.9 and max of a list of milliseconds (and how many there were)."""
    if not values_ms:
        return {"n": 0, "p50": float("nan"), "p99": float("nan"), "p999": float("nan"), "max": 0}
    ordered = sorted(values_ms)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "n": len(ordered),
        "p50": at(0.50),
        "p99": at(0.99),
        "p999": at(0.999),
        "max": ordered[-1],
    }


class GcClock:
    """The generator's own collector pauses (gc.callbacks), so that its tails can be told apart
    from the server's: how many collections and how long the longest took, per window."""

    def __init__(self) -> None:
        self.started = 0.0
        self.pauses: list[float] = []
        gc.callbacks.append(self.tick)

    def tick(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.pauses.append((time.perf_counter() - self.started) * 1000)

    def take(self) -> dict[str, float]:
        pauses, self.pauses = self.pauses, []
        return {"collections": len(pauses), "max_ms": max(pauses, default=0.0)}


GC_CLOCK = GcClock()


@contextlib.contextmanager
def quiet_gc(enabled: bool = True) -> Any:
    """No collector pauses inside a measured window: collect and freeze what the setup made, then
    disable the collector until the window ends (unfreeze and collect again after it).

    What it changed (scenario 1, baseline (a), size 1, twice each way, on a quiet machine):
    nothing measurable. With the collector left on, it did not run once in a 10 s window
    (`loadgen_gc` in the results: the frames the clients parse are freed at once, so the count
    of live containers never reaches a collection), and draft p99 was 5–10 ms either way, against
    the ~120 ms p99 of the earlier docs/benchmarks.md run. Those tails were not the generator's
    collector; CPU taken by other processes on the two cores is the likelier cause. It is kept
    on so that no collector pause can ever land in a window, and `loadgen_gc` records any."""
    if not enabled:
        yield
        return
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()
