"""Item 7 of issue 16: a deleted or purged meeting's text is unreadable from the database files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.db import make_engine
from app.meetings.retention import purge_expired
from tests.helpers import RunningServer
from tests.meetings.test_live import _room


def _vacuums(url: str) -> int:
    """How many times PostgreSQL has vacuumed the entry table by hand."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                text("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'entry'")
            ).scalar_one()
    finally:
        engine.dispose()


async def test_deleted_and_purged_text_is_gone_from_the_files(any_server: RunningServer) -> None:
    assert any_server.app is not None
    url = any_server.app.state.settings.database_url
    sqlite = url.startswith("sqlite")
    before = 0 if sqlite else _vacuums(url)
    stamp = dt.datetime.now(dt.UTC).strftime("%H%M%S%f")
    texts = {f"Poistettava-{stamp}", f"Muokattava-{stamp}", f"Vanhentuva-{stamp}"}

    # A meeting the chair deletes at once, with a deleted entry and an edited one.
    meeting, cookies, chair = await _room(any_server)
    gone = await chair.ok({"op": "entry.add", "phase": "core", "text": f"Poistettava-{stamp}"})
    kept = await chair.ok({"op": "entry.add", "phase": "core", "text": f"Muokattava-{stamp}"})
    await chair.ok({"op": "entry.delete", "entry": gone["data"]["entry"]["id"]})
    edit = {"op": "entry.edit", "entry": kept["data"]["entry"]["id"], "version": 1}
    await chair.ok({**edit, "text": "Muokattu"})
    async with any_server.http(cookies=cookies) as http:
        assert (await http.delete(f"/api/meetings/{meeting['id']}")).status_code == 200
    await chair.close()

    # A meeting past its retention date, purged by the job.
    _other, _c, chair2 = await _room(any_server)
    await chair2.ok({"op": "entry.add", "phase": "core", "text": f"Vanhentuva-{stamp}"})
    await chair2.ok({"op": "meeting.close"})
    await chair2.close()
    engine = make_engine(url)
    try:
        assert purge_expired(engine, dt.datetime.now(dt.UTC) + dt.timedelta(days=31))
    finally:
        engine.dispose()

    if sqlite:
        database = Path(make_url(url).database or "")
        files = [p for p in (database, Path(f"{database}-wal")) if p.exists()]
        assert files and database in files
        for path in files:
            raw = path.read_bytes()
            assert not [t for t in texts if t.encode() in raw], path.name
    else:
        # PostgreSQL reclaims the dead rows' space when vacuumed: the purge does it.
        assert _vacuums(url) > before
