"""SQLite as the embedded database: ops written on the event loop never wait for the write lock,
and the write-ahead log is checkpointed off the loop."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.db import checkpoint, make_engine, make_loop_engine, transaction
from tests.conftest import migrated_sqlite


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
