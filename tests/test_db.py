"""SQLite as the embedded database: ops written on the event loop never wait for the write lock,
and the write-ahead log is checkpointed off the loop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import Column, Engine, Integer, MetaData, Table, insert, text
from sqlalchemy.exc import IntegrityError, OperationalError

from app.config import Settings
from app.db import (
    HeldConnection,
    checkpoint,
    lock_taken,
    make_engine,
    make_loop_engine,
    transaction,
)
from app.prepared import Prepared
from tests.conftest import migrated_sqlite

_INSERT_PROBE = Prepared(insert(Table("probe", MetaData(), Column("n", Integer))))


def test_the_loop_engine_refuses_at_once_when_the_write_lock_is_taken(tmp_path: Path) -> None:
    url = migrated_sqlite(tmp_path)
    engine, loop_engine = make_engine(url), make_loop_engine(url)
    assert loop_engine is not None and make_loop_engine("postgresql://x@localhost/y") is None
    try:
        with transaction(engine) as holder:
            holder.execute(text("UPDATE meeting SET title = title"))
            # Another transaction holds the lock: the loop is told so, it does not wait.
            with pytest.raises(OperationalError, match="locked"), transaction(loop_engine):
                pass
        with transaction(loop_engine) as session:  # free again
            session.execute(text("CREATE TABLE probe (n INTEGER)"))
            session.execute(text("INSERT INTO probe VALUES (1)"))
        with loop_engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
        checkpoint(engine)
        with engine.connect() as conn:
            busy, frames, done = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
        assert busy == 0 and frames == done  # everything in the log is in the database
    finally:
        engine.dispose()
        loop_engine.dispose()


@pytest.fixture
def held(tmp_path: Path) -> Iterator[tuple[Engine, HeldConnection]]:
    url = migrated_sqlite(tmp_path)
    engine, loop_engine = make_engine(url), make_loop_engine(url)
    assert loop_engine is not None
    with transaction(engine) as session:
        session.execute(text("CREATE TABLE probe (n INTEGER UNIQUE)"))
    connection = HeldConnection(loop_engine)
    yield engine, connection
    connection.close()
    engine.dispose()
    loop_engine.dispose()


def _probe(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return [row[0] for row in conn.execute(text("SELECT n FROM probe ORDER BY n"))]


def test_a_held_transaction_commits_the_drivers_writes_and_the_orms_together(
    held: tuple[Engine, HeldConnection],
) -> None:
    engine, connection = held
    with connection.transaction() as session:  # the driver's cursor only (the hot path)
        _INSERT_PROBE.run(session, {"n": 1})
    with connection.transaction() as session:  # and the ORM beside it, in the same transaction
        _INSERT_PROBE.run(session, {"n": 2})
        session.execute(text("INSERT INTO probe VALUES (3)"))
    assert _probe(engine) == [1, 2, 3]
    with connection.transaction() as session:  # the session is ready for the next op
        session.execute(text("INSERT INTO probe VALUES (4)"))
    assert _probe(engine) == [1, 2, 3, 4]


@pytest.mark.parametrize("orm", [False, True])
def test_a_failed_held_transaction_leaves_nothing_behind(
    held: tuple[Engine, HeldConnection], orm: bool
) -> None:
    engine, connection = held
    with pytest.raises(IntegrityError), connection.transaction() as session:
        _INSERT_PROBE.run(session, {"n": 5})
        if orm:
            session.execute(text("INSERT INTO probe VALUES (6)"))
        _INSERT_PROBE.run(session, {"n": 5})  # the unique key: the whole op is undone
    assert _probe(engine) == []
    with connection.transaction() as session:
        _INSERT_PROBE.run(session, {"n": 7})
    assert _probe(engine) == [7]


def test_a_held_transaction_is_refused_at_once_when_the_write_lock_is_taken(
    held: tuple[Engine, HeldConnection],
) -> None:
    engine, connection = held
    with transaction(engine) as holder:
        holder.execute(text("INSERT INTO probe VALUES (8)"))
        with pytest.raises(OperationalError) as refused, connection.transaction():
            pytest.fail("begun while another transaction holds the write lock")
        assert lock_taken(refused.value)  # the op goes to a thread that may wait
    with connection.transaction() as session:
        _INSERT_PROBE.run(session, {"n": 9})
    assert _probe(engine) == [8, 9]


@pytest.mark.parametrize(("setting", "level"), [("normal", 1), ("full", 2)])
def test_the_sqlite_durability_level_is_the_settings(
    tmp_path: Path, setting: str, level: int
) -> None:
    """`AVOIN_SQLITE_SYNCHRONOUS`: every connection, the loop's too, flushes the log as set
    (SQLite's `synchronous`: 1 NORMAL, 2 FULL)."""
    url = migrated_sqlite(tmp_path)
    settings = Settings(database_url=url, sqlite_synchronous=setting)  # type: ignore[arg-type]
    engine = make_engine(url, settings.sqlite_synchronous)
    loop_engine = make_loop_engine(url, settings.sqlite_synchronous)
    assert loop_engine is not None
    try:
        for made in (engine, loop_engine):
            with made.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == level
    finally:
        engine.dispose()
        loop_engine.dispose()


def test_an_unknown_durability_level_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(sqlite_synchronous="off")  # type: ignore[arg-type]
    assert Settings().sqlite_synchronous == "normal"  # unchanged unless asked for
