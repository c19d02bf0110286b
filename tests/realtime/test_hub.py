"""The hub on both fan-outs (in-process and Redis): order, gaps, the lobby, slow consumers,
cleanup, and Redis going away."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest

from app.meetings.effects import effect_of
from app.realtime.fanout import MemoryFanout
from app.realtime.hub import CLOSE, Connection, Hub, StoredEvent
from app.realtime.redis_fanout import RedisFanout
from tests.conftest import require_production_services


def event(seq: int, name: str = "entry.added", subject: str | None = None) -> StoredEvent:
    frame = json.dumps({"type": "event", "seq": seq, "name": name})
    return StoredEvent(seq, name, subject, frame)


class Log:
    """The database as the hub sees it: committed events and a snapshot."""

    def __init__(self) -> None:
        self.events: list[StoredEvent] = []
        self.reads = 0

    def commit(self, *names: str, subject: str | None = None) -> list[StoredEvent]:
        made = [event(len(self.events) + 1 + i, n, subject) for i, n in enumerate(names)]
        self.events.extend(made)
        return made

    async def load_events(self, _meeting: str, since: int, limit: int) -> list[StoredEvent]:
        self.reads += 1
        return [e for e in self.events if e.seq > since][:limit]

    async def load_snapshot(self, _meeting: str, _lang: str, _pid: str) -> tuple[int, str]:
        seq = len(self.events)
        return seq, json.dumps({"type": "snapshot", "seq": seq})


def drain(conn: Connection) -> list[object]:
    out = []
    while not conn.queue.empty():
        item = conn.queue.get_nowait()
        out.append(item if item is CLOSE else json.loads(item))
    return out


async def until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the hub's tasks run until the condition holds (bounded by a timeout, not a sleep)."""
    async with asyncio.timeout(timeout):
        while not predicate():  # noqa: ASYNC110 - yield to the hub's tasks, no delay
            await asyncio.sleep(0)


@pytest.fixture
def log() -> Log:
    return Log()


REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(params=["memory", "redis"])
async def hub(request: pytest.FixtureRequest, log: Log) -> AsyncIterator[Hub]:
    """The same tests against both fan-outs: in-process, and the real Redis of this machine."""
    if request.param == "redis":
        require_production_services()
    fanout = MemoryFanout() if request.param == "memory" else RedisFanout(REDIS_URL)
    await fanout.start()
    hub = Hub(fanout, f"test-{request.param}", log.load_events, log.load_snapshot, effect_of)
    yield hub
    await hub.close()
    await fanout.stop()


async def attach(hub: Hub, pid: str, *, admitted: bool = True, size: int = 64) -> Connection:
    conn = Connection("m1", pid, admitted, size)
    conn.syncing = admitted
    await hub.attach(conn)
    if admitted:
        await hub.sync(conn, 0, 0)
    return conn


def seqs(items: list[object]) -> list[int]:
    return [i["seq"] for i in items if isinstance(i, dict) and i.get("type") == "event"]


async def test_events_arrive_in_order_once(hub: Hub, log: Log) -> None:
    conn = await attach(hub, "p1")
    for ev in log.commit("entry.added", "entry.added", "entry.edited"):
        await hub.publish_event("m1", ev)
    await hub.publish_event("m1", log.events[1])  # a duplicate doorbell
    await until(lambda: conn.last_seq == 3)
    assert seqs(drain(conn)) == [1, 2, 3]


async def test_a_lost_doorbell_is_closed_from_the_database(hub: Hub, log: Log) -> None:
    conn = await attach(hub, "p1")
    first, _lost, third = log.commit("entry.added", "entry.added", "entry.added")
    await hub.publish_event("m1", first)
    await hub.publish_event("m1", third)
    await until(lambda: conn.last_seq == 3)
    assert seqs(drain(conn)) == [1, 2, 3]


async def test_resume_gets_exactly_the_missed_events_or_a_snapshot(hub: Hub, log: Log) -> None:
    log.commit(*["entry.added"] * 5)
    conn = Connection("m1", "p1", True)
    conn.syncing = True
    await hub.attach(conn)
    await hub.sync(conn, 2, 5)
    assert seqs(drain(conn)) == [3, 4, 5]
    fresh = Connection("m1", "p2", True)
    fresh.syncing = True
    await hub.attach(fresh)
    await hub.sync(fresh, 0, 5)
    assert drain(fresh) == [{"type": "snapshot", "seq": 5}]


async def test_the_lobby_hears_only_of_itself(hub: Hub, log: Log) -> None:
    inside = await attach(hub, "p1")
    lobby = await attach(hub, "p9", admitted=False)
    for ev in log.commit("entry.added", "participant.joined"):
        await hub.publish_event("m1", ev)
    (admit,) = log.commit("participant.admitted", subject="p9")
    await hub.publish_event("m1", admit)
    await until(lambda: inside.last_seq == 3 and lobby.last_seq == 3)
    got = drain(lobby)
    assert got[0] == {"type": "event", "seq": 3, "name": "participant.admitted"}
    assert got[1] == {"type": "snapshot", "seq": 3}
    assert len(got) == 2


async def test_a_slow_consumer_is_dropped_and_never_slows_the_room(hub: Hub, log: Log) -> None:
    fast = await attach(hub, "p1", size=1000)
    slow = await attach(hub, "p2", size=4)
    for ev in log.commit(*["entry.added"] * 20):
        await hub.publish_event("m1", ev)
    await until(lambda: fast.last_seq == 20)
    assert seqs(drain(fast)) == list(range(1, 21))
    assert slow.close_code == 1013
    assert drain(slow)[-1] is CLOSE


async def test_removal_cuts_the_socket(hub: Hub, log: Log) -> None:
    conn = await attach(hub, "p2")
    (removed,) = log.commit("participant.removed", subject="p2")
    await hub.publish_event("m1", removed)
    await until(lambda: conn.close_code is not None)
    assert conn.close_code == 4003
    assert drain(conn)[-1] is CLOSE


async def test_the_last_socket_out_releases_the_subscription(hub: Hub, log: Log) -> None:
    fanout = hub.fanout
    assert isinstance(fanout, MemoryFanout | RedisFanout)
    a = await attach(hub, "p1")
    b = await attach(hub, "p2")
    assert fanout.subscriber_count("avoin:meeting:m1") == 1
    await hub.detach(a)
    assert fanout.subscriber_count("avoin:meeting:m1") == 1
    await hub.detach(b)
    assert fanout.subscriber_count("avoin:meeting:m1") == 0
    assert hub.room_count == 0


class FlakyFanout(MemoryFanout):
    """A fan-out whose first subscription breaks after one message, as Redis does on restart."""

    def __init__(self) -> None:
        super().__init__()
        self.subscriptions = 0

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[str]]:
        self.subscriptions += 1
        async with super().subscribe(channel) as messages:
            if self.subscriptions > 1:
                yield messages
                return

            async def breaking() -> AsyncIterator[str]:
                yield await anext(messages)
                raise ConnectionError("fan-out went away")

            yield breaking()


async def test_a_broken_subscription_is_renewed_and_gaps_closed(log: Log) -> None:
    fanout = FlakyFanout()
    hub = Hub(fanout, "test", log.load_events, log.load_snapshot, effect_of)
    try:
        conn = await attach(hub, "p1")
        first, second = log.commit("entry.added", "entry.added")
        await fanout.publish(
            "avoin:meeting:m1",
            json.dumps(
                {
                    "t": "event",
                    "seq": 1,
                    "name": "entry.added",
                    "subject": None,
                    "frame": first.frame,
                }
            ),
        )
        # The second doorbell is lost with the broken subscription; the resubscribe closes it.
        await until(lambda: fanout.subscriptions == 2)
        await until(lambda: conn.last_seq == 2)
        assert seqs(drain(conn)) == [1, 2]
        assert second.seq == 2
    finally:
        await hub.close()


async def test_redis_going_away_costs_a_moment_never_an_event(log: Log) -> None:
    """The Redis connection is cut while events are committed: the hub reconnects, resubscribes
    and closes the gap from the database, in order and once."""
    import redis.asyncio as aioredis

    require_production_services()
    fanout = RedisFanout(REDIS_URL)
    await fanout.start()
    hub = Hub(fanout, "test-cut", log.load_events, log.load_snapshot, effect_of)
    admin = aioredis.from_url(REDIS_URL)
    try:
        conn = await attach(hub, "p1")
        (first,) = log.commit("entry.added")
        await hub.publish_event("m1", first)
        await until(lambda: conn.last_seq == 1)
        await admin.execute_command("CLIENT", "KILL", "TYPE", "pubsub")
        # Committed while the subscription is down: their doorbells are lost.
        for event in log.commit("entry.added", "entry.edited"):
            await hub.publish_event("m1", event)
        await until(lambda: conn.last_seq == 3, timeout=15)
        assert seqs(drain(conn)) == [1, 2, 3]
        await until(lambda: fanout.reconnects >= 1, timeout=15)
        # Live again through Redis afterwards.
        (fourth,) = log.commit("entry.added")
        await hub.publish_event("m1", fourth)
        await until(lambda: conn.last_seq == 4, timeout=10)
    finally:
        await admin.aclose()
        await hub.close()
        await fanout.stop()
