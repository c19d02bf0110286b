"""PostgreSQL: an op's writes and its commit sent in one round trip, from the event loop.

Through SQLAlchemy an op on PostgreSQL was a worker thread, a pooled session (with its ping)
and six round trips (`BEGIN`, the meeting's turn, the head seq, two inserts, `COMMIT`), each a
wake-up of its own: several times the CPU a relay spends on the same frame (issue 19). When this
process holds the meeting's state, nothing of that needs reading: the op's statements are kept
(`prepared.Batch`) and sent here in libpq's pipeline mode, all at once and followed by one Sync.
Statements up to a Sync are one transaction, committed by the Sync (with `synchronous_commit`
as ever) or, if any of them fails, rolled back whole. The log's unique `(meeting_id, seq)` is
the check that the state held was still the last: if another instance wrote meanwhile, the
insert is refused, nothing is written, and the op goes the long way (which reads afresh).

The connections are psycopg's (connected, authenticated, closed by it); the round trip itself
is driven through its libpq handle, with its parameters made by psycopg's own adapters: psycopg's
cursor machinery costs several times the round trip on this path.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from typing import Any

import psycopg
from psycopg import pq
from psycopg.adapt import PyFormat, Transformer
from sqlalchemy import Engine
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.engine import Dialect

from app.db import PG_CONNECT_ARGS

# Connections kept for this: an op holds one for a round trip (about a millisecond, most of it
# the log's flush), so a few serve many meetings; more ops at once wait for a free one.
CONNECTIONS = 8
# Statements prepared per connection (the hot path has a handful; the rest run unprepared).
PREPARED = 64
_OK = (pq.ExecStatus.COMMAND_OK, pq.ExecStatus.TUPLES_OK)


class Refused(Exception):
    """The database refused a write (a constraint): nothing of the op was written."""


class Unanswered(Exception):
    """The connection broke or an unexpected error came: whether the op committed is unknown."""


class Late(Exception):
    """No answer by the deadline: the connection is given up, and whether the op committed is
    unknown until the database's turn for the meeting comes round again."""


class _Link:
    """One connection in pipeline mode, its socket watched by the event loop for good."""

    _names = itertools.count()

    def __init__(self, conn: psycopg.AsyncConnection[Any]) -> None:
        self.conn = conn
        self.pg = conn.pgconn
        self.tx = Transformer(conn)
        self.prepared: dict[tuple[bytes, tuple[int, ...]], bytes] = {}
        self._waiter: asyncio.Future[None] | None = None
        self._refused: str | None = None
        self._results = 0
        self.pg.nonblocking = 1
        self.pg.enter_pipeline_mode()
        # The socket's number, kept: once libpq drops a broken connection it closes the socket
        # and no longer says which it was, yet the loop still watches that number.
        self.fd = self.pg.socket
        self.closed = False
        self.loop = asyncio.get_running_loop()
        self.loop.add_reader(self.fd, self._readable)

    async def run(self, statements: list[tuple[str, Any]], deadline: float) -> None:
        """Send the statements and a Sync; return when the Sync's answer says all committed.
        At the loop's time `deadline` without it, the connection is given up (Late)."""
        pg = self.pg
        new: list[tuple[tuple[bytes, tuple[int, ...]], bytes]] = []
        for sql, values in statements:
            query = sql.encode()
            params = self.tx.dump_sequence(values, [PyFormat.TEXT] * len(values))
            types = self.tx.types or ()
            name = self.prepared.get((query, types))
            if name is None and len(self.prepared) + len(new) < PREPARED:
                name = f"avoin_{next(self._names)}".encode()
                pg.send_prepare(name, query, param_types=types)
                new.append(((query, types), name))
            if name is None:
                pg.send_query_params(query, params, param_types=types)
            else:
                pg.send_query_prepared(name, params)
        pg.pipeline_sync()
        waiter = self._waiter = self.loop.create_future()
        self._refused = None
        # A timer, not a task with a timeout: the op costs no extra turn of the loop.
        timer = self.loop.call_at(deadline, self._late, waiter)
        try:
            if pg.flush():
                await self._flushed()
            await waiter
        finally:
            timer.cancel()
        if self._refused is not None:
            # A statement prepared in this pipeline may have been skipped: prepared anew later,
            # under a new name (the old one, if made, is never used).
            raise Refused(self._refused)
        self.prepared.update(new)

    async def _flushed(self) -> None:
        """The rest of a large pipeline, sent as the socket takes it."""
        while True:
            ready = self.loop.create_future()
            self.loop.add_writer(self.fd, ready.set_result, None)
            try:
                await ready
            finally:
                if not self.closed:  # else close() took it, and the number may be another's now
                    self.loop.remove_writer(self.fd)
            if not self.pg.flush():
                return

    def _readable(self) -> None:
        waiter = self._waiter
        try:
            self.pg.consume_input()
            while waiter is not None and not waiter.done() and not self.pg.is_busy():
                result = self.pg.get_result()
                if result is None:
                    continue  # the end of one statement's results
                status = result.status
                if status == pq.ExecStatus.PIPELINE_SYNC:
                    waiter.set_result(None)
                elif status == pq.ExecStatus.FATAL_ERROR:
                    state = result.error_field(pq.DiagnosticField.SQLSTATE) or b""
                    if not state.startswith(b"23"):  # not a constraint: an unexpected failure
                        raise Unanswered(state.decode())
                    self._refused = self._refused or state.decode()
                elif status not in _OK and status != pq.ExecStatus.PIPELINE_ABORTED:
                    raise Unanswered(pq.ExecStatus(status).name)
        except Exception as exc:
            self.close()
            if waiter is not None and not waiter.done():
                waiter.set_exception(exc if isinstance(exc, Unanswered) else Unanswered(exc))

    def _late(self, waiter: asyncio.Future[None]) -> None:
        if not waiter.done():
            self.close()
            waiter.set_exception(Late())

    @property
    def whole(self) -> bool:
        """Not broken, nor closed by the server while idle."""
        return not self.closed and self.pg.status == pq.ConnStatus.OK

    def close(self) -> None:
        """Stop watching the socket and close the connection, once, and at once when it broke.

        libpq may already have closed the socket: the kernel gives its number to the next socket
        opened, and a socket the loop takes on under a number it still watches is never read
        (the selector keeps the old registration). So the watch ends by the kept number, in the
        same turn of the loop as the break, and never again later, when the number may be
        another's."""
        if self.closed:
            return
        self.closed = True
        self.loop.remove_reader(self.fd)
        self.loop.remove_writer(self.fd)
        with contextlib.suppress(Exception):
            self.pg.finish()

    async def aclose(self) -> None:
        self.close()
        with contextlib.suppress(Exception):
            await self.conn.close()


class PipelinedWriter:
    """A few PostgreSQL connections of the event loop's, each sending one op's writes with the
    commit in one round trip."""

    def __init__(self, engine: Engine, connections: int = CONNECTIONS) -> None:
        _args, kwargs = engine.dialect.create_connect_args(engine.url)
        self._connect: dict[str, Any] = {**kwargs, **PG_CONNECT_ARGS, "autocommit": True}
        # Statements are compiled for libpq's own placeholders ($1, $2, ...).
        self.dialect: Dialect = PGDialect_psycopg(paramstyle="numeric_dollar")  # type: ignore[no-untyped-call]
        self._size = connections
        self._slots: asyncio.Semaphore | None = None  # made inside the running loop
        self._idle: list[_Link] = []
        self._closed = False

    async def commit(self, statements: list[tuple[str, Any]], within: float) -> None:
        """The statements as one transaction: returns once committed.

        Raises Refused when a constraint refused a statement (nothing written); Late when the
        database did not answer within `within` seconds; Unanswered, `psycopg.Error` or OSError
        when it did not answer as expected. After the last three whether it committed is
        unknown, and the connection is not used again."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._size)
        if self._slots.locked():  # every connection busy: wait for one, but not for ever
            try:
                async with asyncio.timeout_at(deadline):
                    await self._slots.acquire()
            except TimeoutError:
                raise Late() from None
        else:
            await self._slots.acquire()
        try:
            await self._commit(statements, deadline)
        finally:
            self._slots.release()

    async def _commit(self, statements: list[tuple[str, Any]], deadline: float) -> None:
        link = await self._link(deadline)
        try:
            await link.run(statements, deadline)
        except Refused:
            self._give_back(link)
            raise
        except BaseException:
            await link.aclose()
            raise
        self._give_back(link)

    async def _link(self, deadline: float) -> _Link:
        """An idle connection that is still whole, or a new one."""
        while self._idle:
            link = self._idle.pop()
            if link.whole:
                return link
            await link.aclose()
        try:
            async with asyncio.timeout_at(deadline):
                return _Link(await psycopg.AsyncConnection.connect(**self._connect))
        except TimeoutError:
            raise Late() from None

    def _give_back(self, link: _Link) -> None:
        if self._closed or not link.whole:
            link.close()
        else:
            self._idle.append(link)

    async def close(self) -> None:
        """Close the idle connections (at shutdown); one in use closes when given back."""
        self._closed = True
        idle, self._idle = self._idle, []
        for link in idle:
            await link.aclose()
