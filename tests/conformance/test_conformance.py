"""The conformance log applied by every reader of events: the Python state, the tables (SQLite
and PostgreSQL) and the browser's model.js. All must arrive at the same state.

When a rule or an event changes on purpose, `python -m tests.conformance.record` writes the log
anew; a new event type that the log does not play fails here until the log plays it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from app.db import make_engine, transaction
from app.meetings import repository as repo
from app.meetings.changes import CHANGES
from app.meetings.domain import MeetingState
from app.meetings.events import EVENT_TYPES, parse_event
from app.meetings.evolve import evolve
from app.meetings.guards import Event
from app.meetings.models import Meeting, Participant
from app.meetings.projection import store
from app.meetings.rules import RULES
from tests.conformance.record import LINK_KEY, LOG, MEETINGS, START, record, state_dump
from tests.conftest import add_users, migrated_sqlite, require, require_production_services

ROOT = Path(__file__).resolve().parents[2]
LOGGED = json.loads(LOG.read_text(encoding="utf-8"))


def meetings() -> list[str]:
    return list(MEETINGS)


def test_the_log_is_what_the_rules_make_today() -> None:
    # A rule whose events changed on purpose: `python -m tests.conformance.record`.
    assert record() == LOGGED, "the log is stale: python -m tests.conformance.record"


def test_the_log_plays_every_event_type_and_each_is_valid() -> None:
    played = {e["name"] for m in LOGGED["meetings"].values() for e in m["events"]}
    assert played == set(EVENT_TYPES), "add the missing events to tests/conformance/record.py"
    for m in LOGGED["meetings"].values():
        for e in m["events"]:
            parse_event(e["name"], {**e["data"], **e["private"]})


def test_every_event_type_has_its_changes() -> None:
    assert set(CHANGES) == set(EVENT_TYPES)


def test_both_writers_take_every_entity_kind() -> None:
    """The cached state and the tables each have one writer per kind of entity a change is for."""
    from typing import get_args

    from app.meetings import evolve, projection
    from app.meetings.changes import EntityKind

    kinds = set(get_args(EntityKind))
    assert set(evolve._APPLY) == kinds
    assert set(projection._WRITE) == kinds


def test_every_op_of_the_registry_is_played() -> None:
    ops = {e["op"] for e in _ops()}
    assert set(RULES) - ops == set()


def _ops() -> Iterator[dict[str, Any]]:
    """The ops the log's meetings send (recorded alongside by `Play`)."""
    for m in LOGGED["meetings"].values():
        yield from m["ops"]


@pytest.mark.parametrize("key", meetings())
def test_the_python_state_arrives_at_the_end(key: str) -> None:
    start, _ = MEETINGS[key]
    state = start()
    logged = LOGGED["meetings"][key]
    assert state_dump(state) == logged["start"]
    for e in logged["events"]:
        evolve(state, e["name"], {**e["data"], **e["private"]}, e["actor"])
    assert state_dump(state) == logged["end"]


# -- the tables ---------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database with the meetings' owner (user 1) and a scribe's account (user 2)."""
    if request.param == "sqlite":
        url = migrated_sqlite(tmp_path_factory.mktemp("conformance"))
        drop = None
    else:
        require_production_services()
        from app.cli import migrate
        from tests.production import drop_database, new_database

        drop, url = new_database()
        migrate(url)
    add_users(url, "laura", "sanna")
    made = make_engine(url)
    try:
        yield made
    finally:
        made.dispose()
        if drop is not None:
            drop_database(drop)


def _open(engine: Engine, state: MeetingState) -> None:
    """The meeting's rows as the log's start has them (what `create_meeting` writes)."""
    review = state.process.review
    with transaction(engine) as session:
        session.add(
            Meeting(
                id=state.id,
                title=state.title,
                frame_key=state.frame["key"],
                frame_json=json.dumps(state.frame, ensure_ascii=False),
                language=state.language,
                join_code=f"{sum(map(ord, state.id)):08d}",
                owner_id=1,
                review_json=json.dumps(
                    {
                        "from_meeting": None,
                        "steps": review.steps,
                        "previous_wellbeing": review.previous_wellbeing,
                        "marks": review.marks,
                        "baseline": review.baseline,
                    }
                )
                if review
                else None,
                houses_json=json.dumps(state.houses, ensure_ascii=False) if state.houses else None,
            )
        )
        session.flush()
        for p in state.participants.values():
            session.add(
                Participant(
                    id=p.id,
                    meeting_id=state.id,
                    name=p.name,
                    role_label=p.role_label,
                    kind=p.kind,
                    family=p.family,
                    admitted=p.admitted,
                    user_id=1 if p.owner else None,
                )
            )


@pytest.mark.parametrize("key", meetings())
def test_the_tables_arrive_at_the_end(key: str, engine: Engine) -> None:
    start, _ = MEETINGS[key]
    logged = LOGGED["meetings"][key]
    _open(engine, start())
    with transaction(engine) as session:
        loaded = repo.load_state(session, repo.get_meeting(session, start().id))
        assert state_dump(loaded) == logged["start"]
    for n, e in enumerate(logged["events"], 1):
        private = dict(e["private"])
        if e["name"] == "participant.joined":
            # The service's part: the credential and a professional's account (user 2).
            joined = e["data"]["participant"]
            private |= {
                "credential": f"hash-{joined['id']}",
                "user": 2 if joined["account"] else None,
            }
        with transaction(engine) as session:
            seq = repo.next_seq(session, start().id)
            assert seq == n
            event = Event(e["name"], e["data"], private)
            store(session, start().id, seq, event, e["actor"], f"o{n}", START, LINK_KEY)
    with transaction(engine) as session:
        loaded = repo.load_state(session, repo.get_meeting(session, start().id))
        got = state_dump(loaded)
    end = logged["end"]
    assert got == end
    assert list(got["entries"]) == list(end["entries"])  # the record's order


# -- the browsers ---------------------------------------------------------------------------------


def test_model_js_arrives_at_the_end() -> None:
    node = shutil.which("node")
    require(node is not None, "node is not installed: apt-get install nodejs (make test does)")
    assert node is not None
    done = subprocess.run(
        [node, "--test", "tests/conformance/model.test.mjs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NODE_OPTIONS": ""},
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout and f"# pass {len(MEETINGS) + 1}" in done.stdout
