"""The engine and sessions. One short session per request or per inbound live op."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

WRITE_OPTION = "avoin_write"
CONNECTION = "avoin.connection"  # session.info: the connection of a `transaction`


def normalise_url(url: str) -> str:
    """Let settings take a plain postgresql:// URL: the app picks its own driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def make_loop_engine(url: str, synchronous: str = "normal") -> Engine | None:
    """For SQLite, an engine of one connection that never waits for the write lock (busy timeout
    0): ops applied on the event loop try it and go to a thread when it is taken. None elsewhere."""
    url = normalise_url(url)
    if not url.startswith("sqlite"):
        return None
    engine = create_engine(
        url,
        poolclass=StaticPool,
        connect_args={"check_same_thread": False, "timeout": 0},
        hide_parameters=True,
    )
    _sqlite_tuning(engine, busy_ms=0, autocheckpoint=False, synchronous=synchronous)
    return engine


def lock_taken(exc: OperationalError) -> bool:
    """Whether SQLite refused because another connection holds a lock (busy timeout 0): the
    work goes to a thread that may wait, instead of failing."""
    return "locked" in str(exc.orig) or "busy" in str(exc.orig)


def checkpoint(engine: Engine) -> None:
    """Copy SQLite's write-ahead log into the database (PASSIVE: writers are never blocked)."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


def make_engine(url: str, synchronous: str = "normal") -> Engine:
    """An engine for SQLite (embedded) or PostgreSQL (production)."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )
        _sqlite_tuning(engine, synchronous=synchronous)
        return engine
    # An error's message never carries the values (what was recorded) into a log.
    return create_engine(
        url,
        hide_parameters=True,
        pool_size=10,
        max_overflow=20,
        pool_pre_ping=True,
        pool_timeout=10,
        connect_args=PG_CONNECT_ARGS,
    )


# Every PostgreSQL connection's: bounded waits, so that an unreachable or stalled database fails
# an op in seconds (the client keeps it and resends), never hangs it.
PG_CONNECT_ARGS: dict[str, Any] = {
    "connect_timeout": 5,
    "options": "-c statement_timeout=15000",
    # A database that stops answering (packets lost) is noticed by the socket itself.
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 2,
    "tcp_user_timeout": 10000,
}


SYNCHRONOUS = {"normal": "NORMAL", "full": "FULL"}  # Settings.sqlite_synchronous → the pragma


def _sqlite_tuning(
    engine: Engine, busy_ms: int = 30000, autocheckpoint: bool = True, synchronous: str = "normal"
) -> None:
    level = SYNCHRONOUS[synchronous]

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, say when a transaction begins (see the "begin" hook).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={level}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # A deleted row's bytes are overwritten, not left in free pages for a file reader.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        if not autocheckpoint:
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writing transaction takes the write lock up front (IMMEDIATE): two writers queue on
        # busy_timeout instead of deadlocking when both try to upgrade a read lock. Readers
        # begin deferred and read their WAL snapshot without waiting for anyone.
        driver: Any = conn.connection.driver_connection
        if driver.in_transaction:
            return  # begun by a HeldConnection on the driver's connection: the session joins it
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


class HeldConnection:
    """One writing connection held for good (SQLite's loop engine has only one), its transactions
    begun and committed on the driver's connection itself, with one session kept for it: a
    session made and checked out per op, and SQLAlchemy's begin and commit around it, cost an op
    about a third of its CPU (issue 19). Where an op uses the ORM, the session's transaction
    joins the one begun here (the engine's begin hook sees it open) and its commit ends both.
    Used where one connection serves one task at a time."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None
        self._session: Session | None = None

    def _connection(self) -> tuple[Connection, Session]:
        conn, session = self._conn, self._session
        if conn is None or session is None or conn.closed or conn.invalidated:
            conn = self._conn = self.engine.connect().execution_options(**{WRITE_OPTION: True})
            session = self._session = Session(bind=conn, expire_on_commit=False)
            session.info[CONNECTION] = conn
        return conn, session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """As `transaction(engine)`: commit on success, roll back on any error."""
        conn, session = self._connection()
        driver: Any = conn.connection.driver_connection
        try:
            _driver_sql(conn, driver, "BEGIN IMMEDIATE")
        except BaseException:
            # A refused BEGIN (SQLite's lock taken) leaves nothing begun to roll back; the
            # connection is made anew for the next op, in a known state.
            self._drop(conn)
            raise
        try:
            yield session
            if session.in_transaction():
                session.commit()  # the ORM was used: its commit is the driver's
            else:
                _driver_sql(conn, driver, "COMMIT")
        except BaseException:
            if session.in_transaction():
                session.rollback()
            if driver.in_transaction:
                _driver_sql(conn, driver, "ROLLBACK")
            raise
        finally:
            if session.identity_map or session.new or session.deleted:
                session.expunge_all()  # the ORM was used: nothing of it outlives the op

    def _drop(self, conn: Connection) -> None:
        self._conn = self._session = None
        with contextlib.suppress(Exception):
            conn.close()

    def close(self) -> None:
        """Give the connection back (at shutdown)."""
        if self._conn is not None:
            self._drop(self._conn)


def _driver_sql(conn: Connection, driver: Any, sql: str) -> None:
    """`sql` on the driver's connection, its errors raised as SQLAlchemy's (as `Prepared.run`)."""
    dialect = conn.dialect
    try:
        driver.execute(sql)
    except dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(
            sql, None, exc, dialect.loaded_dbapi.Error, hide_parameters=True, dialect=dialect
        ) from exc


@contextmanager
def transaction(engine: Engine, write: bool = True) -> Iterator[Session]:
    """The one place that commits: commit on success, roll back on any error.

    `write=False` reads only: on SQLite it begins deferred and never takes the write lock, so a
    flood of page views cannot hold up the ops of live meetings."""
    session = Session(engine, expire_on_commit=False)
    # Kept for `Prepared.run`, which checks that it is still open (a rollback closes it).
    session.info[CONNECTION] = session.connection(execution_options={WRITE_OPTION: write})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
