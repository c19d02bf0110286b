"""Scenario 5: scenario 1 with one frozen phone per meeting.

After the setup and the warm-up, one phone of each meeting stops reading its socket
(`transport.pause_reading()`: its kernel buffer fills, then the server's). The scribes go on
drafting and adding entries. Measured: the other sockets' draft and commit latency while the
phones are frozen (to compare with scenario 1), the close codes of everyone else (the scribe must
never be disconnected), and when the server cut each frozen phone off: the time from freezing
until the phone's TCP socket leaves ESTABLISHED (the server closed or reset it; read with
TCP_INFO, as the frozen client cannot read a close frame), and the close code it finds when it
reads again at the end (1006: no close frame reached it).
"""

from __future__ import annotations

import asyncio
import collections
import socket
import time
from typing import TYPE_CHECKING, Any

from bench.loadgen import GC_CLOCK, cpu_seconds, percentiles, quiet_gc

if TYPE_CHECKING:
    from bench.loadgen import Client, Generator

ESTABLISHED = 1  # tcpi_state, the first byte of struct tcp_info
POLL = 0.25


def tcp_state(client: Client) -> int:
    """The kernel's TCP state of the client's socket (0 when it has none any more)."""
    if client.ws is None:
        return 0
    sock = client.ws.underlying_transport.get_extra_info("socket")
    if sock is None:
        return 0
    try:
        return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0]
    except OSError:
        return 0


async def slow_consumer(gen: Generator, spec: dict[str, Any]) -> dict[str, Any]:
    """Freeze a phone per meeting; the others' latency and who got cut off when."""
    made = await gen.setup(spec["meetings"], spec["phones"])
    stop = asyncio.Event()
    loops = [asyncio.create_task(gen._scribe(m, spec, stop)) for m in made]
    loops += [asyncio.create_task(gen._chair(m, spec, stop)) for m in made]
    await asyncio.sleep(spec["warmup"])
    frozen = [m.phones[-1] for m in made]
    stats = gen.stats
    stats.reset()
    stats.closes_by_role.clear()
    cut: dict[Client, float] = {}
    with quiet_gc(gen.gc_quiet):
        GC_CLOCK.take()
        cpu0, own0 = cpu_seconds(gen.server_pid), time.process_time()
        for c in frozen:
            c.frozen = True
            assert c.ws is not None
            c.ws.underlying_transport.pause_reading()
        frozen_at = time.perf_counter()
        stats.recording = True
        while time.perf_counter() - frozen_at < spec["max_wait"] and len(cut) < len(frozen):
            await asyncio.sleep(POLL)
            now = time.perf_counter()
            for c in frozen:
                if c not in cut and tcp_state(c) != ESTABLISHED:
                    cut[c] = now - frozen_at
        stats.recording = False
        elapsed = time.perf_counter() - frozen_at
        cpu1, own1 = cpu_seconds(gen.server_pid), time.process_time()
    others = {
        "draft": percentiles(stats.draft_ms),
        "commit": percentiles(stats.commit_ms),
        "frames_per_s": stats.frames / elapsed,
    }
    closes_others = {
        k: v for k, v in stats.closes_by_role.items() if not k.startswith("phone-frozen")
    }
    stop.set()
    await asyncio.gather(*loops, return_exceptions=True)
    # Let the frozen phones read again: a cut one finds its close frame (or none), the rest go on.
    for c in frozen:
        if c.ws is not None:
            c.ws.underlying_transport.resume_reading()
    await asyncio.sleep(spec["after"])
    codes: collections.Counter[str] = collections.Counter()
    for c in frozen:
        done = c.closed is not None and c.closed.done()
        codes[str(c.close_code) if done else "open"] += 1
    times = sorted(cut.values())
    return {
        "meetings": len(made),
        "sockets": sum(len(m.clients) for m in made),
        "frozen": len(frozen),
        "window_s": elapsed,
        "others": others,
        "server_cpu": (cpu1 - cpu0) / elapsed,
        "loadgen_cpu": (own1 - own0) / elapsed,
        "loadgen_gc": GC_CLOCK.take(),
        "cut": len(cut),
        "cut_s": {
            "first": times[0] if times else float("nan"),
            "median": times[len(times) // 2] if times else float("nan"),
            "last": times[-1] if times else float("nan"),
        },
        "all_cut": len(cut) == len(frozen),
        "frozen_close_codes": dict(codes),
        "closes_others": closes_others,
        "scribe_closes": sum(v for k, v in closes_others.items() if k.startswith("scribe")),
        "errors": dict(stats.errors),
    }
