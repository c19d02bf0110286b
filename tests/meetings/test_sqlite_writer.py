"""On SQLite, a knock and an op are written on the event loop when the write lock is free, and in a
worker thread when another connection holds it: the loop never waits for the lock."""

from __future__ import annotations

import asyncio
import threading
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from app.config import Settings
from app.db import transaction
from app.main import create_app
from app.meetings import schemas as s
from tests.conftest import PASSWORD, add_users, migrated_sqlite

BASE = "http://127.0.0.1:9"


async def test_a_knock_and_an_op_wait_in_a_thread_while_another_writer_holds_the_lock(
    tmp_path: Path,
) -> None:
    url = migrated_sqlite(tmp_path)
    add_users(url, "kalle")
    app = create_app(Settings(env="test", database_url=url, public_url=BASE, secret_key="k" * 40))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=BASE, headers={"Origin": BASE}
        ) as http:
            login = await http.post(
                "/api/session", json={"username": "kalle", "password": PASSWORD}
            )
            cookie = login.cookies["avoin_session"]
            http.cookies.set("avoin_session", cookie)
            made = await http.post("/api/meetings", json={"title": "Lukko", "frame": "hypothesis"})
        meeting, code = made.json()["id"], made.json()["join_code"]
        service = app.state.service
        chair = await service.authenticate(
            meeting, participant_token=None, session_token=cookie, screen_token=None
        )

        # With the lock free, both are written at once, on the loop.
        first, _ = await service.join(meeting, code, "Aino", "äiti", True)
        assert first["name"] == "Aino"

        taken, release = threading.Event(), threading.Event()

        def hold() -> None:
            with transaction(app.state.engine) as session:
                session.execute(text("UPDATE meeting SET title = title"))
                taken.set()
                release.wait(10)

        # The knock reached a worker thread (the loop's own try found the lock); the op waits
        # behind it for the meeting (ops and knocks of one meeting go one at a time).
        in_thread = {"_join": threading.Event()}
        loop_thread = threading.current_thread()

        def seen_in_thread(name: str) -> Any:
            original = getattr(service, name)

            def write(*args: Any, **kwargs: Any) -> Any:
                if threading.current_thread() is not loop_thread:
                    in_thread[name].set()
                return original(*args, **kwargs)

            return write

        for name in in_thread:
            setattr(service, name, seen_in_thread(name))
        holder = threading.Thread(target=hold)
        holder.start()
        assert await asyncio.to_thread(taken.wait, 10)
        knock = asyncio.create_task(service.join(meeting, code, "Eero", "", False))
        entry = s.EntryAdd(op="entry.add", id=uuid.uuid4().hex, phase="opening", text="Hei")
        op = asyncio.create_task(service.handle(meeting, chair.id, entry))
        # The knock waits for the lock in a worker thread, and the loop goes on meanwhile (it
        # runs these waits).
        for name, reached in in_thread.items():
            assert await asyncio.to_thread(reached.wait, 10), f"{name} never reached a thread"
        assert not knock.done() and not op.done()
        release.set()
        second, _ = await asyncio.wait_for(knock, 10)
        stored, fresh = await asyncio.wait_for(op, 10)
        await asyncio.to_thread(holder.join, 10)
        assert second["name"] == "Eero" and fresh and stored.name == "entry.added"
        state = (await service.state(meeting))[1]
        assert {p.name for p in state.participants.values()} >= {"Aino", "Eero"}

        # The loop's held connection, refused its BEGIN while the lock was taken, is made anew:
        # the next knock and op are written on the loop again.
        in_thread["_join"].clear()
        third, _ = await service.join(meeting, code, "Sanni", "", False)
        assert third["name"] == "Sanni" and not in_thread["_join"].is_set()
        again = s.EntryAdd(op="entry.add", id=uuid.uuid4().hex, phase="opening", text="Taas")
        stored, fresh = await service.handle(meeting, chair.id, again)
        assert fresh and stored.name == "entry.added"
        state = (await service.state(meeting))[1]
        assert [e.text for e in state.entries.values()] == ["Hei", "Taas"]
