"""/ws/meetings/{id}: decode → service → hub; hub → socket."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from typing import Any

from fastapi import APIRouter, WebSocket
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

from app.auth import SESSION_COOKIE, origin_allowed, participant_cookie, screen_credential
from app.errors import AppError
from app.i18n import pick_language, translate
from app.meetings import schemas as s
from app.meetings.domain import RECORD_WRITERS
from app.meetings.screen_reach import ScreenReach
from app.meetings.service import MeetingService
from app.meetings.socket_reads import Viewer
from app.ratelimit import TokenBucket
from app.realtime.connection import CLOSED_CODE, REMOVED_CODE, SocketWriter
from app.realtime.hub import CLOSE, Connection, Hub

log = logging.getLogger("avoin.live")
router = APIRouter()

MAX_STRIKES = 10  # malformed frames in a row before a connection is closed
DRAFT_INTERVAL = 0.1  # at most ten drafts a second per writer reach the room
# Per role: writers type fast for ninety minutes; a phone needs a handful of ops a minute.
RATES = {"chair": (20.0, 60.0), "scribe": (20.0, 60.0), "participant": (5.0, 20.0)}
OP_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
MAX_SOCKETS = 5  # per credential in one process: a few tabs, not a flood
PONG = json.dumps({"type": "pong"})


class LiveSession:
    """One open socket: reads frames in order and answers through the connection's queue."""

    def __init__(
        self,
        ws: WebSocket,
        service: MeetingService,
        hub: Hub,
        conn: Connection,
        lang: str,
    ) -> None:
        self.ws, self.service, self.hub, self.conn, self.lang = ws, service, hub, conn, lang
        self.attached = False
        self.audited = False
        self.strikes = 0
        self.bucket_kind = conn.kind or "participant"
        self.bucket = TokenBucket(*RATES.get(self.bucket_kind, RATES["participant"]))
        self.draft: s.Draft | None = None
        self.draft_sent = 0.0
        self.ponged = 0.0
        self.draft_task: asyncio.Task[None] | None = None
        self.max_bytes = ws.app.state.settings.max_frame_bytes
        self.metrics = ws.app.state.metrics

    def error(self, err: AppError, op_id: str | None) -> None:
        self.metrics.errors.labels(err.code).inc()
        frame = err.frame(op_id)
        frame["message"] = translate(err.message, self.lang)
        # ASCII escapes: an error may quote a field name from hostile input (a lone surrogate
        # would not encode as UTF-8 and would take the socket down).
        self.conn.push(json.dumps(frame, ensure_ascii=True))

    async def read(self) -> None:
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            if self.conn.close_code is not None:
                continue  # being closed: the writer finishes, then the socket goes
            text = message.get("text")
            if text is None:
                self.strike(AppError("invalid", "Only JSON text frames are accepted."), None)
            elif len(text) > self.max_bytes or len(text.encode()) > self.max_bytes:
                self.strike(AppError("too_large", "The frame is too large."), None)
            else:
                await self.receive(text)

    def strike(self, err: AppError, op_id: str | None) -> None:
        self.error(err, op_id)
        self.strikes += 1
        if self.strikes >= MAX_STRIKES:
            self.conn.kill(1008, "too many malformed frames")

    async def receive(self, text: str) -> None:
        """One frame from the browser: a hello, a heartbeat, a draft or an op."""
        frame = self.parse(text)
        if frame is None:
            return
        if isinstance(frame, s.Hello):
            await self.hello(frame.since)
        elif isinstance(frame, s.Ping):
            self.pong()
        elif not self.attached:
            self.error(AppError("invalid", "Say hello first."), frame.id)
        elif isinstance(frame, s.Draft):
            await self.on_draft(frame)
        else:
            await self.on_op(frame)

    def parse(self, text: str) -> s.Inbound | None:
        """The frame, or None when it was answered with an error (a strike if malformed)."""
        try:
            frame = s.inbound_adapter.validate_python(json.loads(text, object_pairs_hook=_unique))
        except ValidationError as exc:
            self.strike(AppError("invalid", "Malformed frame.", details=_why(exc)), _op_id(text))
            return None
        except (ValueError, TypeError, RecursionError):  # not JSON, a key twice, too deep
            self.strike(AppError("invalid", "Malformed frame."), _op_id(text))
            return None
        self.strikes = 0
        if "\\u0000" in text:
            # No database stores a NUL in text, and no person types one.
            self.error(AppError("invalid", "Text cannot contain a NUL character."), frame.id)
            return None
        return frame

    async def on_op(self, frame: s.Op) -> None:
        """An op: within the role's allowance, applied once, its outcome to the sender."""
        await self.follow_role()
        if not self.bucket.take():
            self.error(AppError("rate_limited", "Too many actions; slow down a little."), frame.id)
            return
        started = time.perf_counter()
        try:
            stored, fresh = await self.service.handle(
                self.conn.meeting_id, self.conn.participant_id, frame
            )
        except AppError as err:
            self.error(err, frame.id)
            return
        self.metrics.op_applied(frame.op, time.perf_counter() - started)
        if not fresh:
            self.conn.push(stored.frame)  # a resend: the original outcome, to the sender only
        elif isinstance(frame, s.SilentWrite):
            # The writer alone gets the thought back; the room heard only that one was written.
            mine = {
                "type": "silent.mine",
                "phase": json.loads(stored.frame)["data"]["phase"],
                "item": {"id": frame.id, "text": frame.text.strip()},
            }
            self.conn.push(json.dumps(mine, ensure_ascii=False))

    def pong(self) -> None:
        """Answer a heartbeat: the browser learns the way back is alive. At most one a second,
        so a flood of pings costs the server next to nothing."""
        now = time.monotonic()
        if now - self.ponged >= 1.0:
            self.ponged = now
            self.conn.push(PONG)

    async def follow_role(self) -> None:
        """The op allowance of the participant's role now (a role's allowance starts full)."""
        kind = self.conn.kind
        if kind is None:
            _seq, state = await self.service.state(self.conn.meeting_id)
            me = state.participants.get(self.conn.participant_id)
            kind = me.kind if me is not None else "participant"
            if self.conn.kind is None:  # an event may have told it meanwhile
                self.conn.kind = kind
        if kind != self.bucket_kind:
            self.bucket_kind = kind
            self.bucket = TokenBucket(*RATES.get(kind, RATES["participant"]))

    async def hello(self, since: int) -> None:
        meeting_id, pid = self.conn.meeting_id, self.conn.participant_id
        if not self.attached:
            self.conn.syncing = True  # events that arrive before the catch-up wait for it
            await self.hub.attach(self.conn)
            self.attached = True
        seq, state = await self.service.state(meeting_id)
        me = state.participants.get(pid)
        if me is None or me.removed:
            self.conn.kill(REMOVED_CODE, "removed")
            return
        self.conn.admitted = me.admitted
        welcome = {"type": "welcome", "you": me.public(True), "seq": seq if me.admitted else 0}
        self.conn.push(json.dumps(welcome, ensure_ascii=False))
        if me.admitted:
            if since:
                self.metrics.resumes.inc()
            if state.status == "closed" and not self.audited and me.kind != "screen":
                # The closed record read live is a read like one over HTTP: logged once a socket
                # (the screen is sent none of it after the close).
                self.audited = True
                await self.service.audit_view(meeting_id, pid, me.kind)
            await self.hub.sync(self.conn, since, seq)
        else:
            self.conn.syncing = False

    async def on_draft(self, draft: s.Draft) -> None:
        try:
            await self.service.check_draft(
                self.conn.meeting_id, self.conn.participant_id, draft.phase, draft.board
            )
        except AppError as err:
            self.error(err, draft.id)
            return
        self.draft = draft
        if self.draft_task is not None and not self.draft_task.done():
            return  # the pending flush will send the latest text
        wait = self.draft_sent + DRAFT_INTERVAL - time.monotonic()
        if wait <= 0:
            await self.flush_draft()
        else:
            self.draft_task = asyncio.create_task(self.flush_draft_after(wait))

    async def flush_draft_after(self, wait: float) -> None:
        await asyncio.sleep(wait)
        await self.flush_draft()

    async def flush_draft(self) -> None:
        draft, self.draft = self.draft, None
        if draft is None:
            return
        self.draft_sent = time.monotonic()
        frame = {
            "type": "draft",
            "actor": self.conn.participant_id,
            "phase": draft.phase,
            "text": draft.text[:4000],
        }
        if draft.board is not None:
            frame["board"] = draft.board
        await self.hub.publish_draft(self.conn.meeting_id, json.dumps(frame, ensure_ascii=False))

    async def close(self) -> None:
        if self.draft_task is not None:
            self.draft_task.cancel()
        if self.attached:
            await self.hub.detach(self.conn)


def _unique(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object whose keys are unique: a frame with a key twice is refused, not guessed."""
    body = dict(pairs)
    if len(body) != len(pairs):
        raise ValueError("duplicate key")
    return body


def _op_id(text: str) -> str | None:
    with contextlib.suppress(ValueError, TypeError, AttributeError, RecursionError):
        value = json.loads(text).get("id")
        if isinstance(value, str) and OP_ID.fullmatch(value):
            return value
    return None


def _why(exc: ValidationError) -> dict[str, Any]:
    first = exc.errors()[0]
    return {"field": ".".join(str(p) for p in first["loc"]), "detail": first["msg"]}


async def _write(ws: WebSocket, conn: Connection) -> None:
    queue = conn.queue
    assert queue is not None, "only a socket without a direct writer has a writer task"
    while True:
        frame = await queue.get()
        if frame is CLOSE:
            await ws.close(code=conn.close_code or 1000, reason=conn.close_reason)
            return
        await ws.send_text(frame)


@router.websocket("/ws/meetings/{meeting_id}")
async def live(ws: WebSocket, meeting_id: str) -> None:
    """One live socket of one participant (or the shared screen) in one meeting."""
    app_state = ws.app.state
    settings = app_state.settings
    participant = await _let_in(ws, meeting_id)
    if participant is None:
        return
    await ws.accept()
    lang = pick_language(ws.query_params.get("lang"), settings.language)
    conn = Connection(
        meeting_id,
        participant.id,
        participant.admitted,
        settings.send_queue_size,
        lang,
        SocketWriter.for_scope(ws.scope, settings.send_buffer_bytes),
        keeps_after_close=_keeps_after_close(participant),
        keeps_record=participant.kind in RECORD_WRITERS,
        kind=participant.kind,
        reach=ScreenReach() if participant.kind == "screen" else None,
    )
    session = LiveSession(ws, app_state.service, app_state.hub, conn, lang)
    if conn.writer is not None:
        await _serve_direct(ws, conn, session)
    else:
        await _serve_queued(ws, conn, session)


async def _let_in(ws: WebSocket, meeting_id: str) -> Viewer | None:
    """Who the socket's credential stands for, or None once the socket is closed with why."""
    app_state = ws.app.state
    if not origin_allowed(app_state.settings, ws.headers.get("origin")):
        await ws.close(code=1008, reason="origin not allowed")
        return None
    service: MeetingService = app_state.service
    try:
        participant = await service.authenticate(
            meeting_id,
            participant_token=ws.cookies.get(participant_cookie(meeting_id)),
            session_token=ws.cookies.get(SESSION_COOKIE),
            screen_token=screen_credential(ws, meeting_id),
        )
    except DBAPIError:
        # The database is away: "try again later", and the browser does.
        log.error("database unavailable at a handshake")
        await ws.close(code=1013, reason="try again")
        return None
    if participant is None:
        await ws.close(code=1008, reason="not allowed")
        return None
    if participant.closed and not _keeps_after_close(participant):
        # The old credential no longer opens a live view; the browser reads the closed record
        # over HTTP instead (told so by the close code, which only an accepted socket can carry).
        await ws.accept()
        await ws.close(code=CLOSED_CODE, reason="meeting closed")
        return None
    if app_state.hub.sockets_of(meeting_id, participant.id) >= MAX_SOCKETS:
        await ws.close(code=1008, reason="too many connections")
        return None
    return participant


async def _serve_queued(ws: WebSocket, conn: Connection, session: LiveSession) -> None:
    """A reader and a writer task, where the server gives no direct socket writer."""
    reader = asyncio.create_task(session.read())
    writer = asyncio.create_task(_write(ws, conn))
    try:
        await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)
        if reader.done() and reader.exception() is not None:
            log.error("live socket failed: %s", type(reader.exception()).__name__)
            with contextlib.suppress(Exception):
                await ws.close(code=1011, reason="server error: reconnect")
    finally:
        for task in (reader, writer):
            task.cancel()
        await asyncio.gather(reader, writer, return_exceptions=True)
        await session.close()


def _keeps_after_close(participant: Any) -> bool:
    """Who keeps a live view once the meeting is closed: professionals with an account (they
    correct the record) and the room's shared screen (it shows the family's summary code)."""
    return participant.user_id is not None or participant.kind == "screen"


async def _serve_direct(ws: WebSocket, conn: Connection, session: LiveSession) -> None:
    """The socket's life when frames are written straight out: this coroutine reads, and a
    close (removal, the meeting's close, too many bad frames) is sent by a task of its own."""
    closing: set[asyncio.Task[None]] = set()

    def close() -> None:
        task = asyncio.ensure_future(_close(ws, conn.close_code or 1000, conn.close_reason))
        closing.add(task)
        task.add_done_callback(closing.discard)

    conn.on_close = close
    try:
        await session.read()
    except Exception as exc:
        log.error("live socket failed: %s", type(exc).__name__)
        with contextlib.suppress(Exception):
            await ws.close(code=1011, reason="server error: reconnect")
    finally:
        await session.close()
        if closing:
            await asyncio.gather(*closing, return_exceptions=True)


async def _close(ws: WebSocket, code: int, reason: str) -> None:
    with contextlib.suppress(Exception):  # the client may be gone already
        await ws.close(code=code, reason=reason)


async def live_asgi(scope: Any, receive: Any, send: Any, meeting_id: str) -> None:
    """The live socket as a plain ASGI app, reached through LiveRoute (see app/main.py)."""
    await live(WebSocket(scope, receive, send), meeting_id)
