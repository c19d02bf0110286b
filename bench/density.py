"""Scenario 4: density. Idle sockets with keepalive, raised step by step to 15,000.

Every socket says `hello`, gets its `welcome` and then stays idle; the server pings it at its
configured interval (app/server.py: 15 s; the baselines alike) and the client answers (the
`picows` client answers pings by itself and sends none of its own).
Measured: the server's resident memory at each step, its growth over the sockets opened (memory
per socket; kernel socket buffers are not in RSS), and the server's CPU over an idle window of
one ping interval with every socket open (the keepalive's cost).

Avoin: the phones join their meetings over HTTP (`bench.rawhttp`, so that the generator is not
the limit) and wait in the lobby: an open, welcomed socket that receives no room traffic, so no
presence lists of hundreds of names go to every socket while 15,000 connect. Joins cost the
server about 5 ms each (a durable `participant.joined`), so each joined credential opens up to
`tabs` sockets (Avoin's cap per credential is 5: a phone with a few tabs): 15,000 sockets take
3,000 joins. The memory is measured after the joins, so it is the sockets' own.
"""

from __future__ import annotations

import asyncio
import math
import time
from typing import TYPE_CHECKING, Any

from bench.loadgen import Client, Meeting, cpu_seconds, rss_bytes
from bench.rawhttp import Pool

if TYPE_CHECKING:
    from bench.loadgen import Generator


async def density(gen: Generator, spec: dict[str, Any]) -> dict[str, Any]:
    """Open idle sockets step by step: memory per socket; then keepalive CPU at the top."""
    top = spec["steps"][-1]
    tabs = spec["tabs"] if gen.system == "avoin" else 1
    credentials = math.ceil(top / tabs)
    # The same number of meetings for every system: Avoin's cap of participants decides it.
    rooms = math.ceil(top / (spec["tabs"] * spec["per_meeting"]))
    meetings = [Meeting(gen.rooms + i) for i in range(rooms)]
    gen.rooms += len(meetings)
    started = time.perf_counter()
    people = [Client(gen, meetings[k % len(meetings)], "phone", "") for k in range(credentials)]
    if gen.system == "avoin":
        await _join(gen, meetings, people)
    else:
        for m in meetings:
            m.id = f"room{m.index}"
        for k, person in enumerate(people):
            person.who = f"d{k}"
    joined_s = time.perf_counter() - started
    sockets: list[Client] = []
    for tab in range(tabs):
        for person in people:
            client = person if tab == 0 else Client(gen, person.meeting, "phone", person.who)
            client.cookies = person.cookies
            sockets.append(client)
    sockets = sockets[:top]
    for c in sockets:
        c.meeting.phones.append(c)
    gen.meetings.extend(meetings)
    await asyncio.sleep(spec["settle"])
    rss0 = rss_bytes(gen.server_pid)
    steps = []
    opened = 0
    gate = asyncio.Semaphore(64)

    async def open_(c: Client) -> None:
        async with gate:
            await c.connect(0)

    for target in spec["steps"]:
        t0, cpu0 = time.perf_counter(), cpu_seconds(gen.server_pid)
        await asyncio.gather(*(open_(c) for c in sockets[opened:target]))
        open_s, cpu = time.perf_counter() - t0, cpu_seconds(gen.server_pid) - cpu0
        await asyncio.sleep(spec["settle"])
        rss = rss_bytes(gen.server_pid)
        steps.append(
            {
                "sockets": target,
                "rss_mib": rss / 2**20,
                "per_socket_kib": (rss - rss0) / target / 1024,
                "open_s": open_s,
                "server_ms_per_open": cpu / max(1, target - opened) * 1000,
            }
        )
        opened = target
    cpu0, own0, t0 = cpu_seconds(gen.server_pid), time.process_time(), time.perf_counter()
    await asyncio.sleep(spec["idle_seconds"])
    elapsed = time.perf_counter() - t0
    idle_cpu = (cpu_seconds(gen.server_pid) - cpu0) / elapsed
    still = sum(1 for c in sockets if c.open)
    return {
        "sockets": top,
        "meetings": len(meetings),
        "joins": credentials if gen.system == "avoin" else 0,
        "tabs": tabs,
        "join_s": joined_s,
        "rss0_mib": rss0 / 2**20,
        "steps": steps,
        "per_socket_kib": steps[-1]["per_socket_kib"],
        "idle_seconds": elapsed,
        "keepalive_cpu_pct": idle_cpu * 100,
        "loadgen_cpu": (time.process_time() - own0) / elapsed,
        "open_at_end": still,
        "closes": dict(gen.stats.closes),
    }


async def _join(gen: Generator, meetings: list[Meeting], people: list[Client]) -> None:
    """Make the meetings and let every credential knock (they wait in the lobby)."""
    await gen.login()
    pool = Pool(gen.base, 32)
    try:
        await asyncio.gather(*(gen.create(pool, m) for m in meetings))
        for m in meetings:
            m.chair = None  # nobody chairs: no socket is admitted, no presence goes out
        await asyncio.gather(*(gen.join(pool, p, f"Puhelin {k}") for k, p in enumerate(people)))
    finally:
        pool.close()
