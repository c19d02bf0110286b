"""Migrations 0012–0015 (issue 20: who did not understand an entry, ask first, the interpreter,
the child's three houses): up from 0011 with a meeting in it and down again, on SQLite and
PostgreSQL; what was there stays, and the new columns start empty."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from tests.old_schema import database_at

MEETING = (
    "INSERT INTO meeting (id, title, frame_key, frame_json, language, status, current_phase, "
    "join_code, owner_id, unit, feedback_count, lobby_open, created_at) VALUES "
    "('m_old', 't', 'hypothesis', '{}', 'fi', 'open', 0, '12345678', :owner, '', 0, true, "
    "CURRENT_TIMESTAMP)"
)
PERSON = (
    "INSERT INTO participant (id, meeting_id, name, role_label, kind, family, admitted, "
    "removed, hand, feedback_given, created_at) VALUES "
    "('p_old', 'm_old', 'Aino', '', 'participant', true, true, false, false, false, "
    "CURRENT_TIMESTAMP)"
)
ENTRY = (
    "INSERT INTO entry (id, meeting_id, phase, kind, text, own_words, version, deleted, "
    "reactions_json, agreements_json, corrections_json, requests_json, position, created_at, "
    "updated_at) VALUES ('e_old', 'm_old', 'core', 'note', 'Aamut', false, 1, false, '{}', "
    "'{}', '[]', '[]', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)
NEW = {
    "entry": {"unclear_json", "ask_first", "approved", "interpreted_from"},
    "participant": {"interpreter", "pause", "pause_at"},
    "meeting": {"houses_json", "houses_child", "houses_status"},
}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_up_and_down_with_the_record_intact(backend: str, tmp_path: Path) -> None:
    with database_at(backend, tmp_path, "0011") as old:
        with old.engine.begin() as conn:
            conn.execute(text(MEETING), {"owner": old.owner})
            conn.execute(text(PERSON))
            conn.execute(text(ENTRY))
        old.migrate()
        with old.engine.connect() as conn:
            for table, columns in NEW.items():
                assert columns <= {c["name"] for c in inspect(conn).get_columns(table)}
            entry = conn.execute(
                text("SELECT text, unclear_json, ask_first, approved FROM entry")
            ).one()
            assert tuple(entry) == ("Aamut", "{}", None, False)
            person = conn.execute(text("SELECT name, interpreter, pause FROM participant")).one()
            assert tuple(person) == ("Aino", False, False)
            meeting = conn.execute(text("SELECT houses_json, houses_status FROM meeting")).one()
            assert tuple(meeting) == (None, "ready")
        old.downgrade("0011")
        with old.engine.connect() as conn:
            for table, columns in NEW.items():
                assert not columns & {c["name"] for c in inspect(conn).get_columns(table)}
            assert conn.execute(text("SELECT text FROM entry")).scalar() == "Aamut"
