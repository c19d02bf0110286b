"""Scenario 9's op on PostgreSQL in-process: `MeetingService.handle` for an entry, timed with no
sockets, no clients and no fan-out, at the scenario's pace (20 meetings, an entry every 12.5 ms
round-robin), on the short way once each meeting's state is held. Beside `bench.pg_floor` (the
database's round trip alone) and scenario 9 (the whole path), it tells where the latency goes.
Run: `python -m bench.pg_handle [SECONDS]` → JSON on stdout (a fresh database, dropped after).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid
from typing import Any

from app.meetings import schemas as s
from bench import pair
from bench.durability import chaired_meetings
from bench.loadgen import FILLER, percentiles

MEETINGS = 20
INTERVAL = 0.25 / MEETINGS  # scenario 9: an entry every 0.25 s in each meeting


async def timed(url: str, seconds: float) -> dict[str, Any]:
    """The op's wall time (ms) at scenario 9's pace, after each meeting's first entry."""
    async with chaired_meetings(url, MEETINGS) as (service, chairs):
        times: list[float] = []

        async def entry(meeting_id: str, kept: bool) -> None:
            op = s.EntryAdd(op="entry.add", id=uuid.uuid4().hex, phase="opening", text=FILLER)
            started = time.perf_counter()
            await service.handle(meeting_id, chairs[meeting_id], op)
            if kept:
                times.append((time.perf_counter() - started) * 1000)

        meetings = list(chairs)
        for meeting_id in meetings:  # the long way once: each meeting's state is then held
            await entry(meeting_id, kept=False)
        loop = asyncio.get_running_loop()
        tasks = []
        end = loop.time() + seconds
        while loop.time() < end:
            meeting_id = meetings[len(tasks) % MEETINGS]
            tasks.append(asyncio.ensure_future(entry(meeting_id, kept=True)))
            await asyncio.sleep(INTERVAL)
        await asyncio.gather(*tasks)
    return {"handle_ms": percentiles(times)}


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    with pair.postgres_database() as env:
        print(json.dumps(asyncio.run(timed(env["AVOIN_DATABASE_URL"], seconds))))


if __name__ == "__main__":
    main()
