"""The production set-up for real: PostgreSQL, Redis fan-out, two instances behind nginx."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections.abc import Iterator

import psycopg
import pytest

from tests.conftest import PASSWORD
from tests.helpers import LiveClient, RunningServer, join, login, new_meeting, open_screen
from tests.production import Topology, running_topology


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    with running_topology(tmp_path_factory.mktemp("production")) as started:
        yield started


async def _open(
    server: RunningServer, meeting_id: str, cookies: dict[str, str], since: int | None = 0
) -> LiveClient:
    origin = getattr(server, "origin_override", server.base)
    return await LiveClient.open(server, meeting_id, cookies, origin=origin, since=since)


async def _meeting_with_phone(topology: Topology) -> tuple[dict, dict, LiveClient, object]:
    a = topology.direct(topology.a)
    cookies = await login(a, "kalle", PASSWORD)
    meeting = await new_meeting(a, cookies)
    chair = await _open(a, meeting["id"], cookies)
    await chair.next_of("snapshot")
    phone = await join(a, meeting, "Aino", "äiti", family=True)
    await chair.ok({"op": "participant.admit", "participant": phone.participant})
    return meeting, cookies, chair, phone


async def test_a_phone_on_b_sees_the_scribe_on_a_live(topology: Topology) -> None:
    meeting, _cookies, chair, phone = await _meeting_with_phone(topology)
    on_b = await _open(topology.direct(topology.b), meeting["id"], phone.cookies)  # type: ignore[attr-defined]
    await on_b.next_of("snapshot")
    added = await chair.ok({"op": "entry.add", "phase": "opening", "text": "Tervetuloa kaikki"})
    seen = await on_b.event("entry.added")
    assert seen["seq"] == added["seq"] and seen["data"]["entry"]["text"] == "Tervetuloa kaikki"
    # A draft typed on A reaches B too (ephemeral, through Redis).
    await chair.send({"op": "draft", "phase": "opening", "text": "kirjoitan"})
    await on_b.wait_for(lambda f: f.get("type") == "draft" and f["text"] == "kirjoitan")
    for client in (chair, on_b):
        await client.close()


async def test_two_instances_writing_at_once_never_gap_or_repeat(topology: Topology) -> None:
    meeting, _cookies, chair, _phone = await _meeting_with_phone(topology)
    # A scribe on instance B, writing at the same time as the chair on instance A.
    b = topology.direct(topology.b)
    scribe_person = await join(b, meeting, "Heidi")
    await chair.ok({"op": "participant.admit", "participant": scribe_person.participant})
    await chair.ok(
        {"op": "participant.role", "participant": scribe_person.participant, "role": "scribe"}
    )
    scribe = await _open(b, meeting["id"], scribe_person.cookies)
    await scribe.next_of("snapshot")
    n = 30

    async def write(client: LiveClient, who: str) -> list[str]:
        ids = [
            await client.send({"op": "entry.add", "phase": "opening", "text": f"{who} {i}"})
            for i in range(n)
        ]
        for op_id in ids:
            await client.wait_for(lambda f, op_id=op_id: f.get("id") == op_id, timeout=30)
        return ids

    await asyncio.gather(write(chair, "A"), write(scribe, "B"))
    with psycopg.connect(topology.database_url) as conn:
        seqs = [
            row[0]
            for row in conn.execute(
                "SELECT seq FROM event WHERE meeting_id = %s ORDER BY seq", (meeting["id"],)
            )
        ]
        texts = [
            row[0]
            for row in conn.execute(
                "SELECT text FROM entry WHERE meeting_id = %s", (meeting["id"],)
            )
        ]
    assert seqs == list(range(1, len(seqs) + 1))  # gapless, no duplicate
    assert sorted(texts) == sorted([f"A {i}" for i in range(n)] + [f"B {i}" for i in range(n)])
    last = seqs[-1]
    for client in (chair, scribe):
        await client.until_seq(last, timeout=30)
        start = next(f["seq"] for f in client.frames if f.get("type") == "snapshot")
        seen = [f["seq"] for f in client.events() if f["seq"] > start]
        assert sorted(set(seen)) == list(range(start + 1, last + 1))
    for client in (chair, scribe):
        await client.close()


async def _through_proxy_until_closed(client: LiveClient) -> int | None:
    return await client.closed(timeout=30)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
async def test_an_instance_goes_and_its_clients_resume_through_the_proxy(
    topology: Topology, sig: int
) -> None:
    meeting, cookies, chair, phone = await _meeting_with_phone(topology)
    proxy = topology.proxy
    # The phone connects through nginx; then the instance it landed on goes away.
    watcher = await _open(proxy, meeting["id"], phone.cookies)  # type: ignore[attr-defined]
    await watcher.next_of("snapshot")
    await chair.ok({"op": "entry.add", "phase": "opening", "text": "Ennen"})
    await watcher.event("entry.added")
    seen = watcher.seq
    victim, other = (topology.a, topology.b)
    # Which instance serves the watcher is the proxy's choice: stop both in turn if needed, the
    # point is that the watcher's instance goes. Stopping A also drops the chair (on A).
    await asyncio.to_thread(victim.signal, sig)
    try:
        if sig == signal.SIGTERM:
            code = await asyncio.wait_for(chair.closed(), 30)
            assert code == 1012  # "service restart": reconnect elsewhere
        # Everyone reconnects through the proxy, which now has only B, and resumes by seq.
        writer = await _open(proxy, meeting["id"], cookies, since=None)
        await writer.send({"op": "hello", "since": 0})
        await writer.next_of("snapshot")
        for text in ("Katkon aikana 1", "Katkon aikana 2"):
            await writer.ok({"op": "entry.add", "phase": "opening", "text": text})
        back = await _open(proxy, meeting["id"], phone.cookies, since=seen)  # type: ignore[attr-defined]
        await back.until_seq(writer.seq, timeout=30)
        resumed = [f for f in back.frames if f.get("type") in ("event", "snapshot")]
        assert [f["seq"] for f in resumed] == list(range(seen + 1, writer.seq + 1))
        assert [f["data"]["entry"]["text"] for f in resumed if f.get("name") == "entry.added"] == [
            "Katkon aikana 1",
            "Katkon aikana 2",
        ]
        for client in (writer, back, watcher):
            await client.close()
    finally:
        await asyncio.to_thread(victim.start)
    assert other.proc is not None and other.proc.poll() is None


def test_readiness_and_metrics(topology: Topology) -> None:
    import httpx

    ready = httpx.get(topology.a.base + "/readyz")
    assert ready.status_code == 200 and ready.json() == {
        "ready": True,
        "database": True,
        "fanout": True,
    }
    text = httpx.get(topology.a.base + "/metrics").text
    for name in (
        "avoin_sockets_open",
        "avoin_meetings_live",
        "avoin_ops_total",
        "avoin_op_seconds_bucket",
        "avoin_errors_total",
        "avoin_resumes_total",
        "avoin_fanout_lag_seconds_bucket",
    ):
        assert name in text
    log = (topology.a.log).read_text()
    assert log.strip() and all(line.startswith("{") for line in log.strip().splitlines()[-5:])
    assert "Aino" not in log and "Tervetuloa" not in log  # no personal data or record text


def _restart_redis() -> None:
    """Stop the machine's Redis and start it again (it keeps nothing: a doorbell only)."""
    subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], capture_output=True, check=False
    )
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
        capture_output=True,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379)
    for _ in range(200):
        try:
            if client.ping():
                return
        except redis.ConnectionError:
            import time

            time.sleep(0.05)
    raise RuntimeError("Redis did not come back")


async def test_redis_restarted_mid_meeting(topology: Topology) -> None:
    meeting, _cookies, chair, phone = await _meeting_with_phone(topology)
    on_b = await _open(topology.direct(topology.b), meeting["id"], phone.cookies)  # type: ignore[attr-defined]
    await on_b.next_of("snapshot")
    await asyncio.to_thread(_restart_redis)
    # Written on A while B's subscription is still coming back: nothing may be lost.
    written = [
        await chair.ok({"op": "entry.add", "phase": "opening", "text": f"Redis-katko {i}"})
        for i in range(2)
    ]
    await on_b.until_seq(written[-1]["seq"], timeout=30)
    after = await chair.ok({"op": "entry.add", "phase": "opening", "text": "Taas yhteys"})
    await on_b.until_seq(after["seq"], timeout=30)
    texts = [f["data"]["entry"]["text"] for f in on_b.events() if f["name"] == "entry.added"]
    assert texts == ["Redis-katko 0", "Redis-katko 1", "Taas yhteys"]
    for client in (chair, on_b):
        await client.close()


async def test_the_log_holds_no_socket_lines_nor_the_screen_token(topology: Topology) -> None:
    """uvicorn writes a line per socket with the client's address and the query string, which
    for the shared screen is its link's token: the log configuration drops those lines."""
    a = topology.direct(topology.a)
    cookies = await login(a, "kalle", PASSWORD)
    meeting = await new_meeting(a, cookies)
    token = meeting["links"]["screen"].split("token=")[1]
    screen = await LiveClient.open(
        a,
        meeting["id"],
        await open_screen(a, meeting),
        origin=a.origin_override,  # type: ignore[attr-defined]
        screen=True,
    )
    await screen.next_of("snapshot")
    await screen.close()
    chair = await _open(a, meeting["id"], cookies)
    await chair.next_of("snapshot")
    await chair.close()
    logged = topology.a.log.read_text()
    assert '"logger": "uvicorn.error"' in logged  # uvicorn's own lines are still there
    assert token not in logged
    assert '"WebSocket ' not in logged
