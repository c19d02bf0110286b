"""The hot statements run on the driver's cursor write what SQLAlchemy's own execution writes,
on SQLite and on PostgreSQL, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Engine, Integer, MetaData, Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app.accounts import add_user
from app.cli import migrate
from app.db import make_engine, transaction
from app.meetings.models import Event, Meeting
from app.meetings.repository import head_seq
from app.prepared import Prepared
from tests.conftest import migrated_sqlite
from tests.production import drop_database, new_database

AT = dt.datetime(2026, 11, 25, 21, 48, 8, 123456, tzinfo=dt.UTC)
RENAME = Prepared(
    update(Meeting)
    .where(col(Meeting.id) == bindparam("meeting"))
    .values(title=col(Meeting.title) + "!")
    .returning(col(Meeting.title))
)
INSERT_EVENT = Prepared(insert(Event))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        made = make_engine(migrated_sqlite(tmp_path))
        yield made
        made.dispose()
        return
    name, url = new_database()
    try:
        migrate(url)
        made = make_engine(url)
        yield made
        made.dispose()
    finally:
        drop_database(name)


def a_meeting(engine: Engine) -> str:
    with transaction(engine) as session:
        owner = add_user(session, "kalle", "salasana-joka-on-pitka", display_name="Kalle")
        session.flush()
        session.add(
            Meeting(
                id="m1",
                title="Testi",
                frame_key="hypothesis",
                frame_json="{}",
                join_code="123456",
                owner_id=owner.id,
            )
        )
    return "m1"


def event(seq: int, op_id: str) -> dict[str, object]:
    return {
        "meeting_id": "m1",
        "seq": seq,
        "op_id": op_id,
        "name": "entry.added",
        "actor": "p1",
        "at": AT,
        "data_json": '{"text":"Aamut ovat vaikeita"}',
    }


def test_the_same_rows_as_sqlalchemys_own_execution(engine: Engine) -> None:
    meeting = a_meeting(engine)
    with transaction(engine) as session:
        assert RENAME.run(session, {"meeting": meeting}).fetchone()[0] == "Testi!"
        INSERT_EVENT.run(session, event(head_seq(session, meeting) + 1, "op-prepared"))
        session.execute(insert(Event), event(head_seq(session, meeting) + 1, "op-core"))
    with Session(engine) as session:
        rows = session.exec(select(Event).order_by(col(Event.seq))).scalars().all()  # type: ignore[call-overload]
        assert [r.seq for r in rows] == [1, 2]
        # The ORM reads back the time and the text alike, whichever path wrote them.
        for row in rows:
            assert row.at.replace(tzinfo=dt.UTC) == AT and row.data_json.endswith('vaikeita"}')
        assert head_seq(session, meeting) == 2


def test_a_rolled_back_transaction_takes_the_prepared_writes_with_it(engine: Engine) -> None:
    meeting = a_meeting(engine)
    with pytest.raises(RuntimeError), transaction(engine) as session:
        RENAME.run(session, {"meeting": meeting})
        INSERT_EVENT.run(session, event(1, "op-lost"))
        raise RuntimeError("the op failed after its writes")
    with Session(engine) as session:
        assert session.exec(select(Event)).first() is None  # type: ignore[call-overload]
        assert head_seq(session, meeting) == 0
        assert session.get(Meeting, meeting).title == "Testi"


def test_a_statement_that_needs_a_python_side_default_is_refused(engine: Engine) -> None:
    a_meeting(engine)
    # Meeting.id has no default, but a column with one would be filled by SQLAlchemy's execution
    # only: leaving it out of a prepared insert must fail loudly, never write a NULL.
    table = Table("t", MetaData(), Column("n", Integer, default=7), Column("m", Integer))
    with transaction(engine) as session, pytest.raises(TypeError, match="column default"):
        Prepared(insert(table)).run(session, {"m": 1})


def test_after_a_rollback_inside_the_transaction_the_sessions_new_connection_is_used(
    engine: Engine,
) -> None:
    meeting = a_meeting(engine)
    with transaction(engine) as session:
        RENAME.run(session, {"meeting": meeting})
        session.rollback()  # as the failed login does before it writes its log line
        RENAME.run(session, {"meeting": meeting})
    with Session(engine) as session:
        assert session.get(Meeting, meeting).title == "Testi!"  # the first undone, the second kept


def test_a_driver_error_is_raised_as_sqlalchemys(engine: Engine) -> None:
    """The op's retry catches SQLAlchemy's IntegrityError: a duplicate op id must arrive as one,
    without the values in its message."""
    meeting = a_meeting(engine)
    with transaction(engine) as session:
        INSERT_EVENT.run(session, event(1, "op-twice"))
    with pytest.raises(IntegrityError) as raised, transaction(engine) as session:
        INSERT_EVENT.run(session, event(2, "op-twice"))
    assert "vaikeita" not in str(raised.value)  # what was recorded never reaches a log line
    with pytest.raises(IntegrityError) as raised, transaction(engine) as session:
        session.execute(insert(Event), event(2, "op-twice"))  # the engine hides them too
    assert "vaikeita" not in str(raised.value)
    with Session(engine) as session:
        rows = session.exec(select(Event)).all()  # type: ignore[call-overload]
        assert [(e.meeting_id, e.seq, e.op_id) for (e,) in rows] == [(meeting, 1, "op-twice")]
