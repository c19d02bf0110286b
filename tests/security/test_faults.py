"""Fault injection: the live protocol's guarantees under a bad network, crashes, a lost database,
duplicated and reordered frames, a phone away for a long time, and a rolling restart.

Every scenario ends with `audit`: zero acknowledged entries lost, zero doubled, the log gapless,
and every client's record the database's own. Short runs by default; AVOIN_LONG_TESTS=1 makes
them long (more ops, more faults, and a real ten-minute absence).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from app.db import make_engine
from tests.conftest import PASSWORD, add_users, free_port, migrated_sqlite
from tests.helpers import LiveClient, Person, RunningServer, join, login, new_meeting
from tests.meetings.test_durability import Process
from tests.production import (
    ROOT,
    Instance,
    Topology,
    drop_database,
    instance_env,
    new_database,
    running_topology,
)
from tests.security.faultproxy import FaultProxy, ResilientClient, Truth, audit, chaos, read_truth

LONG = os.environ.get("AVOIN_LONG_TESTS") == "1"
OFFLINE_SECONDS = 600 if LONG else 0  # the phone's real absence in the long run
pytestmark = pytest.mark.timeout(1800 if LONG else 180)


# -- a room and its clients ----------------------------------------------------------------------


@dataclass
class Room:
    """A meeting with a scribe and some phones admitted; the setup's chair socket is closed."""

    server: RunningServer
    origin: str
    meeting: dict[str, Any]
    chair: dict[str, str]
    scribe: Person
    phones: list[Person]

    @property
    def id(self) -> str:
        return self.meeting["id"]

    def ws_url(self, port: int | None = None) -> str:
        base = self.server.base if port is None else f"http://127.0.0.1:{port}"
        return base.replace("http://", "ws://") + f"/ws/meetings/{self.id}"

    def client(
        self, cookies: dict[str, str], name: str, port: int | None = None, **kwargs: Any
    ) -> ResilientClient:
        """A resilient client of this room, direct or through a proxy on `port`."""
        return ResilientClient(
            self.ws_url(port), origin=self.origin, cookies=cookies, name=name, **kwargs
        )


async def make_room(server: RunningServer, origin: str | None = None, phones: int = 2) -> Room:
    origin = origin or server.origin
    chair_cookies = await login(server, "kalle", PASSWORD)
    meeting = await new_meeting(server, chair_cookies)
    chair = await LiveClient.open(server, meeting["id"], chair_cookies, origin=origin)
    await chair.next_of("snapshot")
    scribe = await join(server, meeting, "Heidi", "kirjaaja")
    await chair.ok({"op": "participant.admit", "participant": scribe.participant})
    await chair.ok({"op": "participant.role", "participant": scribe.participant, "role": "scribe"})
    people = [await join(server, meeting, f"Puhelin {n}", "äiti", True) for n in range(phones)]
    for person in people:
        await chair.ok({"op": "participant.admit", "participant": person.participant})
    await chair.close()
    return Room(server, origin, meeting, chair_cookies, scribe, people)


async def started(*clients: ResilientClient) -> list[ResilientClient]:
    for client in clients:
        await client.start()
    return list(clients)


async def stopped(clients: list[ResilientClient]) -> None:
    await asyncio.gather(*(c.stop() for c in clients))


async def typing(
    scribe: ResilientClient, n: int, label: str, cadence: float, seed: int = 0
) -> None:
    """The scribe's work: mostly new entries, every fifth op an edit of an earlier one (from the
    scribe's own record, with its version), now and then a delete."""
    rng = random.Random(seed)
    editing: set[str] = set()
    for i in range(n):
        live = [
            e
            for e in scribe.entries.values()
            if not e["deleted"] and e["id"] not in editing and e["phase"] == "opening"
        ]
        if i % 5 == 4 and live:
            entry = rng.choice(live)
            editing.add(entry["id"])
            if i % 25 == 24:
                await scribe.submit({"op": "entry.delete", "entry": entry["id"]})
            else:
                await scribe.submit(
                    {
                        "op": "entry.edit",
                        "entry": entry["id"],
                        "version": entry["version"],
                        "text": f"{entry['text']} – tarkennettu",
                    }
                )
        else:
            await scribe.submit(
                {"op": "entry.add", "phase": "opening", "text": f"{label} {i}: äiti ”lainaus” ✓"}
            )
        await asyncio.sleep(cadence)  # the pace of the typing, not a synchronisation


def db_truth(url: str, meeting_id: str) -> Truth:
    """The meeting as the database at `url` holds it (SQLite or PostgreSQL), read afresh."""
    engine = make_engine(url)
    try:
        return read_truth(lambda: Session(engine), meeting_id)
    finally:
        engine.dispose()


# -- 1. latency, cuts and resets ------------------------------------------------------------------


async def test_latency_cuts_and_resets_lose_nothing(server: RunningServer) -> None:
    room = await make_room(server, phones=2)
    proxy = FaultProxy(int(server.base.rsplit(":", 1)[1]), latency=(0.05, 0.2), seed=1).start()
    n = 400 if LONG else 60
    faults = 30 if LONG else 6
    clients = await started(
        scribe := room.client(room.scribe.cookies, "scribe", proxy.port, backoff_max=0.3),
        room.client(room.chair, "chair", proxy.port, backoff_max=0.3),
        *(room.client(p.cookies, f"phone{i}", proxy.port) for i, p in enumerate(room.phones)),
    )
    try:
        writer = asyncio.create_task(typing(scribe, n, "Kirjaus", cadence=0.06))
        kinds = ["reset", "close", "down"]
        for k in range(faults):
            threshold = (k + 1) * n // (faults + 1)
            await scribe.wait(lambda t=threshold: len(scribe.acked) >= t, 60, f"{threshold} acks")
            match kinds[k % 3]:
                case "reset":
                    proxy.reset_all()
                case "close":
                    proxy.close_all()
                case "down":
                    refused = proxy.stats.refused
                    proxy.down()
                    # The network stays away until the clients have tried and been refused.
                    await proxy.wait_until(lambda s, r=refused: s.refused >= r + 2, 20)
                    proxy.up()
        await writer
        figures = await audit(
            "1 latency+cuts+resets",
            lambda: read_truth(server.app.state.session_factory, room.id),
            [scribe],
            clients[1:],
            faults=faults,
        )
        assert figures.acknowledged > 0 and scribe.stats.connects > faults // 2
        assert proxy.stats.resets > 0 and proxy.stats.closes > 0 and proxy.stats.refused > 0
    finally:
        await stopped(clients)
        proxy.stop()


# -- 2. SIGKILL, again and again ------------------------------------------------------------------


async def test_sigkill_again_and_again_while_the_scribe_types(tmp_path: Path) -> None:
    url = migrated_sqlite(tmp_path)
    add_users(url, "kalle")
    process = Process(url, free_port(), tmp_path)
    await asyncio.to_thread(process.start)
    server = RunningServer(base=f"http://127.0.0.1:{process.port}")
    room = await make_room(server, phones=1)
    kills = 15 if LONG else 3  # each restart is a server's start-up: AVOIN_LONG_TESTS=1 for 15
    n = 40 * (kills + 1) if LONG else 12 * (kills + 1)
    clients = await started(
        scribe := room.client(room.scribe.cookies, "scribe", backoff_max=0.2),
        room.client(room.phones[0].cookies, "phone", backoff_max=0.2),
    )
    try:
        writer = asyncio.create_task(typing(scribe, n, "Ennen kaatumista", cadence=0.04))
        for k in range(1, kills + 1):
            threshold = k * n // (kills + 1)
            await scribe.wait(lambda t=threshold: len(scribe.acked) >= t, 60, f"{threshold} acks")
            await asyncio.to_thread(process.kill)  # no graceful shutdown
            await asyncio.to_thread(process.start)  # the same database, the same port
        await writer
        await audit(
            "2 sigkill", lambda: db_truth(url, room.id), [scribe], clients[1:], faults=kills
        )
        assert scribe.stats.connects > 1  # it lost the server and found it again
    finally:
        await stopped(clients)
        process.stop()


# -- 3. the database away -------------------------------------------------------------------------


@dataclass
class PgInstance:
    """One instance whose database is reached through a fault proxy."""

    instance: Instance
    dbproxy: FaultProxy
    url: str  # the database itself, for the final check

    @property
    def server(self) -> RunningServer:
        return RunningServer(base=self.instance.base)

    def truth(self, meeting_id: str) -> Truth:
        return db_truth(self.url, meeting_id)


@pytest.fixture(scope="module")
def pg_instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgInstance]:
    tmp = tmp_path_factory.mktemp("pg-outage")
    name, url = new_database()
    port = free_port()
    env = instance_env(url, f"http://127.0.0.1:{port}")
    for args in (["migrate"], ["user", "add", "--username", "kalle", "--password", PASSWORD]):
        subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    dbproxy = FaultProxy(5432).start()
    proxied = url.replace(":5432/", f":{dbproxy.port}/")
    instance = Instance("pg", port, instance_env(proxied, f"http://127.0.0.1:{port}"), tmp)
    instance.start()
    yield PgInstance(instance, dbproxy, url)
    instance.stop()
    dbproxy.stop()
    drop_database(name)


async def test_database_outage_loses_nothing_acknowledged(pg_instance: PgInstance) -> None:
    """While PostgreSQL is unreachable, ops are refused or left unacknowledged, never
    acknowledged and lost; when it returns, the resent ops succeed."""
    room = await make_room(pg_instance.server, phones=1)
    dbproxy = pg_instance.dbproxy
    clients = await started(
        scribe := room.client(room.scribe.cookies, "scribe", backoff_max=0.3),
        room.client(room.phones[0].cookies, "phone", backoff_max=0.3),
    )
    outages = 3 if LONG else 1
    try:
        for round_ in range(outages):
            for i in range(5):
                await scribe.submit(
                    {"op": "entry.add", "phase": "opening", "text": f"Ennen katkoa {round_}.{i}"}
                )
            await scribe.drained(20)
            acked_before = len(scribe.acked)
            closes = sum(scribe.stats.close_codes.values())
            dbproxy.down()
            during = [
                await scribe.submit(
                    {"op": "entry.add", "phase": "opening", "text": f"Katkon aikana {round_}.{i}"}
                )
                for i in range(5)
            ]
            # The server must answer: an error for each op, or close the socket (1011) so that
            # the client resends after reconnecting. Silence would be a hang.
            await scribe.wait(
                lambda d=during, c=closes: (
                    all(i in scribe.refused or i in scribe.unavailable for i in d)
                    or sum(scribe.stats.close_codes.values()) > c
                ),
                20,
                "answer or close while the database is away",
            )
            tries = sum(scribe.stats.failed_connects.values())
            await scribe.wait(
                lambda t=tries: (
                    sum(scribe.stats.failed_connects.values()) >= t + 4 or scribe.connected
                ),
                20,
                "reconnect attempts during the outage",
            )
            assert not any(i in scribe.acked for i in during), "acknowledged without a database"
            assert len(scribe.acked) == acked_before
            dbproxy.up()
            await scribe.drained(30)
        figures = await audit(
            "3 database outage",
            lambda: pg_instance.truth(room.id),
            [scribe],
            clients[1:],
            faults=outages,
        )
        print(
            f"[3 database outage] scribe closes={dict(scribe.stats.close_codes)} "
            f"failed connects={dict(scribe.stats.failed_connects)} "
            f"refused={[e['code'] for e in scribe.refused.values()]}"
        )
        assert figures.lost == 0
    finally:
        dbproxy.up()
        await stopped(clients)


async def test_database_outage_is_answered_without_a_500(pg_instance: PgInstance) -> None:
    """While the database is away: the JSON API answers a structured error (not a bare 500), the
    socket handshake is not a 500, and /readyz says 503."""
    room = await make_room(pg_instance.server, phones=0)
    base = pg_instance.instance.base
    pg_instance.dbproxy.down()
    try:
        async with httpx.AsyncClient(base_url=base, cookies=room.chair, timeout=20) as http:
            ready = await http.get("/readyz")
            api = await http.get(f"/api/meetings/{room.id}")
        handshake: int | None = None
        try:
            client = await LiveClient.open(room.server, room.id, room.chair, since=None)
            await client.close()
        except Exception as exc:
            handshake = getattr(getattr(exc, "response", None), "status_code", None)
        print(
            f"[3 outage answers] readyz={ready.status_code} api={api.status_code} "
            f"api_body={api.text[:80]!r} handshake={handshake}"
        )
        assert ready.status_code == 503
        assert api.status_code != 500 and "error" in api.json()
        assert handshake != 500
    finally:
        pg_instance.dbproxy.up()


# The server answers an op that waits on the database for longer than its deadline (5 s).
STALL_ANSWER_WITHIN = 8.0


async def test_a_stalled_database_is_answered_in_bounded_time(pg_instance: PgInstance) -> None:
    """The database stops answering but its connections stay open (a partition): the op is
    answered (an error, or a close to reconnect) within a bounded time, and after the partition
    nothing acknowledged is lost."""
    room = await make_room(pg_instance.server, phones=0)
    dbproxy = pg_instance.dbproxy
    clients = await started(scribe := room.client(room.scribe.cookies, "scribe", backoff_max=0.3))
    answered = True
    try:
        await scribe.submit({"op": "entry.add", "phase": "opening", "text": "Ennen jumia"})
        await scribe.drained(20)
        closes = sum(scribe.stats.close_codes.values())
        dbproxy.stall()
        stuck = await scribe.submit({"op": "entry.add", "phase": "opening", "text": "Jumissa"})
        try:
            await scribe.wait(
                lambda: (
                    stuck in scribe.unavailable or sum(scribe.stats.close_codes.values()) > closes
                ),
                STALL_ANSWER_WITHIN,
                "answer while the database stalls",
            )
        except AssertionError:
            answered = False
        async with httpx.AsyncClient(base_url=pg_instance.instance.base, timeout=3) as http:
            try:
                ready = (await http.get("/readyz")).status_code
            except httpx.TimeoutException:
                ready = None
        print(
            f"[3 stalled database] answered within {STALL_ANSWER_WITHIN}s: {answered}; "
            f"/readyz during the stall: {ready}"
        )
        dbproxy.unstall(reset=True)  # the partition ends; the old connections are dead
        await audit("3 stalled database", lambda: pg_instance.truth(room.id), [scribe], faults=1)
    finally:
        dbproxy.unstall(reset=False)
        await stopped(clients)
    assert answered, f"no answer or close within {STALL_ANSWER_WITHIN}s while the database stalled"


# -- 4. duplicated and reordered frames -----------------------------------------------------------


async def test_duplicated_and_reordered_frames_apply_once(server: RunningServer) -> None:
    room = await make_room(server, phones=1)
    rng = random.Random(4)
    clients = await started(
        scribe := room.client(room.scribe.cookies, "scribe"),
        room.client(room.phones[0].cookies, "phone"),
    )
    try:
        head = scribe.seq
        adds = [
            {"op": "entry.add", "id": f"dup-add-{i}", "phase": "opening", "text": f"Kerran {i}"}
            for i in range(20)
        ]
        sent = chaos(adds, rng)
        for frame in sent:
            await scribe.submit(frame)
        await scribe.drained()
        seqs = sorted(scribe.acked[a["id"]]["seq"] for a in adds)
        assert seqs == list(range(head + 1, head + 21))  # each once, no gap

        # Edits and deletes, duplicated and shuffled: each applied once; a resend of an edit is
        # answered with its original event, not a conflict.
        await scribe.reach(seqs[-1])
        targets = [scribe.acked[a["id"]]["data"]["entry"]["id"] for a in adds[:10]]
        edits = [
            {
                "op": "entry.edit",
                "id": f"dup-edit-{i}",
                "entry": e,
                "version": 1,
                "text": f"Uusi {i}",
            }
            for i, e in enumerate(targets[:5])
        ]
        deletes = [
            {"op": "entry.delete", "id": f"dup-del-{i}", "entry": e}
            for i, e in enumerate(targets[5:])
        ]
        for frame in chaos([*edits, *deletes], rng):
            await scribe.submit(frame)
        await scribe.drained()
        assert not scribe.refused, scribe.refused
        assert {scribe.acked[e["id"]]["data"]["entry"]["version"] for e in edits} == {2}

        # Everything again, after a reconnect, in reverse order: all answered from the log.
        last = max(e["seq"] for e in scribe.acked.values())
        await scribe.stop()
        await scribe.start()
        replays = scribe.stats.replays
        for frame in reversed([*adds, *edits, *deletes]):
            await scribe.submit(frame)
        await scribe.wait(
            lambda: scribe.stats.replays >= replays + 30, 15, "the answers to 30 resends"
        )
        assert max(e["seq"] for e in scribe.acked.values()) == last

        # The same op id from two sockets of the same scribe at the same moment: applied once.
        twin = room.client(room.scribe.cookies, "scribe-tab-2")
        await twin.start()
        clients.append(twin)
        race = {
            "op": "entry.add",
            "id": "dup-race",
            "phase": "opening",
            "text": "Kahdesta välilehdestä",
        }
        await asyncio.gather(scribe.submit(race), twin.submit(race))
        await asyncio.gather(scribe.drained(), twin.drained())
        assert scribe.acked["dup-race"]["seq"] == twin.acked["dup-race"]["seq"]
        print(f"[4 duplicates] frames sent={len(sent)} gaps seen by the scribe={scribe.stats.gaps}")
        await audit(
            "4 duplicated+reordered",
            lambda: read_truth(server.app.state.session_factory, room.id),
            [scribe, twin],
            clients[1:2],
            faults=len(sent) - len(adds) + 30 + 1,
        )
    finally:
        await stopped(clients)


# -- 5. a phone away ------------------------------------------------------------------------------


async def _burst(room: Room, n: int, label: str) -> None:
    """`n` entries as fast as the server takes them, from fresh scribe sockets (the rate limit
    is per socket: 50 a socket stays within the scribe's burst; a `rate_limited` is resent)."""
    done = 0
    while done < n:
        batch = min(50, n - done)
        client = await LiveClient.open(room.server, room.id, room.scribe.cookies)
        await client.next_of("snapshot")
        frames = {
            uuid.uuid4().hex: {"op": "entry.add", "phase": "opening", "text": f"{label} {done + i}"}
            for i in range(batch)
        }
        for op_id, frame in frames.items():
            await client.send({**frame, "id": op_id})
        for op_id, frame in frames.items():
            while True:
                outcome = await client.wait_for(lambda f, i=op_id: f.get("id") == i, timeout=30)
                if outcome.get("code") != "rate_limited":
                    break
                await asyncio.sleep(0.2)  # the client's back-off before resending
                await client.send({**frame, "id": op_id})
            assert outcome["type"] == "event", outcome
        await client.close()
        done += batch


def _resumed(client: ResilientClient, since: int) -> list[int]:
    """The seqs a client applied after `since`, in order (a snapshot counts as its seq)."""
    return [seq for seq, _name, _id in client.log if seq > since]


async def test_a_phone_in_a_pocket_resumes_with_exactly_the_missed_events(
    server: RunningServer,
) -> None:
    room = await make_room(server, phones=2)
    proxy = FaultProxy(int(server.base.rsplit(":", 1)[1])).start()
    pocket = room.client(room.phones[0].cookies, "pocket", proxy.port, ping_interval=None)
    away = room.client(room.phones[1].cookies, "away")
    clients = await started(pocket, away)
    try:
        # The pocket: the connection stays open but nothing flows (the radio is off).
        since = pocket.seq
        proxy.stall()
        await _burst(room, 20, "Taskussa")
        if OFFLINE_SECONDS:
            # The long run: a real ten-minute absence while the meeting goes on.
            for minute in range(OFFLINE_SECONDS // 60):
                await _burst(room, 5, f"Minuutti {minute}")
                await asyncio.sleep(60)
        snapshots = pocket.stats.snapshots
        proxy.unstall(reset=True)  # the old connection died meanwhile
        head = (
            await asyncio.to_thread(read_truth, server.app.state.session_factory, room.id)
        ).last_seq
        await pocket.reach(head)
        assert _resumed(pocket, since) == list(range(since + 1, head + 1))
        assert pocket.stats.snapshots == snapshots

        # Closed (the browser tab asleep) while 200 events are made: exactly those, once each.
        await away.reach(head)
        await away.stop()
        await _burst(room, 200, "Poissa")
        snapshots = away.stats.snapshots
        await away.start()
        await away.reach(head + 200)
        assert _resumed(away, head) == list(range(head + 1, head + 201))
        assert away.stats.snapshots == snapshots
        await audit(
            "5 phone away (pocket, 200 behind)",
            lambda: read_truth(server.app.state.session_factory, room.id),
            [],
            clients,
            faults=2,
        )
    finally:
        await stopped(clients)
        proxy.stop()


async def test_a_phone_more_than_500_behind_gets_one_snapshot(server: RunningServer) -> None:
    room = await make_room(server, phones=1)
    clients = await started(far := room.client(room.phones[0].cookies, "far"))
    try:
        since = far.seq
        await far.stop()
        await _burst(room, 501, "Kaukana")
        snapshots = far.stats.snapshots
        await far.start()
        await far.reach(since + 501)
        assert far.stats.snapshots == snapshots + 1
        assert _resumed(far, since) == [since + 501]  # one snapshot at the head, no events
        await audit(
            "5 phone 501 behind",
            lambda: read_truth(server.app.state.session_factory, room.id),
            [],
            clients,
            faults=1,
        )
    finally:
        await stopped(clients)


async def test_a_phone_500_behind_gets_exactly_the_missed_events(server: RunningServer) -> None:
    room = await make_room(server, phones=1)
    clients = await started(near := room.client(room.phones[0].cookies, "near"))
    try:
        since = near.seq
        await near.stop()
        await _burst(room, 500, "Poissa")
        await near.start()
        # Either it catches up, or it is told "too slow" over and over: stop after three.
        await near.wait(
            lambda: near.seq >= since + 500 or near.stats.close_codes[1013] >= 3,
            30,
            "catch-up or repeated 1013",
        )
        print(f"[5 phone 500 behind] seq {near.seq}/{since + 500}, closes {near.stats.close_codes}")
        assert near.stats.close_codes[1013] == 0
        assert _resumed(near, since) == list(range(since + 1, since + 501))
        assert near.stats.snapshots == 1  # the first connection's only
    finally:
        await stopped(clients)


# -- 6. a rolling restart under load --------------------------------------------------------------


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    """PostgreSQL, Redis fan-out, two instances and nginx in front (as tests/test_production)."""
    with running_topology(tmp_path_factory.mktemp("rolling")) as started:
        yield started


async def test_a_rolling_restart_under_load_loses_and_doubles_nothing(topology: Topology) -> None:
    public = topology.proxy
    room = await make_room(public, phones=2)
    rounds = 3 if LONG else 1
    n = 120 * rounds if LONG else 60
    clients = await started(
        scribe := room.client(room.scribe.cookies, "scribe", backoff_max=0.3),
        chair := room.client(room.chair, "chair", backoff_max=0.3),
        *(room.client(p.cookies, f"phone{i}", backoff_max=0.3) for i, p in enumerate(room.phones)),
    )
    try:
        writers = [
            asyncio.create_task(typing(scribe, n, "Kirjaaja", cadence=0.06, seed=1)),
            asyncio.create_task(typing(chair, n // 2, "Puheenjohtaja", cadence=0.12, seed=2)),
        ]
        restarts = 0
        for r in range(rounds):
            for instance in (topology.a, topology.b):
                threshold = (restarts + 1) * n // (2 * rounds + 1)
                await scribe.wait(
                    lambda t=threshold: len(scribe.acked) >= t, 60, f"{threshold} acks"
                )
                await asyncio.to_thread(instance.signal, signal.SIGTERM)
                await asyncio.to_thread(instance.start)
                restarts += 1
            print(f"[6 rolling restart] round {r + 1}: A and B restarted")
        await asyncio.gather(*writers)
        await audit(
            "6 rolling restart",
            lambda: db_truth(topology.database_url, room.id),
            [scribe, chair],
            clients[2:],
            faults=restarts,
        )
        assert sum(c.stats.close_codes[1012] for c in clients) > 0  # told to reconnect
    finally:
        await stopped(clients)
