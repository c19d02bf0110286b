"""Scenario 3b: a ramp of live edits. The writers' `draft` ops (relayed, never stored) raised
every few seconds until draft-to-screen p99 > 100 ms, a backlog, or the generator's own limit.
The verdicts are the entries ramp's; a step that fails is run once more, and the ramp stops only
if it fails again (this scenario runs once per system, so one stall of the machine should not
decide it; the first try is kept in the results).

Every meeting has two writers, the chair and the scribe, both drafting, and its phones reading.
Avoin coalesces a writer's drafts to at most ten a second per socket (DRAFT_INTERVAL in
app/meetings/live.py), so the bench has enough writers that the top step asks ≤ 10 a second of
each; what counts is the drafts *delivered* to the phones per second, not those offered. The
writers receive each other's drafts too (the server's work), but the generator does not parse
them (`Client.mute_drafts`), so that its CPU goes to the phones' measurements.
"""

from __future__ import annotations

import asyncio
import random
import time
from typing import TYPE_CHECKING, Any

from bench.loadgen import FILLER, PHASE, cpu_seconds, percentiles, quiet_gc

if TYPE_CHECKING:
    from bench.loadgen import Client, Generator

TAIL = 0.5  # seconds after a step in which arriving drafts still count
LATE = 0.2  # drafts arriving later than this after the last send are a backlog


async def draft_ramp(gen: Generator, spec: dict[str, Any]) -> dict[str, Any]:
    """Raise the offered drafts/s step by step; each step's latency, delivery and verdict."""
    made = await gen.setup(spec["meetings"], spec["phones"])
    writers = [c for m in made for c in (m.chair, m.scribe) if c is not None]
    for c in writers:
        c.mute_drafts = True
    phones = sum(len(m.phones) for m in made)
    gen.stats.draft_roles = frozenset({"phone"})
    steps: list[dict[str, Any]] = []
    try:
        for rate in spec["rates"]:
            step = await _step(gen, writers, phones / len(made), rate, spec["step_seconds"])
            if step["verdict"] != "ok":
                # Once more before giving up: this scenario runs once, not three times, and a
                # single stall of the machine should not end it (both tries are kept).
                again = await _step(gen, writers, phones / len(made), rate, spec["step_seconds"])
                again["first_try"] = step
                step = again
            steps.append(step)
            if step["verdict"] != "ok":
                break
    finally:
        gen.stats.draft_roles = frozenset({"chair", "phone"})
    passing = [s for s in steps if s["verdict"] == "ok"]
    tight = [s for s in passing if s["draft"]["p99"] <= 20]
    return {
        "meetings": len(made),
        "writers": len(writers),
        "phones": phones,
        "steps": steps,
        "sustained": max((s["delivered_per_s"] for s in passing), default=0),
        "sustained_offered": max((s["rate"] for s in passing), default=0),
        "sustained_p99_20ms": max((s["delivered_per_s"] for s in tight), default=0),
        "stopped_by": steps[-1]["verdict"] if steps else "",
        "last_p99": steps[-1]["draft"]["p99"] if steps else float("nan"),
        "errors": dict(gen.stats.errors),
    }


async def _step(
    gen: Generator, writers: list[Client], phones_per_meeting: float, rate: float, seconds: float
) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    interval = len(writers) / rate
    stats = gen.stats
    stats.reset()
    errors0 = sum(stats.errors.values())
    sent = late = 0
    start = loop.time() + 0.05
    end = start + seconds

    async def write(c: Client, offset: float) -> None:
        nonlocal sent, late
        due = start + offset
        typed = random.randrange(60)
        while due < end:
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            elif -delay > interval:
                late += 1
            typed += 1
            now = time.perf_counter_ns()
            c.send({"op": "draft", "phase": PHASE, "text": f"{now} {FILLER[: typed % 60]}"})
            sent += 1
            due += interval

    with quiet_gc(gen.gc_quiet):
        cpu0, own0 = cpu_seconds(gen.server_pid), time.process_time()
        stats.recording = True
        await asyncio.gather(*(write(c, random.uniform(0, interval)) for c in writers))
        elapsed = loop.time() - start
        cpu1, own1 = cpu_seconds(gen.server_pid), time.process_time()
        await asyncio.sleep(LATE)
        stats.tail = True  # from here on, what arrives was queued somewhere
        await asyncio.sleep(TAIL - LATE)
        stats.recording = False
    errors = sum(stats.errors.values()) - errors0
    draft = percentiles(stats.draft_ms)
    delivered = stats.phone_drafts / phones_per_meeting / elapsed
    backlog = stats.tail_drafts / phones_per_meeting
    loadgen_cpu = (own1 - own0) / elapsed
    verdict = "ok"
    if late > 0.1 * sent or loadgen_cpu > 0.95:
        verdict = "generator-bound"
    elif errors > 0.01 * sent:
        verdict = "errors"
    elif backlog > max(20, 0.05 * rate):
        verdict = "backlog"
    elif not draft["p99"] <= 100:
        verdict = "p99>100ms"
    return {
        "rate": rate,
        "sent_per_s": sent / elapsed,
        "delivered_per_s": delivered,
        "per_writer_hz": rate / len(writers),
        "backlog": backlog,
        "errors": errors,
        "draft": draft,
        "frames_per_s": stats.frames / elapsed,
        "server_cpu": (cpu1 - cpu0) / elapsed,
        "loadgen_cpu": loadgen_cpu,
        "verdict": verdict,
    }
