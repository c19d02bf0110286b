"""The resume target: a phone that was away while 1,000 events were recorded comes back.

One meeting of a chair, a scribe and one phone. The phone drops its socket; the chair and the
scribe then record `missed` entries between them (each from several sockets of their own, since
Avoin limits every socket to 20 ops a second), every one acknowledged. The phone reconnects and
says `hello` with the last seq it saw; measured is the time from opening the socket until it has
the meeting's head (Avoin answers a gap this long with one snapshot of the record; the relays
send the missed events). Repeated `rounds` times, 1,000 more events each time.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from bench.loadgen import FILLER, PHASE, Client, cpu_seconds, percentiles

if TYPE_CHECKING:
    from bench.loadgen import Generator

TABS = 5  # sockets per writer (Avoin's cap per credential), each with its own rate limit


async def resume(gen: Generator, spec: dict[str, Any]) -> dict[str, Any]:
    """Time for a returning phone to reach the head after `missed` events."""
    (m,) = await gen.setup(1, 1)
    assert m.chair is not None and m.scribe is not None
    phone = m.phones[0]
    writers: list[Client] = []
    for person in (m.chair, m.scribe):
        writers.append(person)
        for _ in range(TABS - 1):
            tab = Client(gen, m, person.role, person.who)
            tab.cookies = dict(person.cookies)
            await tab.connect(0)
            writers.append(tab)
    times: list[float] = []
    cpu: list[float] = []
    share = spec["missed"] // len(writers)

    async def write(c: Client, count: int) -> None:
        for k in range(count):
            await c.paced({"op": "entry.add", "phase": PHASE, "text": f"{k} {FILLER}"})

    for _ in range(spec["rounds"]):
        phone.abort()
        assert phone.closed is not None
        await phone.closed
        await asyncio.gather(*(write(c, share) for c in writers))
        head = max(c.last_seq for c in writers)
        phone.target_seq, phone.caught = head, asyncio.Event()
        cpu0 = cpu_seconds(gen.server_pid)
        started = time.perf_counter()
        await phone.connect(phone.last_seq)
        await asyncio.wait_for(phone.caught.wait(), 30)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((cpu_seconds(gen.server_pid) - cpu0) * 1000)
    return {
        "missed": share * len(writers),
        "rounds": len(times),
        "caught_up_ms": percentiles(times),
        "server_cpu_ms": percentiles(cpu),
    }
