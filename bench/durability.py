"""Scenario 7: durable entries per second on SQLite and on PostgreSQL, one meeting and many.

The durable path without the socket: `MeetingService.handle` (validate against the state, append
the event under the meeting's unique seq, project the entry, commit, ring the fan-out) called by
concurrent writers in this one process, which the live bench pins to the server's core. The
socket's per-connection rate limit (20 ops/s) is not in the way, so this is what the database
path itself sustains. Run: `python -m bench.durability SECONDS MEETINGS...` → JSON on stdout.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

from app.config import Settings
from app.errors import AppError
from app.main import create_app
from app.meetings import schemas as s
from app.meetings.service import MeetingService
from bench.loadgen import FILLER, PASSWORD, USERNAME, percentiles
from tests.conftest import add_users, migrated_sqlite
from tests.production import drop_database, new_database

BASE = "http://127.0.0.1:9"
FULL = "The record is full."
WRITERS_PER_MEETING_ALONE = 4  # one meeting: enough writers to keep its queue full


@asynccontextmanager
async def chaired_meetings(
    url: str, meetings: int
) -> AsyncIterator[tuple[MeetingService, dict[str, str]]]:
    """The application in this process on `url`, with `meetings` new meetings: its service and
    each meeting's chair (meeting id → participant id), made through the API as a worker would."""
    app = create_app(Settings(env="test", database_url=url, public_url=BASE, secret_key="d" * 40))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url=BASE, headers={"Origin": BASE}
        ) as http:
            answer = await http.post(
                "/api/session", json={"username": USERNAME, "password": PASSWORD}
            )
            answer.raise_for_status()
            cookie = answer.cookies["avoin_session"]
            ids = []
            for k in range(meetings):
                made = await http.post(
                    "/api/meetings",
                    json={"title": f"Kestävyys {k}", "frame": "hypothesis"},
                    cookies={"avoin_session": cookie},
                )
                made.raise_for_status()
                ids.append(made.json()["id"])
        service: MeetingService = app.state.service
        chairs = {}
        for meeting_id in ids:
            chair = await service.authenticate(
                meeting_id, participant_token=None, session_token=cookie, screen_token=None
            )
            assert chair is not None
            chairs[meeting_id] = chair.id
        yield service, chairs


async def measure(url: str, meetings: int, seconds: float) -> dict[str, Any]:
    """Entries committed per second by writers in `meetings` meetings at once."""
    async with chaired_meetings(url, meetings) as (service, chairs):
        ids = list(chairs)
        latencies: list[float] = []
        finished: list[float] = []  # when each entry was committed (the loop's clock)
        errors = 0
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds

        stopped = end

        async def writer(meeting_id: str) -> None:
            nonlocal errors, stopped
            while loop.time() < end:
                op = s.EntryAdd(op="entry.add", id=uuid.uuid4().hex, phase="opening", text=FILLER)
                started = time.perf_counter()
                try:
                    await service.handle(meeting_id, chairs[meeting_id], op)
                except AppError as err:
                    if err.message == FULL:
                        # A record holds at most MAX_ENTRIES: one meeting fills it within the
                        # run on a fast machine. The rate is measured until then.
                        stopped = min(stopped, loop.time())
                        return
                    errors += 1
                    continue
                except Exception:
                    errors += 1
                    continue
                latencies.append((time.perf_counter() - started) * 1000)
                finished.append(loop.time())

        per = WRITERS_PER_MEETING_ALONE if meetings == 1 else 1
        started = loop.time()
        cpu = time.process_time()
        await asyncio.gather(*(writer(m) for m in ids for _ in range(per)))
        cpu = time.process_time() - cpu
        elapsed = min(loop.time(), stopped) - started
    return {
        "meetings": meetings,
        # Until the first record filled up: after it, fewer writers are left.
        "entries_per_s": sum(1 for at in finished if at <= started + elapsed) / elapsed,
        # The process's CPU (every thread) per committed entry: `MeetingService.handle` and the
        # writers' own loop around it (making the op), so an upper bound of the op's cost.
        "cpu_us_per_entry": cpu / max(1, len(latencies)) * 1e6,
        "commit": percentiles(latencies),
        "errors": errors,
    }


async def main(seconds: float, shapes: list[int]) -> dict[str, Any]:
    """Every shape on a fresh SQLite database and a fresh PostgreSQL database."""
    results: dict[str, Any] = {"sqlite": [], "postgresql": []}
    for meetings in shapes:
        with tempfile.TemporaryDirectory() as tmp:
            url = migrated_sqlite(Path(tmp))
            add_users(url, USERNAME)
            results["sqlite"].append(await measure(url, meetings, seconds))
        name, url = new_database()
        try:
            from app.cli import migrate

            migrate(url)
            add_users(url, USERNAME)
            results["postgresql"].append(await measure(url, meetings, seconds))
        finally:
            drop_database(name)
    return results


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(float(sys.argv[1]), [int(a) for a in sys.argv[2:]]))))
