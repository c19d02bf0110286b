"""PostgreSQL's short way for an op (app/pipelined.py): when the process holds the meeting's
state, the op's writes and its commit go in one round trip from the event loop; whenever that
state may be stale, the database refuses and the op goes the long way. Real PostgreSQL, two
application instances on one database where another instance matters."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
import pytest
from sqlmodel import Session

from app.cli import migrate
from app.config import Settings
from app.db import make_engine
from app.errors import AppError
from app.main import create_app
from app.meetings import repository as repo
from app.meetings import schemas as s
from app.meetings.service import MeetingService
from app.pipelined import Late, PipelinedWriter, Refused
from app.prepared import Batch, NeedsDatabase, Prepared
from tests.conftest import PASSWORD, add_users, require_production_services
from tests.production import drop_database, new_database

BASE = "http://127.0.0.1:9"


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    require_production_services()
    name, url = new_database()
    try:
        migrate(url)
        add_users(url, "kalle")
        yield url
    finally:
        drop_database(name)


@dataclass
class Instance:
    """One application on the database, its service's long way counted."""

    service: MeetingService
    http: httpx.AsyncClient
    cookie: str
    long_way: list[str] = field(default_factory=list)

    async def meeting(self) -> tuple[str, str]:
        """A new meeting and its chair's participant id."""
        made = await self.http.post(
            "/api/meetings", json={"title": "Putkessa", "frame": "hypothesis"}
        )
        made.raise_for_status()
        meeting_id = made.json()["id"]
        chair = await self.service.authenticate(
            meeting_id,
            participant_token=None,
            session_token=self.cookie,
            screen_token=None,
        )
        assert chair is not None
        return meeting_id, chair.id

    async def add(self, meeting_id: str, chair: str, text: str, op_id: str = "") -> Any:
        op = s.EntryAdd(op="entry.add", id=op_id or uuid.uuid4().hex, phase="opening", text=text)
        return await self.service.handle(meeting_id, chair, op)


@asynccontextmanager
async def instance(url: str) -> AsyncIterator[Instance]:
    app = create_app(Settings(env="test", database_url=url, public_url=BASE, secret_key="p" * 40))
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(app.router.lifespan_context(app))
        http = await stack.enter_async_context(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url=BASE, headers={"Origin": BASE}
            )
        )
        login = await http.post("/api/session", json={"username": "kalle", "password": PASSWORD})
        login.raise_for_status()
        service: MeetingService = app.state.service
        it = Instance(service, http, login.cookies["avoin_session"])
        apply_once = service._apply_once

        def counted(meeting_id: str, *args: Any, **kwargs: Any) -> Any:
            it.long_way.append(meeting_id)
            return apply_once(meeting_id, *args, **kwargs)

        service._apply_once = counted  # type: ignore[method-assign]
        yield it


def log_of(url: str, meeting_id: str) -> list[tuple[int, str]]:
    with psycopg.connect(url.replace("postgresql://", "postgresql://", 1)) as conn:
        rows = conn.execute(
            "SELECT seq, name FROM event WHERE meeting_id = %s ORDER BY seq", (meeting_id,)
        ).fetchall()
    return [(int(seq), str(name)) for seq, name in rows]


def texts_in_tables(url: str, meeting_id: str) -> list[str]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            state = repo.load_state(session, repo.get_meeting(session, meeting_id))
    finally:
        engine.dispose()
    return [e.text for e in state.entries.values()]


async def test_an_entry_on_a_held_meeting_goes_the_short_way(pg_url: str) -> None:
    async with instance(pg_url) as it:
        meeting_id, chair = await it.meeting()
        first, _ = await it.add(meeting_id, chair, "Ensimmäinen")  # reads the state
        assert it.long_way == [meeting_id]
        events = [await it.add(meeting_id, chair, f"Merkintä {k}") for k in range(5)]
        assert it.long_way == [meeting_id], "the held state's ops took the long way"
        assert [e.seq for e, fresh in events] == list(range(first.seq + 1, first.seq + 6))
        assert all(fresh for _, fresh in events)
        _seq, held = await it.service.state(meeting_id)
    log = log_of(pg_url, meeting_id)
    assert [seq for seq, _ in log] == list(range(1, len(log) + 1)), "the log has a gap"
    expected = ["Ensimmäinen", *(f"Merkintä {k}" for k in range(5))]
    assert texts_in_tables(pg_url, meeting_id) == expected
    assert [e.text for e in held.entries.values()] == expected


async def test_a_resend_on_the_short_way_gets_the_first_outcome(pg_url: str) -> None:
    async with instance(pg_url) as it:
        meeting_id, chair = await it.meeting()
        await it.add(meeting_id, chair, "Pitää tilan")
        first, fresh = await it.add(meeting_id, chair, "Kahdesti", op_id="sama-op")
        again, fresh_again = await it.add(meeting_id, chair, "Kahdesti", op_id="sama-op")
    assert fresh and not fresh_again
    assert again.seq == first.seq and again.wire == first.wire
    assert texts_in_tables(pg_url, meeting_id) == ["Pitää tilan", "Kahdesti"]


async def test_another_instances_write_sends_the_op_the_long_way(pg_url: str) -> None:
    """Both instances hold the meeting's state; one writes; the other's next op finds its seq
    taken, writes nothing on the short way, reads the state afresh and lands after it."""
    async with instance(pg_url) as a, instance(pg_url) as b:
        meeting_id, chair = await a.meeting()
        await a.add(meeting_id, chair, "A:n ensimmäinen")
        await b.add(meeting_id, chair, "B:n ensimmäinen")
        await a.add(meeting_id, chair, "A:n toinen")  # held by A, one behind
        assert a.long_way == [meeting_id, meeting_id]
        await b.add(meeting_id, chair, "B:n toinen")
        _seq, held = await a.service.state(meeting_id)
    expected = ["A:n ensimmäinen", "B:n ensimmäinen", "A:n toinen", "B:n toinen"]
    assert texts_in_tables(pg_url, meeting_id) == expected
    log = log_of(pg_url, meeting_id)
    assert [seq for seq, _ in log] == list(range(1, len(log) + 1))
    assert [e.text for e in held.entries.values()] == expected


async def test_a_meeting_deleted_by_another_instance_takes_no_more_entries(pg_url: str) -> None:
    async with instance(pg_url) as a, instance(pg_url) as b:
        meeting_id, chair = await a.meeting()
        await a.add(meeting_id, chair, "Ennen poistoa")
        await b.service.delete(meeting_id, actor="user:kalle", role="worker")
        with pytest.raises(AppError) as refused:
            await a.add(meeting_id, chair, "Poiston jälkeen")
    assert refused.value.code == "not_found"
    assert log_of(pg_url, meeting_id) == []


async def test_connections_the_database_ended_are_replaced(pg_url: str) -> None:
    """The database ends every connection (a restart, an administrator): the next op is still
    committed, and the one after it goes the short way again."""
    async with instance(pg_url) as it:
        meeting_id, chair = await it.meeting()
        await it.add(meeting_id, chair, "Ennen katkoa")
        await it.add(meeting_id, chair, "Lyhyttä tietä")
        name = pg_url.rsplit("/", 1)[1]
        with psycopg.connect(pg_url, autocommit=True) as admin:
            ended = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            ).fetchone()
        assert ended is not None and ended[0] >= 1
        await it.add(meeting_id, chair, "Katkon jälkeen")
        before = len(it.long_way)
        await it.add(meeting_id, chair, "Taas lyhyttä tietä")
        assert len(it.long_way) == before
    assert texts_in_tables(pg_url, meeting_id) == [
        "Ennen katkoa",
        "Lyhyttä tietä",
        "Katkon jälkeen",
        "Taas lyhyttä tietä",
    ]


def open_sockets() -> set[int]:
    """The numbers of the sockets this process has open."""
    fds = set()
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                fds.add(int(fd))
    return fds


async def test_the_next_socket_after_a_dropped_connection_is_served(pg_url: str) -> None:
    """The database drops the writer's connection while it is idle (a restart): libpq closes the
    socket, and the next socket given that number is still read by the event loop. (The loop kept
    watching the old number once: the next request or phone to get it was never answered.)"""
    engine = make_engine(pg_url)
    writer = PipelinedWriter(engine, connections=1)
    try:
        before = open_sockets()
        await writer.commit([("SELECT 1", [])], 5.0)
        theirs = open_sockets() - before
        assert len(theirs) == 1
        name = pg_url.rsplit("/", 1)[1]
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
        # Until the loop hears of it and libpq lets the socket go: nothing announces a process's
        # own socket closing, so the wait looks (with a timeout).
        async with asyncio.timeout(5):
            while theirs <= open_sockets():  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        ends = socket.socketpair()
        assert theirs & {end.fileno() for end in ends}, "the kernel gave the number to another"
        streams = [await asyncio.open_connection(sock=end) for end in ends]
        for (_, writes), (reads, _) in zip(streams, reversed(streams), strict=True):
            writes.write(b"!")
            async with asyncio.timeout(5):
                assert await reads.read(1) == b"!"
        for _, writes in streams:
            writes.close()
        await writer.commit([("SELECT 1", [])], 5.0)
    finally:
        await writer.close()
        engine.dispose()


SCRATCH = "CREATE TABLE IF NOT EXISTS pipelined_scratch (id integer PRIMARY KEY, note text)"


async def test_a_refused_statement_leaves_nothing_of_the_round_trip(pg_url: str) -> None:
    """Statements up to the Sync are one transaction: the first insert and the turn's lock are
    gone with the refused second, and the connection serves the next round trip."""
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(SCRATCH)
        admin.execute("INSERT INTO pipelined_scratch VALUES (1, 'ennestään')")
    engine = make_engine(pg_url)
    writer = PipelinedWriter(engine, connections=1)
    insert = "INSERT INTO pipelined_scratch (id, note) VALUES ($1::INTEGER, $2::VARCHAR)"
    turn = repo.TAKE_TURN.bound(writer.dialect, {"meeting": "m_scratch"})
    try:
        with pytest.raises(Refused):
            await writer.commit([turn, (insert, [2, "uusi"]), (insert, [1, "tuplana"])], 5.0)
        with psycopg.connect(pg_url, autocommit=True) as admin:
            rows = admin.execute("SELECT id, note FROM pipelined_scratch ORDER BY id").fetchall()
            locks = admin.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database ="
                " (SELECT oid FROM pg_database WHERE datname = current_database())"
            ).fetchone()
        assert rows == [(1, "ennestään")]
        assert locks == (0,)
        await writer.commit([turn, (insert, [3, "seuraava"])], 5.0)
        with psycopg.connect(pg_url, autocommit=True) as admin:
            ids = admin.execute("SELECT id FROM pipelined_scratch ORDER BY id").fetchall()
        assert ids == [(1,), (3,)]
    finally:
        await writer.close()
        engine.dispose()
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute("DROP TABLE pipelined_scratch")


def test_a_batch_keeps_writes_and_refuses_reads() -> None:
    """Reads and the ORM need the database: a batch refuses them, and the op goes the long way."""
    engine = make_engine("postgresql://nobody@127.0.0.1:9/none")
    batch = Batch(PipelinedWriter(engine).dialect)
    repo.append_event(
        batch.session, "m_1", 7, name="entry.add", data={}, actor=None, op_id="o", at=repo_now()
    )
    assert len(batch.statements) == 1 and "$1" in batch.statements[0][0]
    with pytest.raises(NeedsDatabase):
        repo.head_seq(batch.session, "m_1")
    with pytest.raises(Exception, match="bind"):
        repo.get_meeting(batch.session, "m_1")
    assert isinstance(repo.TAKE_TURN, Prepared) and repo.TAKE_TURN.reads


def repo_now() -> Any:
    import datetime as dt

    return dt.datetime.now(dt.UTC)


async def test_a_stalled_database_is_given_up_at_the_deadline(pg_url: str) -> None:
    """The database stops answering with the connection open: the round trip is given up at the
    deadline (Late), its connection is not used again, and the next round trip gets a new one."""
    from tests.security.faultproxy import FaultProxy

    proxy = FaultProxy(5432).start()
    proxied = pg_url.replace(":5432/", f":{proxy.port}/")
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(SCRATCH)
    engine = make_engine(proxied)
    writer = PipelinedWriter(engine, connections=1)
    insert = "INSERT INTO pipelined_scratch (id, note) VALUES ($1::INTEGER, $2::VARCHAR)"
    try:
        await writer.commit([(insert, [10, "ennen"])], 5.0)
        proxy.stall()
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(Late):
            await writer.commit([(insert, [11, "jumissa"])], 0.5)
        assert 0.5 <= loop.time() - started < 2.0
        proxy.unstall(reset=True)
        await writer.commit([(insert, [12, "jälkeen"])], 5.0)
        with psycopg.connect(pg_url, autocommit=True) as admin:
            ids = admin.execute("SELECT id FROM pipelined_scratch ORDER BY id").fetchall()
        assert ids == [(10,), (12,)]
    finally:
        proxy.unstall(reset=False)
        await writer.close()
        engine.dispose()
        proxy.stop()
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute("DROP TABLE pipelined_scratch")


async def test_an_op_given_up_that_committed_is_still_published(pg_url: str) -> None:
    """The op's round trip outlives the deadline (another transaction holds the meeting's turn)
    and commits after it: its sender hears 'unavailable', the meeting waits until that is
    settled, and then the event is published, so the phones get it without waiting for the
    next one. The resend gets the same event."""
    async with instance(pg_url) as it:
        it.service.op_deadline = 0.5
        published: list[int] = []
        second = asyncio.Event()
        hub = it.service.hub
        assert hub is not None
        real_publish = hub.publish_event

        async def counting(meeting_id: str, event: Any) -> None:
            published.append(event.seq)
            if len(published) == 2:
                second.set()
            await real_publish(meeting_id, event)

        hub.publish_event = counting  # type: ignore[method-assign]
        meeting_id, chair = await it.meeting()
        await it.add(meeting_id, chair, "Ennen odotusta")
        with psycopg.connect(pg_url) as blocker:
            blocker.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (meeting_id,))
            with pytest.raises(AppError) as late:
                await it.add(meeting_id, chair, "Odotti vuoroaan", op_id="odottaja")
            assert late.value.code == "unavailable"
            assert len(published) == 1
        # The blocker's transaction ends: the given-up round trip commits, and is settled.
        await asyncio.wait_for(second.wait(), 10)
        again, fresh = await it.add(meeting_id, chair, "Odotti vuoroaan", op_id="odottaja")
    assert not fresh and published[1] == again.seq
    assert texts_in_tables(pg_url, meeting_id) == ["Ennen odotusta", "Odotti vuoroaan"]
