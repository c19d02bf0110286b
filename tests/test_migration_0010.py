"""Migration 0010: the head seq is read from the log, not kept in the meeting's row; the log's
duplicate index goes. Up and down, on SQLite and PostgreSQL, with the meetings' logs intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from app.meetings.socket_reads import last_seq
from tests.old_schema import database_at

MEETING = (
    "INSERT INTO meeting (id, title, frame_key, frame_json, language, status, current_phase, "
    "join_code, owner_id, unit, last_seq, feedback_count, lobby_open, created_at) VALUES "
    "(:id, 't', 'hypothesis', '{}', 'fi', 'open', 0, :code, :owner, '', :seq, 0, true, "
    "CURRENT_TIMESTAMP)"
)
EVENT = (
    "INSERT INTO event (meeting_id, seq, op_id, name, actor, at, data_json) "
    "VALUES (:m, :seq, :op, 'entry.added', 'p1', CURRENT_TIMESTAMP, '{}')"
)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_0010_reads_the_head_seq_from_the_log(backend: str, tmp_path: Path) -> None:
    with database_at(backend, tmp_path, "0009") as old:
        with old.engine.begin() as conn:
            for mid, seq in (("m_busy", 3), ("m_new", 0)):
                params = {"id": mid, "code": mid[-4:], "owner": old.owner, "seq": seq}
                conn.execute(text(MEETING), params)
            for seq in (1, 2, 3):
                conn.execute(text(EVENT), {"m": "m_busy", "seq": seq, "op": f"o{seq}"})
        old.migrate()
        with old.engine.connect() as conn:
            assert "last_seq" not in {c["name"] for c in inspect(conn).get_columns("meeting")}
            indexes = {i["name"] for i in inspect(conn).get_indexes("event")}
            assert "ix_event_meeting_seq" not in indexes
            assert (last_seq(conn, "m_busy"), last_seq(conn, "m_new")) == (3, 0)
            # The log's unique (meeting_id, seq) is still there: it is what makes the seq one's own.
            with pytest.raises(IntegrityError):
                conn.execute(text(EVENT), {"m": "m_busy", "seq": 3, "op": "again"})
            conn.rollback()
        old.downgrade("0009")
        with old.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, last_seq FROM meeting ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [("m_busy", 3), ("m_new", 0)]
