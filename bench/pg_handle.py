"""Scenario 9's op on PostgreSQL in-process: `MeetingService.handle` for an entry, timed with no
sockets, no clients and no fan-out, at the scenario's pace (20 meetings, an entry every 12.5 ms
round-robin), on the short way once each meeting's state is held. Beside `bench.pg_floor` (the
database's round trip alone) and scenario 9 (the whole path), it tells where the latency goes.
Run: `python -m bench.pg_handle [SECONDS]` → JSON on stdout (a fresh database, dropped after).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import uuid
from typing import Any

import httpx

from bench import pair
from bench.loadgen import FILLER, PASSWORD, USERNAME, percentiles

MEETINGS = 20
INTERVAL = 0.25 / MEETINGS  # scenario 9: an entry every 0.25 s in each meeting
BASE = "http://127.0.0.1:9"


async def _timed(seconds: float) -> dict[str, Any]:
    from app.config import Settings
    from app.main import create_app
    from app.meetings import schemas as s
    from app.meetings.service import MeetingService

    app = create_app(Settings(public_url=BASE, _env_file=None))  # type: ignore[call-arg]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url=BASE, headers={"Origin": BASE}
        ) as http:
            login = await http.post(
                "/api/session", json={"username": USERNAME, "password": PASSWORD}
            )
            login.raise_for_status()
            cookie = login.cookies["avoin_session"]
            service: MeetingService = app.state.service
            meetings = []
            for _ in range(MEETINGS):
                made = await http.post("/api/meetings", json={"title": "Mitattava"})
                made.raise_for_status()
                meeting_id = made.json()["id"]
                chair = await service.authenticate(
                    meeting_id, participant_token=None, session_token=cookie, screen_token=None
                )
                assert chair is not None
                meetings.append((meeting_id, chair.id))
            times: list[float] = []

            async def entry(meeting_id: str, chair: str, kept: bool) -> None:
                op = s.EntryAdd(op="entry.add", id=uuid.uuid4().hex, phase="opening", text=FILLER)
                started = time.perf_counter()
                await service.handle(meeting_id, chair, op)
                if kept:
                    times.append((time.perf_counter() - started) * 1000)

            for meeting_id, chair in meetings:  # each meeting's state is then held
                await entry(meeting_id, chair, kept=False)
            loop = asyncio.get_running_loop()
            tasks = []
            n = 0
            end = loop.time() + seconds
            while loop.time() < end:
                meeting_id, chair = meetings[n % MEETINGS]
                tasks.append(asyncio.ensure_future(entry(meeting_id, chair, kept=True)))
                n += 1
                await asyncio.sleep(INTERVAL)
            await asyncio.gather(*tasks)
    return {"handle_ms": percentiles(times)}


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    with pair.postgres_database() as env:
        os.environ.update(env)
        print(json.dumps(asyncio.run(_timed(seconds))))


if __name__ == "__main__":
    main()
