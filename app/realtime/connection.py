"""One live socket as the hub sees it, and the lean way its frames reach the wire.

Under uvicorn's sans-io websockets protocol a frame is written straight to the socket's
transport: the event is serialised once and framed once, and every recipient costs one
`transport.write` of the same bytes — no task switch, no ASGI message per recipient. Elsewhere
(other servers, the hub's own tests) frames go through a bounded queue and a writer task.
"""

from __future__ import annotations

import asyncio
import re
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol


class Reach(Protocol):
    """An audience narrower than the meeting's (the shared screen): what may reach it as it is,
    and what reaches it as a fresh snapshot instead. The app says what (app/meetings/
    screen_reach.py); the hub asks, and never looks into an event itself."""

    def learn(self, frame: str) -> None:
        """Take in the snapshot frame the socket is being sent."""

    def allows(self, event: StoredEvent) -> bool:
        """Whether the event may be sent as it is (else a snapshot instead)."""

    def allows_draft(self, frame: str) -> bool:
        """Whether a draft is for this audience."""

    def hold(self, frame: str) -> None:
        """Keep a draft until the socket has caught up."""

    def release(self) -> list[str]:
        """The drafts held, handed over once."""


CLOSE = object()  # the writer's signal to close the socket
# The close codes a socket is cut with; the browser's live.js knows the same three.
CLOSED_CODE = 4001  # the meeting was closed: do not reconnect, read the record over HTTP
REMOVED_CODE = 4003  # declined in the lobby or removed: this credential is not let in
GONE_CODE = 4004  # the meeting was deleted: nothing of it is left to show


@dataclass(frozen=True)
class Effect:
    """What delivering an event does to the sockets besides carrying it. The app says which
    event has which effect (the hub is given a function for it); the hub knows only these."""

    lets_in: bool = False  # the subject's socket waiting in the lobby is let in
    turns_away: bool = False  # the subject's sockets are cut (REMOVED_CODE)
    ends: bool = False  # sockets that do not keep a closed meeting are cut (CLOSED_CODE)
    # Participants whose role changes, with their new kind: their sockets follow at once.
    roles: Mapping[str, str] = field(default_factory=dict)
    # Replayed to a socket that may not see deleted text, the log would show it again.
    hides_text: bool = False
    # Who besides the record's writers may be sent the event as it is (an entry asked of one
    # person first); None: everyone. The others are sent a fresh snapshot instead, without it.
    audience: frozenset[str] | None = None


NO_EFFECT = Effect()
PROTOCOL_KEY = "avoin.ws_protocol"


def text_frame(payload: bytes) -> bytes:
    """An unmasked, unfragmented text frame (RFC 6455 §5.2), as a server sends it."""
    size = len(payload)
    if size < 126:
        return bytes((0x81, size)) + payload
    if size < 65536:
        return struct.pack("!BBH", 0x81, 126, size) + payload
    return struct.pack("!BBQ", 0x81, 127, size) + payload


@dataclass(frozen=True)
class StoredEvent:
    """An event as it travels: the frame is serialised once, for every recipient."""

    seq: int
    name: str
    subject: str | None
    frame: str

    @cached_property
    def wire(self) -> bytes:
        """The frame as it goes on the wire, made once for every recipient."""
        return text_frame(self.frame.encode())


def no_effect(_event: StoredEvent) -> Effect:
    """The effect of every event where the app declares none (the hub's tests of delivery)."""
    return NO_EFFECT


EffectOf = Callable[[StoredEvent], Effect]


class SocketWriter:
    """Writes whole frames to one uvicorn sans-io websocket's transport."""

    def __init__(self, protocol: Any, limit: int) -> None:
        self._protocol = protocol
        self._limit = limit

    @classmethod
    def for_scope(cls, scope: Mapping[str, Any], limit: int) -> SocketWriter | None:
        """A writer when the server is uvicorn's sans-io protocol, else None (use the queue)."""
        protocol = scope.get(PROTOCOL_KEY)
        needed = ("transport", "close_sent", "disconnected", "handshake_complete")
        if protocol is None or not all(hasattr(protocol, name) for name in needed):
            return None
        return cls(protocol, limit)

    def write(self, wire: bytes) -> bool:
        """Write one frame; False when the socket cannot keep up (its backlog passed the
        limit, or the server gave up on it after unanswered pings)."""
        protocol = self._protocol
        transport: asyncio.WriteTransport = protocol.transport
        if protocol.close_sent or protocol.disconnected:
            return True  # being closed on purpose: the rest is not wanted
        if transport.is_closing():
            # uvicorn closes a socket whose pings go unanswered, but a peer that reads nothing
            # would hold the backlog for ever.
            return transport.get_write_buffer_size() == 0
        transport.write(wire)
        return transport.get_write_buffer_size() <= self._limit

    def cut(self) -> None:
        """Drop the connection at once: a client this far behind resumes with `since`."""
        self._protocol.transport.abort()


@dataclass(eq=False)
class Connection:
    """One socket as the hub sees it."""

    meeting_id: str
    participant_id: str
    admitted: bool
    queue_size: int = 256
    lang: str = "fi"
    writer: SocketWriter | None = None
    keeps_after_close: bool = False
    # The record's writers (chair, scribe): a deleted entry's text may reach them (they may
    # restore it), and an entry not yet approved by the person it was asked of first.
    keeps_record: bool = False
    # The participant's role, which sets its op allowance; None when unknown (after a snapshot,
    # which may have skipped the event that changed it: the socket asks the state).
    kind: str | None = "participant"
    # The shared screen's: what of the meeting may reach it (app/meetings/screen_reach.py).
    reach: Reach | None = None
    # With a writer, frames go straight out and `on_close` closes the socket; without one, a
    # bounded queue and a writer task do both.
    on_close: Callable[[], None] | None = None
    queue: asyncio.Queue[Any] | None = field(init=False)
    last_seq: int = 0
    wanted_seq: int = 0
    syncing: bool = False
    close_code: int | None = None
    close_reason: str = ""

    def __post_init__(self) -> None:
        # A queue costs a few KiB per socket: only the queued mode has one.
        self.queue = asyncio.Queue(self.queue_size) if self.writer is None else None

    def backlog(self) -> int:
        """Frames waiting to be written (the queued mode; the direct mode has none)."""
        return self.queue.qsize() if self.queue is not None else 0

    def push(self, frame: str, wire: bytes | None = None) -> None:
        """Send a frame; a socket that cannot keep up is cut and resumes with `since`."""
        if self.close_code is not None:
            return
        if self.writer is not None:
            if not self.writer.write(wire if wire is not None else text_frame(frame.encode())):
                self.close_code, self.close_reason = 1013, "too slow: reconnect and resume"
                self.writer.cut()
            return
        assert self.queue is not None
        try:
            self.queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.kill(1013, "too slow: reconnect and resume")

    def may_see(self, effect: Effect) -> bool:
        """Whether the event may reach this socket as it is (else a snapshot in its place)."""
        return (
            effect.audience is None or self.keeps_record or self.participant_id in effect.audience
        )

    def follow(self, event: StoredEvent, effect: Effect) -> None:
        """What an event it was sent does to this socket (its effect, as the app declares it)."""
        if self.participant_id in effect.roles:
            # The op allowance and the sight of deleted text follow the role at once (a new
            # scribe flushes a queue; a former scribe no longer sees what was deleted).
            self.kind = effect.roles[self.participant_id]
            self.keeps_record = self.kind in ("chair", "scribe")
        elif effect.turns_away and event.subject == self.participant_id:
            self.kill(REMOVED_CODE, "removed")
        elif effect.ends and not self.keeps_after_close:
            # The record is locked: only professionals with an account keep a live view (to
            # correct it); everyone else reads the closed record and gives feedback over HTTP.
            self.kill(CLOSED_CODE, "meeting closed")

    def kill(self, code: int, reason: str) -> None:
        """Ask the writer to close this socket after what is already queued (or at once if full)."""
        if self.close_code is not None:
            return
        self.close_code, self.close_reason = code, reason
        if self.writer is not None:
            if self.on_close is not None:
                self.on_close()
            return
        queue = self.queue
        assert queue is not None
        if queue.full():
            while not queue.empty():
                queue.get_nowait()
        queue.put_nowait(CLOSE)


class LiveRoute:
    """ASGI middleware, the outermost of the app's own: a live socket goes straight to its
    handler, past the routing and middleware layers built for HTTP requests (each of which would
    keep a frame alive for the socket's whole life), with the server's protocol at hand for
    SocketWriter. Everything else goes on to the app."""

    def __init__(self, app: Any, path: str, handler: Any) -> None:
        self.app = app
        self.path = re.compile(path)
        self.handler = handler

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "websocket":
            match = self.path.fullmatch(scope["path"])
            if match is not None:
                # uvicorn's `send` is a bound method of the connection's protocol object.
                scope[PROTOCOL_KEY] = getattr(send, "__self__", None)
                await self.handler(scope, receive, send, match.group(1))
                return
        await self.app(scope, receive, send)
