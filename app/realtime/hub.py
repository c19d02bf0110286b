"""Per process: the live sockets of each meeting, one fan-out subscription per meeting, and a
bounded send queue per socket so that the slowest phone never slows the room."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from app.realtime.connection import (
    CLOSE,
    GONE_CODE,
    REMOVED_CODE,
    Connection,
    Effect,
    EffectOf,
    StoredEvent,
    no_effect,
    text_frame,
)
from app.realtime.fanout import Fanout
from app.realtime.room import Room

__all__ = ["CLOSE", "Connection", "Hub", "StoredEvent"]

log = logging.getLogger("avoin.hub")

SNAPSHOT_AFTER = 500  # a resume this far behind gets one snapshot instead of the events
PRESENCE_DELAY = 0.15


LoadEvents = Callable[[str, int, int], Awaitable[list[StoredEvent]]]
LoadSnapshot = Callable[[str, str, str], Awaitable[tuple[int, str]]]


class Hub:
    """Delivers sequenced events in order and without gaps to every local socket of a meeting."""

    def __init__(
        self,
        fanout: Fanout,
        instance_id: str,
        load_events: LoadEvents,
        load_snapshot: LoadSnapshot,
        effect_of: EffectOf = no_effect,
    ) -> None:
        self.fanout = fanout
        self.instance_id = instance_id
        self._load_events = load_events
        self._load_snapshot = load_snapshot
        self._effect_of = effect_of
        self._rooms: dict[str, Room] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self.on_lag: Callable[[float], None] | None = None

    # -- sockets -------------------------------------------------------------------------

    async def attach(self, conn: Connection) -> None:
        """Register a socket; returns once the meeting's subscription is live."""
        room = self._rooms.get(conn.meeting_id)
        if room is None:
            room = Room(conn.meeting_id)
            self._rooms[conn.meeting_id] = room
            room.task = asyncio.create_task(self._listen(room), name=f"room:{conn.meeting_id}")
        room.add(conn)
        await room.ready.wait()
        self._presence_changed(room)

    async def detach(self, conn: Connection) -> None:
        """Forget a socket; the last one out releases the subscription."""
        room = self._rooms.get(conn.meeting_id)
        if room is None:
            return
        room.discard(conn)
        if not room.connections:
            del self._rooms[conn.meeting_id]
            for task in (room.task, room.presence_task):
                if task is not None:
                    task.cancel()
            await self.fanout.publish(self._channel(room.meeting_id), self._presence_message(room))
            if room.task is not None:
                await asyncio.gather(room.task, return_exceptions=True)
        else:
            self._presence_changed(room)

    def online(self, meeting_id: str) -> frozenset[str]:
        """Participants with a socket open on any instance (as far as this one has heard)."""
        room = self._rooms.get(meeting_id)
        if room is None:
            return frozenset()
        return room.local_online().union(*room.remote_online.values())

    @property
    def room_count(self) -> int:
        return len(self._rooms)

    def sockets_of(self, meeting_id: str, participant_id: str) -> int:
        """How many sockets one credential has open here."""
        room = self._rooms.get(meeting_id)
        if room is None:
            return 0
        return room.members.get(participant_id, 0)

    def connection_count(self) -> int:
        return sum(len(r.connections) for r in self._rooms.values())

    async def sync(self, conn: Connection, since: int, head: int) -> None:
        """Bring a (re)connected socket up to date: the missed events, or one snapshot."""
        conn.syncing = True
        try:
            # A catch-up must fit the socket's send queue: further behind, one snapshot instead.
            limit = min(SNAPSHOT_AFTER, conn.queue_size // 2)
            # The screen always starts from its snapshot: its reach is learnt from it.
            if since == 0 or since > head or head - since > limit or conn.reach is not None:
                conn.last_seq = await self._send_snapshot(conn)
                conn.kind = None
            else:
                conn.last_seq = since
                conn.wanted_seq = max(conn.wanted_seq, head)
            await self._fill(conn)
        finally:
            self._synced(conn)

    @staticmethod
    def _synced(conn: Connection) -> None:
        """The socket is up to date: the screen is sent the drafts held back meanwhile (typed
        after the events it was catching up on, they must not overtake them)."""
        conn.syncing = False
        if conn.reach is not None:
            for frame in conn.reach.release():
                if conn.reach.allows_draft(frame):
                    conn.push(frame)

    def _start_gap(self, conn: Connection) -> None:
        if conn.syncing:
            return
        conn.syncing = True
        self._spawn(self._close_gap(conn))

    async def _close_gap(self, conn: Connection) -> None:
        try:
            await self._fill(conn)
        finally:
            self._synced(conn)

    async def _fill(self, conn: Connection) -> None:
        """Read the missed events from the database, the sequencer and the truth."""
        while conn.last_seq < conn.wanted_seq and conn.close_code is None:
            target = conn.wanted_seq
            if target - conn.last_seq > conn.queue_size - conn.backlog() - 8:
                # Too many to queue at once: one snapshot brings the socket up to date.
                conn.last_seq = max(conn.last_seq, await self._send_snapshot(conn))
                conn.kind = None
                continue
            rows = await self._load_events(conn.meeting_id, conn.last_seq, 1000)
            if not rows and conn.wanted_seq == target:
                return
            effects = [self._effect_of(row) for row in rows]
            if not all(conn.may_see(effect) for effect in effects) or (
                not conn.keeps_record and any(effect.hides_text for effect in effects)
            ):
                # Replayed, the events would carry the deleted entry's text again (in its
                # `entry.added`), or an entry this socket may not see yet: a snapshot, which
                # shows only what it may, instead.
                conn.last_seq = max(conn.last_seq, await self._send_snapshot(conn))
                continue
            for row, effect in zip(rows, effects, strict=True):
                if row.seq != conn.last_seq + 1:
                    continue
                if conn.reach is not None and not conn.reach.allows(row):
                    # Beyond what the screen shows: its snapshot instead, then on from there.
                    conn.last_seq = max(conn.last_seq, await self._send_snapshot(conn))
                    break
                conn.push(row.frame, row.wire)
                conn.last_seq = row.seq
                conn.follow(row, effect)

    async def _send_snapshot(self, conn: Connection) -> int:
        """Send the socket its snapshot (the screen learns its reach from it); its seq."""
        seq, frame = await self._load_snapshot(conn.meeting_id, conn.lang, conn.participant_id)
        if conn.reach is not None:
            conn.reach.learn(frame)
        conn.push(frame)
        return seq

    def _refresh(self, conn: Connection, seq: int) -> None:
        """The screen is sent a snapshot in place of an event beyond its reach."""
        conn.wanted_seq = max(conn.wanted_seq, seq)
        conn.syncing = True
        self._spawn(self._refresh_now(conn))

    async def _refresh_now(self, conn: Connection) -> None:
        try:
            conn.last_seq = max(conn.last_seq, await self._send_snapshot(conn))
            await self._fill(conn)
        finally:
            self._synced(conn)

    # -- publishing ------------------------------------------------------------------------

    async def publish_event(self, meeting_id: str, event: StoredEvent) -> None:
        """Deliver a committed event to this process's sockets at once, and ring the doorbell for
        the other instances (again later if the fan-out is down: they close gaps by seq)."""
        room = self._rooms.get(meeting_id)
        if room is not None:
            self._deliver_all(room, event)
        if not self.fanout.shared:
            return  # the hot path of a single instance: no envelope, no doorbell
        message = json.dumps(
            {
                "ts": time.time(),
                "instance": self.instance_id,
                "t": "event",
                "seq": event.seq,
                "name": event.name,
                "subject": event.subject,
                "frame": event.frame,
            },
            ensure_ascii=False,
        )
        await self._ring(self._channel(meeting_id), message)

    async def _ring(self, channel: str, message: str) -> None:
        if await self.fanout.publish(channel, message) is False:
            self._spawn(self._ring_again(channel, message))

    async def _ring_again(self, channel: str, message: str) -> None:
        # The other instances would otherwise hear of this event only with the next one.
        delay = 0.2
        for _ in range(8):
            await asyncio.sleep(delay)
            if await self.fanout.publish(channel, message) is not False:
                return
            delay = min(delay * 2, 5.0)
        log.error("could not ring the fan-out for a committed event; instances catch up later")

    async def publish_gone(self, meeting_id: str) -> None:
        """The meeting was deleted: every socket of it, on every instance, is closed."""
        await self.fanout.publish(self._channel(meeting_id), json.dumps({"t": "gone"}))

    async def publish_cut(self, meeting_id: str, participants: list[str]) -> None:
        """These participants' sockets in this meeting, on every instance, are closed (the account
        they came in with was ended): they do not reconnect."""
        message = json.dumps({"t": "cut", "participants": participants})
        await self.fanout.publish(self._channel(meeting_id), message)

    async def publish_draft(self, meeting_id: str, frame: str) -> None:
        room = self._rooms.get(meeting_id)
        if room is not None:
            self._send_draft(room, frame)
        if not self.fanout.shared:
            return
        message = json.dumps(
            {"t": "draft", "instance": self.instance_id, "frame": frame}, ensure_ascii=False
        )
        await self.fanout.publish(self._channel(meeting_id), message)

    @staticmethod
    def _send_draft(room: Room, frame: str) -> None:
        wire = text_frame(frame.encode())
        for conn in room.connections:
            if not conn.admitted:
                continue
            if conn.reach is None:
                conn.push(frame, wire)
            elif conn.syncing:
                conn.reach.hold(frame)
            elif conn.reach.allows_draft(frame):
                conn.push(frame, wire)

    # -- the subscription --------------------------------------------------------------------

    @staticmethod
    def _channel(meeting_id: str) -> str:
        return f"avoin:meeting:{meeting_id}"

    async def _listen(self, room: Room) -> None:
        """Supervised: resubscribe with back-off if the fan-out fails, then close gaps."""
        delay = 0.1
        while True:
            try:
                async with self.fanout.subscribe(self._channel(room.meeting_id)) as messages:
                    if room.ready.is_set():
                        # Messages may have been lost while the subscription was down.
                        for conn in list(room.connections):
                            if conn.admitted:
                                conn.wanted_seq = max(conn.wanted_seq, conn.last_seq + 1)
                                self._start_gap(conn)
                    room.ready.set()
                    delay = 0.1
                    async for message in messages:
                        self._dispatch(room, message)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("fan-out subscription failed; resubscribing in %.1fs", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    def _dispatch(self, room: Room, message: str) -> None:
        try:
            body = json.loads(message)
            kind = body["t"]
        except (ValueError, KeyError, TypeError):
            log.warning("dropped a malformed fan-out message")
            return
        if kind in ("event", "draft", "presence") and body.get("instance") == self.instance_id:
            return  # delivered here already, when it was published
        if kind == "event":
            if self.on_lag is not None and "ts" in body:
                self.on_lag(max(0.0, time.time() - body["ts"]))
            event = StoredEvent(body["seq"], body["name"], body.get("subject"), body["frame"])
            self._deliver_all(room, event)
        elif kind in ("gone", "cut"):
            self._close(room, body)
        elif kind == "draft":
            self._send_draft(room, body["frame"])
        elif kind == "presence":
            self._remote_presence(room, body)

    @staticmethod
    def _close(room: Room, body: dict[str, Any]) -> None:
        """The meeting was deleted (every socket closes), or accounts were ended (theirs do)."""
        cut = set(body.get("participants", ()))
        for conn in room.connections:
            if body["t"] == "gone":
                conn.kill(GONE_CODE, "deleted")
            elif conn.participant_id in cut:
                conn.kill(REMOVED_CODE, "account ended")

    def _remote_presence(self, room: Room, body: dict[str, Any]) -> None:
        """Who another instance has online in this room."""
        online = frozenset(body.get("online", ()))
        if online:
            room.remote_online[body["instance"]] = online
        else:
            room.remote_online.pop(body["instance"], None)
        self._send_presence(room)

    def _deliver_all(self, room: Room, event: StoredEvent) -> None:
        effect = self._effect_of(event)  # once for the event, not once per socket
        for conn in list(room.connections):
            self._deliver(conn, event, effect)

    def _deliver(self, conn: Connection, event: StoredEvent, effect: Effect) -> None:
        if not conn.admitted:
            # A socket in the lobby hears only of itself being let in or turned away.
            if event.subject == conn.participant_id:
                if effect.lets_in:
                    conn.push(event.frame)
                    conn.admitted = True
                    conn.syncing = True  # until the snapshot is queued
                    self._spawn(self.sync(conn, 0, 0))
                elif effect.turns_away:
                    conn.push(event.frame)
                    conn.kill(REMOVED_CODE, "removed")
            return
        if conn.syncing:
            conn.wanted_seq = max(conn.wanted_seq, event.seq)
            return
        if event.seq <= conn.last_seq:
            return
        if event.seq == conn.last_seq + 1:
            if not conn.may_see(effect) or (
                conn.reach is not None and not conn.reach.allows(event)
            ):
                self._refresh(conn, event.seq)
                return
            conn.push(event.frame, event.wire)
            conn.last_seq = event.seq
            conn.follow(event, effect)
            return
        conn.wanted_seq = max(conn.wanted_seq, event.seq)
        self._start_gap(conn)

    # -- presence ------------------------------------------------------------------------------

    def _presence_changed(self, room: Room) -> None:
        if room.presence_task is None or room.presence_task.done():
            room.presence_task = asyncio.create_task(self._presence_soon(room))

    async def _presence_soon(self, room: Room) -> None:
        # Joins and leaves come in bursts (a room filling up); one presence frame covers a burst.
        await asyncio.sleep(PRESENCE_DELAY)
        self._send_presence(room)
        await self.fanout.publish(self._channel(room.meeting_id), self._presence_message(room))

    def _presence_message(self, room: Room) -> str:
        online = sorted(room.local_online()) if room.meeting_id in self._rooms else []
        return json.dumps({"t": "presence", "instance": self.instance_id, "online": online})

    def _send_presence(self, room: Room) -> None:
        frame = json.dumps({"type": "presence", "online": sorted(self.online(room.meeting_id))})
        wire = text_frame(frame.encode())
        for conn in room.connections:
            if conn.admitted:
                conn.push(frame, wire)

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        """Stop every room (at shutdown)."""
        for room in list(self._rooms.values()):
            for conn in list(room.connections):
                conn.kill(1012, "server restarting")
            for task in (room.task, room.presence_task):
                if task is not None:
                    task.cancel()
        self._rooms.clear()
        for task in list(self._tasks):
            task.cancel()
