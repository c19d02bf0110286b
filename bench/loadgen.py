"""The live bench's load generator: real WebSocket clients on loopback speaking the protocol.

A separate process from the server (the live bench starts it pinned to its own core with
`taskset`): `python -m bench.loadgen SPEC.json` prints one JSON object of results on stdout.
It speaks to Avoin (logging in, creating meetings, joining over HTTP; the chair admits everyone
and makes one the scribe) or to a baseline relay (`bench.relay`: the same frames, no setup).

The clients are `picows` sockets (a C implementation of the protocol, about three times the
frames per core of the `websockets` client), so that one core of clients outpaces one core of
server. Latencies are measured within this one process: every draft and entry carries the sender's
`time.perf_counter_ns()` at the front of its text, and every other client that receives it
records now minus that. CPU times are read from /proc (user + system, all threads).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import random
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from picows import WSError, WSFrame, WSListener, WSMsgType, WSTransport, ws_connect

from bench.measure import GC_CLOCK, cpu_seconds, percentiles, quiet_gc, rss_bytes
from bench.rawhttp import Pool

__all__ = ["GC_CLOCK", "cpu_seconds", "percentiles", "quiet_gc", "rss_bytes"]

PASSWORD = "salasana-123"  # tests.conftest.PASSWORD; the bench's user is added with it
USERNAME = "bench"
PHASE = "opening"
FILLER = "Isä kertoi, että aamut ovat nyt rauhallisempia ja koulumatka sujuu."


@dataclass
class Stats:
    """What the clients saw while recording."""

    recording: bool = False
    draft_ms: list[float] = field(default_factory=list)
    commit_ms: list[float] = field(default_factory=list)
    frames: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    closes: Counter[str] = field(default_factory=Counter)
    # Who measures a draft's latency (scenario 3b: the phones only, the writers draft too).
    draft_roles: frozenset[str] = frozenset({"chair", "phone"})
    phone_drafts: int = 0  # drafts that reached a phone while recording
    tail: bool = False  # the writers have stopped: what still arrives is a backlog
    tail_drafts: int = 0
    # Latencies by the receiving client's group (scenario 8: phones on instance A or B).
    groups: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    closes_by_role: Counter[str] = field(default_factory=Counter)

    def reset(self) -> None:
        self.draft_ms, self.commit_ms, self.frames = [], [], 0
        self.phone_drafts, self.tail, self.tail_drafts, self.groups = 0, False, 0, {}

    def grouped(self, client: Client, kind: str, ms: float) -> None:
        self.groups.setdefault(client.group, {"draft": [], "commit": []})[kind].append(ms)


class Client:
    """One socket of one participant (chair, scribe or phone)."""

    def __init__(self, gen: Generator, meeting: Meeting, role: str, who: str) -> None:
        self.gen, self.meeting, self.role, self.who = gen, meeting, role, who
        self.base: str | None = None  # another instance than the generator's (scenario 8)
        self.group = ""  # whose latencies these are, beside the totals (scenario 8)
        self.mute_drafts = False  # a writer of scenario 3b: drafts it receives are not parsed
        self.frozen = False  # scenario 5: this phone stopped reading
        self.cookies: dict[str, str] = {}
        self.ws: WSTransport | None = None
        self.closed: asyncio.Future[None] | None = None  # done when the socket is gone
        self.close_code: int | None = None
        self.last_seq = 0
        self.target_seq = 0
        self.caught = asyncio.Event()
        self.welcome: asyncio.Future[dict[str, Any]] | None = None
        self.mine: dict[str, int] = {}  # op id → sent (ns), until acknowledged
        self.waiters: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.acked = 0

    @property
    def open(self) -> bool:
        return self.ws is not None and self.closed is not None and not self.closed.done()

    async def connect(self, since: int) -> None:
        """Open the socket and say hello; returns after the welcome (ConnectionError when the
        server closes the socket instead)."""
        headers = {"Origin": self.gen.origin}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        loop = asyncio.get_running_loop()
        self.closed, self.close_code = loop.create_future(), None
        self.welcome = loop.create_future()
        self.ws, _ = await ws_connect(
            lambda: _Listener(self),
            self.gen.ws_url(self),
            extra_headers=headers,
            websocket_handshake_timeout=60,
            max_frame_size=1 << 26,
        )
        self.send({"op": "hello", "since": since})
        await asyncio.wait_for(self.welcome, 60)

    def gone(self) -> None:
        """The socket closed (by either side) or was lost."""
        code = self.close_code if self.close_code is not None else 1006
        self.close_code = code
        self.gen.stats.closes[str(code)] += 1
        role = self.role + ("-frozen" if self.frozen else "")
        self.gen.stats.closes_by_role[f"{role}:{code}"] += 1
        if self.welcome is not None and not self.welcome.done():
            self.welcome.set_exception(ConnectionError(f"closed with {code}"))
        if self.closed is not None and not self.closed.done():
            self.closed.set_result(None)

    def send(self, frame: dict[str, Any]) -> None:
        """Send without waiting (the socket buffers), as a browser's send() does."""
        if self.ws is not None and self.open:
            self.ws.send(WSMsgType.TEXT, json.dumps(frame, ensure_ascii=False).encode())

    def add_entry(self) -> None:
        op_id = uuid.uuid4().hex
        now = time.perf_counter_ns()
        self.mine[op_id] = now
        self.send({"op": "entry.add", "id": op_id, "phase": PHASE, "text": f"{now} {FILLER}"})

    async def op(self, frame: dict[str, Any], op_id: str = "") -> dict[str, Any]:
        """Send an op and wait for its event (or error)."""
        op_id = op_id or uuid.uuid4().hex
        future = asyncio.get_running_loop().create_future()
        self.waiters[op_id] = future
        self.send({**frame, "id": op_id})
        return await asyncio.wait_for(future, 30)

    async def paced(self, frame: dict[str, Any]) -> dict[str, Any]:
        """An op that must succeed, sent again while the chair's rate limit (20 ops/s) says
        "slow down" (a workshop's facilitator admits two hundred people) or the server says
        `unavailable` (not acknowledged: the same op again, as the browser does)."""
        op_id = uuid.uuid4().hex
        outcome = await self.op(frame, op_id)
        while outcome.get("code") in ("rate_limited", "unavailable"):
            await asyncio.sleep(0.1)
            outcome = await self.op(frame, op_id)
        assert outcome["type"] == "event", outcome
        return outcome

    def abort(self) -> None:
        """Drop the connection at once, as a lost network does."""
        if self.ws is not None:
            self.ws.underlying_transport.abort()


class _Listener(WSListener):  # type: ignore[misc]
    """One client socket's frames, as text to the generator (pings are answered by picows)."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.parts: list[bytes] = []  # a fragmented message (no server here sends one)

    def on_ws_frame(self, transport: WSTransport, frame: WSFrame) -> None:
        kind = frame.msg_type
        if kind == WSMsgType.TEXT or kind == WSMsgType.CONTINUATION:
            if frame.fin and not self.parts:
                self.client.gen.on_frame(self.client, frame.get_payload_as_utf8_text())
                return
            self.parts.append(frame.get_payload_as_bytes())
            if frame.fin:
                text, self.parts = b"".join(self.parts).decode(), []
                self.client.gen.on_frame(self.client, text)
        elif kind == WSMsgType.CLOSE:
            self.client.close_code = frame.get_close_code()
            transport.send_close(self.client.close_code)
            transport.disconnect()

    def on_ws_disconnected(self, transport: WSTransport) -> None:
        self.client.gone()


@dataclass(eq=False)
class Meeting:
    """One meeting (or baseline room) and its clients."""

    index: int
    id: str = ""
    join_code: str = ""
    chair: Client | None = None
    scribe: Client | None = None
    phones: list[Client] = field(default_factory=list)

    @property
    def clients(self) -> list[Client]:
        return [c for c in (self.chair, self.scribe, *self.phones) if c is not None]


class Generator:
    """The clients of every meeting, and the scenarios run with them."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.system: str = spec["system"]
        self.base: str = spec["base"]
        self.origin: str = spec.get("origin") or self.base
        self.gc_quiet: bool = spec.get("gc", "quiet") == "quiet"
        self.server_pid: int = spec["server_pid"]
        self.stats = Stats()
        self.meetings: list[Meeting] = []
        self.session: dict[str, str] = {}
        self.rooms = 0

    def mark(self, what: str) -> None:
        """Note that a measured part begins (a profiler waits for it to record that part)."""
        if self.spec.get("mark"):
            with open(self.spec["mark"], "a") as mark:
                mark.write(f"{what}\n")

    # -- connections ---------------------------------------------------------------------------

    def ws_url(self, client: Client) -> str:
        base = client.base or self.base
        url = base.replace("http://", "ws://") + f"/ws/meetings/{client.meeting.id}"
        return url if self.system == "avoin" else f"{url}?who={client.who}"

    def on_frame(self, client: Client, raw: str) -> None:  # noqa: C901 - over the limit before C901 was on: split when next changed
        """Every frame every client receives."""
        now = time.perf_counter_ns()
        stats = self.stats
        if stats.recording:
            stats.frames += 1
        if client.mute_drafts and raw.startswith('{"type": "draft"'):
            return
        frame = json.loads(raw)
        kind = frame.get("type")
        if kind == "event":
            seq = frame["seq"]
            if seq > client.last_seq:
                client.last_seq = seq
            op_id = frame.get("id")
            if op_id in client.mine:
                del client.mine[op_id]
                client.acked += 1
            elif frame["name"] == "entry.added" and stats.recording:
                sent = int(frame["data"]["entry"]["text"].split(" ", 1)[0])
                stats.commit_ms.append((now - sent) / 1e6)
                if client.group:
                    stats.grouped(client, "commit", (now - sent) / 1e6)
            waiter = client.waiters.pop(op_id, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(frame)
            if client.last_seq >= client.target_seq and client.target_seq:
                client.caught.set()
        elif kind == "draft":
            if stats.recording and client.role in stats.draft_roles:
                sent = int(frame["text"].split(" ", 1)[0])
                stats.draft_ms.append((now - sent) / 1e6)
                if client.group:
                    stats.grouped(client, "draft", (now - sent) / 1e6)
            if stats.recording and client.role == "phone":
                stats.phone_drafts += 1
                stats.tail_drafts += stats.tail
        elif kind == "welcome":
            if client.welcome is not None and not client.welcome.done():
                client.welcome.set_result(frame)
        elif kind == "snapshot":
            client.last_seq = frame["seq"]
            if client.last_seq >= client.target_seq and client.target_seq:
                client.caught.set()
        elif kind == "error":
            stats.errors[frame.get("code", "?")] += 1
            waiter = client.waiters.pop(frame.get("id"), None)
            if waiter is not None and not waiter.done():
                waiter.set_result(frame)
            client.mine.pop(frame.get("id"), None)

    # -- setup -----------------------------------------------------------------------------------

    async def setup(
        self, meetings: int, phones: int, arrange: Callable[[Meeting], None] | None = None
    ) -> list[Meeting]:
        """Meetings of a chair, a scribe and `phones` phones, every socket open and welcomed
        (`arrange` may point clients elsewhere before they connect)."""
        made = [Meeting(self.rooms + i) for i in range(meetings)]
        self.rooms += meetings
        if self.system == "avoin":
            await self._avoin_people(made, phones)
        else:
            for m in made:
                m.id = f"room{m.index}"
                m.chair = Client(self, m, "chair", f"c{m.index}")
                m.scribe = Client(self, m, "scribe", f"s{m.index}")
                m.phones = [Client(self, m, "phone", f"p{m.index}_{k}") for k in range(phones)]
        for m in made if arrange is not None else ():
            arrange(m)
        gate = asyncio.Semaphore(64)

        async def opened(client: Client) -> None:
            async with gate:
                await client.connect(0)

        await asyncio.gather(*(opened(c) for m in made for c in m.clients if c.ws is None))
        self.meetings.extend(made)
        return made

    async def login(self) -> None:
        """The bench's professional logs in once: the session cookie that makes meetings."""
        if self.session:
            return
        async with httpx.AsyncClient(base_url=self.base, timeout=60) as http:
            answer = await http.post(
                "/api/session",
                json={"username": USERNAME, "password": PASSWORD},
                headers={"X-Forwarded-For": _address()},
            )
            answer.raise_for_status()
            self.session = {"avoin_session": answer.cookies["avoin_session"]}

    async def create(self, pool: Pool, m: Meeting) -> None:
        """Make meeting `m` over the API, its chair's client with the session cookie."""
        cookie = "; ".join(f"{k}={v}" for k, v in self.session.items())
        answer, _ = await pool.post(
            "/api/meetings",
            {"title": f"Bench {m.index}", "frame": "hypothesis"},
            {"Cookie": cookie, "Origin": self.origin},
        )
        m.id, m.join_code = answer["id"], answer["join_code"]
        m.chair = Client(self, m, "chair", "")
        m.chair.cookies = dict(self.session)

    async def join(self, pool: Pool, person: Client, name: str) -> None:
        """The participant knocks with the join code over HTTP: its cookie and id."""
        m = person.meeting
        answer, cookies = await pool.post(
            f"/api/meetings/{m.id}/join",
            {"join_code": m.join_code, "name": name},
            {"X-Forwarded-For": _address()},
        )
        cookie = f"avoin_p_{m.id}"
        person.cookies = {cookie: cookies[cookie]}
        person.who = answer["participant"]["id"]

    async def _avoin_people(self, made: list[Meeting], phones: int) -> None:
        await self.login()
        pool = Pool(self.base, 8)
        try:
            gate = asyncio.Semaphore(8)

            async def one(m: Meeting) -> None:
                async with gate:
                    await self.create(pool, m)
                    people = [Client(self, m, "scribe", "")]
                    people += [Client(self, m, "phone", "") for _ in range(phones)]
                    for k, person in enumerate(people):
                        await self.join(pool, person, f"Osallistuja {k}")
                    m.scribe, m.phones = people[0], people[1:]
                assert m.chair is not None
                await m.chair.connect(0)
                for person in people:
                    await m.chair.paced({"op": "participant.admit", "participant": person.who})
                await m.chair.paced(
                    {"op": "participant.role", "participant": m.scribe.who, "role": "scribe"}
                )

            await asyncio.gather(*(one(m) for m in made))
        finally:
            pool.close()

    # -- scenarios -------------------------------------------------------------------------------

    async def typical(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Scenario 1 (and 6, the reconnect storm, at its end)."""
        made = await self.setup(spec["meetings"], spec["phones"])
        stop = asyncio.Event()
        loops = [asyncio.create_task(self._scribe(m, spec, stop)) for m in made]
        loops += [asyncio.create_task(self._chair(m, spec, stop)) for m in made]
        await asyncio.sleep(spec["warmup"])
        result = await self._window(spec["seconds"])
        result["sockets"] = sum(len(m.clients) for m in made)
        result["server_rss_per_socket"] = rss_bytes(self.server_pid) / max(1, result["sockets"])
        if spec.get("storm"):
            result["storm"] = await self._storm(made)
        stop.set()
        await asyncio.gather(*loops, return_exceptions=True)
        result["errors"] = dict(self.stats.errors)
        result["closes"] = dict(self.stats.closes)
        return result

    async def _window(self, seconds: float) -> dict[str, Any]:
        stats = self.stats
        stats.reset()
        with quiet_gc(self.gc_quiet):
            GC_CLOCK.take()
            cpu0, own0 = cpu_seconds(self.server_pid), time.process_time()
            t0 = time.perf_counter()
            stats.recording = True
            self.mark("window")
            await asyncio.sleep(seconds)
            stats.recording = False
        cpu1, own1, t1 = cpu_seconds(self.server_pid), time.process_time(), time.perf_counter()
        elapsed = t1 - t0
        return {
            "draft": percentiles(stats.draft_ms),
            "commit": percentiles(stats.commit_ms),
            "frames": stats.frames,
            "frames_per_s": stats.frames / elapsed,
            "server_cpu": (cpu1 - cpu0) / elapsed,
            "cpu_us_per_frame": (cpu1 - cpu0) / max(1, stats.frames) * 1e6,
            "loadgen_cpu": (own1 - own0) / elapsed,
            "loadgen_gc": GC_CLOCK.take(),
        }

    async def _scribe(self, m: Meeting, spec: dict[str, Any], stop: asyncio.Event) -> None:
        assert m.scribe is not None
        if not spec["draft_hz"]:
            await self._entries(m, spec, stop)
            return
        scribe, period = m.scribe, 1.0 / spec["draft_hz"]
        lo, hi = spec["entry_every"]
        await asyncio.sleep(random.uniform(0, period))
        loop = asyncio.get_running_loop()
        next_entry = loop.time() + random.uniform(0, hi)
        typed = 0
        while not stop.is_set():
            typed += 1
            scribe.send(
                {
                    "op": "draft",
                    "phase": PHASE,
                    "text": f"{time.perf_counter_ns()} {FILLER[: typed % 60]}",
                }
            )
            if loop.time() >= next_entry:
                scribe.add_entry()
                next_entry = loop.time() + random.uniform(lo, hi)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), period)

    async def _entries(self, m: Meeting, spec: dict[str, Any], stop: asyncio.Event) -> None:
        """Committed entries only, at the spec's steady rate (the durable-entries scenario)."""
        assert m.scribe is not None
        period = spec["entry_every"][0]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), random.uniform(0, period))
        loop = asyncio.get_running_loop()
        due = loop.time()
        while not stop.is_set():
            m.scribe.add_entry()
            due += period
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, due - loop.time()))

    async def _chair(self, m: Meeting, spec: dict[str, Any], stop: asyncio.Event) -> None:
        assert m.chair is not None
        every = spec["chair_every"]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), random.uniform(0, every))
        while not stop.is_set():
            m.chair.send({"op": "timer.start", "id": uuid.uuid4().hex, "seconds": 600})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)

    async def _storm(self, made: list[Meeting]) -> dict[str, Any]:
        """Drop every socket at once; each resumes with `hello since`; time until caught up."""
        clients = [c for m in made for c in m.clients]
        for m in made:
            head = max(c.last_seq for c in m.clients)
            for c in m.clients:
                c.target_seq, c.caught = head, asyncio.Event()
                if c.last_seq >= head:
                    c.caught.set()  # still counted: it must reconnect and say hello
        self.mark("storm")
        dropped = time.perf_counter()
        for c in clients:
            c.abort()
        await asyncio.gather(*(c.closed for c in clients if c.closed), return_exceptions=True)
        times: list[float] = []
        failures = 0
        cpu0 = cpu_seconds(self.server_pid)

        async def back(c: Client) -> None:
            nonlocal failures
            for attempt in range(20):
                try:
                    c.caught = asyncio.Event() if c.last_seq < c.target_seq else c.caught
                    await c.connect(c.last_seq)
                    await asyncio.wait_for(c.caught.wait(), 60)
                    times.append((time.perf_counter() - dropped) * 1000)
                    return
                except (OSError, TimeoutError, WSError):
                    await asyncio.sleep(min(2.0, 0.1 * 2**attempt) * random.uniform(0.5, 1.5))
            failures += 1

        await asyncio.gather(*(back(c) for c in clients))
        return {
            "clients": len(clients),
            "caught_up_ms": percentiles(times),
            "failures": failures,
            "server_cpu_s": cpu_seconds(self.server_pid) - cpu0,
        }

    async def ramp(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Scenario 3: raise the entry rate every few seconds until p99 > limit or a backlog."""
        made = await self.setup(spec["meetings"], spec["phones"])
        writers = [c for m in made for c in (m.chair, m.scribe) if c is not None]
        steps: list[dict[str, Any]] = []
        for rate in spec["rates"]:
            step = await self._step(writers, rate, spec["step_seconds"])
            steps.append(step)
            if step["verdict"] != "ok":
                break
        passing = [s["rate"] for s in steps if s["verdict"] == "ok"]
        tight = [s["rate"] for s in steps if s["verdict"] == "ok" and s["commit"]["p99"] <= 20]
        return {
            "steps": steps,
            "sustained": max(passing, default=0),
            "sustained_p99_20ms": max(tight, default=0),
            "stopped_by": steps[-1]["verdict"] if steps else "",
            "errors": dict(self.stats.errors),
        }

    async def _step(self, writers: list[Client], rate: float, seconds: float) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        interval = len(writers) / rate
        stats = self.stats
        stats.reset()
        errors0 = sum(stats.errors.values())
        acked0 = sum(c.acked for c in writers)
        sent = 0
        late = 0
        start = loop.time() + 0.05
        end = start + seconds

        async def write(c: Client, offset: float) -> None:
            nonlocal sent, late
            due = start + offset
            while due < end:
                delay = due - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                elif -delay > interval:
                    late += 1
                c.add_entry()
                sent += 1
                due += interval

        self.mark(f"step {rate:g}")
        with quiet_gc(self.gc_quiet):
            cpu0, own0 = cpu_seconds(self.server_pid), time.process_time()
            stats.recording = True
            await asyncio.gather(
                *(write(c, random.uniform(0, min(interval, seconds / 2))) for c in writers)
            )
            elapsed = loop.time() - start
            cpu1, own1 = cpu_seconds(self.server_pid), time.process_time()
            await asyncio.sleep(min(0.5, seconds / 4))  # in-flight frames still count
            stats.recording = False
        outstanding = sum(len(c.mine) for c in writers)
        acked = sum(c.acked for c in writers) - acked0
        errors = sum(stats.errors.values()) - errors0
        commit = percentiles(stats.commit_ms)
        loadgen_cpu = (own1 - own0) / elapsed
        verdict = "ok"
        if late > 0.1 * sent or loadgen_cpu > 0.95:
            verdict = "generator-bound"
        elif errors > 0.01 * sent:
            verdict = "errors"
        elif outstanding > max(20, 0.1 * rate):
            verdict = "backlog"
        elif not commit["p99"] <= 100:
            verdict = "p99>100ms"
        for c in writers:
            c.mine.clear()
        return {
            "rate": rate,
            "sent_per_s": sent / elapsed,
            "acked_per_s": acked / elapsed,
            "outstanding": outstanding,
            "errors": errors,
            "commit": commit,
            "frames_per_s": stats.frames / elapsed,
            "server_cpu": (cpu1 - cpu0) / elapsed,
            "loadgen_cpu": loadgen_cpu,
            "verdict": verdict,
        }

    async def close(self) -> None:
        for m in self.meetings:
            for c in m.clients:
                if c.ws is not None:
                    with contextlib.suppress(Exception):
                        c.abort()

    async def drop_all(self) -> None:
        """Close every socket of the scenarios before (aborted, as a lost network does)."""
        await self.close()
        closed = [c.closed for m in self.meetings for c in m.clients if c.closed is not None]
        await asyncio.gather(*closed, return_exceptions=True)
        self.meetings = []
        self.stats.reset()
        gc.collect()


def _address() -> str:
    """A distinct client address per knock, as phones on a family's own networks have."""
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


# Scenario 1's loop in other rooms: a workshop (big rooms, a 1 Hz tick), committed entries only
# (no drafts, a quiet chair), and a wellbeing county's meetings.
LIKE_TYPICAL = ("workshop", "durable", "county")


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    """Run the spec's scenarios in order on one server; their results by name."""
    from bench import density, drafts, pair, resume, slow

    gen = Generator(spec)
    more = {
        "drafts": drafts.draft_ramp,
        "slow": slow.slow_consumer,
        "density": density.density,
        "pair": pair.redis_pair,
        "resume": resume.resume,
    }
    results: dict[str, Any] = {}
    try:
        for name in spec["scenarios"]:
            if name == "typical":
                results[name] = await gen.typical(spec["typical"])
            elif name in LIKE_TYPICAL:  # scenario 1's loop in rooms of another shape
                if gen.meetings:
                    await gen.drop_all()
                    await asyncio.sleep(spec.get("between", 1.0))
                results[name] = await gen.typical(spec[name])
            elif name == "ramp":
                results[name] = await gen.ramp(spec["ramp"])
            else:
                if gen.meetings:  # the new scenarios start from no open sockets
                    await gen.drop_all()
                    await asyncio.sleep(spec.get("between", 1.0))  # the server settles
                results[name] = await more[name](gen, spec[name])
            gen.stats.errors.clear()
            gen.stats.closes.clear()
            gen.stats.closes_by_role.clear()
    finally:
        await gen.close()
    return results


if __name__ == "__main__":
    with open(sys.argv[1]) as source:
        loaded = json.load(source)
    print(json.dumps(asyncio.run(run(loaded))))
