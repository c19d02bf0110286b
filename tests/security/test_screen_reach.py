"""Item 3 of issue 16: the shared screen's link reaches what a projector shows, and ends at the
close. Its link opens it once (traded for a cookie at an address without the token); only hashes
are stored; its snapshot and events hold the current phase's entries only, and after the close
nothing of the record."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text
from sqlmodel import SQLModel

from tests.helpers import LiveClient, RunningServer, join, open_screen, screen_cookie
from tests.meetings.test_live import _admitted, _room
from tests.old_schema import database_at

HIDDEN = "Salainen kirjaus toisesta vaiheesta"


@pytest.fixture(scope="module")
def server(any_server: RunningServer) -> RunningServer:
    """Every test here runs on SQLite + in-process fan-out and on PostgreSQL + Redis."""
    return any_server


def _token(link: str) -> str:
    return link.split("token=")[1]


async def _chairs_link(server: RunningServer, meeting_id: str, cookies: dict[str, str]) -> str:
    """The screen link the chair's page shows now."""
    async with server.http(cookies=cookies) as http:
        page = (await http.get(f"/m/{meeting_id}")).text
    found = re.search(r'href="([^"]*/screen\?token=[^"]+)"', page)
    assert found, "the chair's page shows no screen link"
    return found.group(1)


def _texts(client: LiveClient) -> str:
    return json.dumps(client.frames, ensure_ascii=False)


async def test_the_screen_token_is_stored_only_as_its_hash(server: RunningServer) -> None:
    assert server.app is not None
    meeting, cookies, chair = await _room(server)
    created = _token(meeting["links"]["screen"])
    shown = await _chairs_link(server, meeting["id"], cookies)
    assert _token(shown) != created  # a fresh link each time the chair's page is shown
    device = await open_screen(server, {**meeting, "links": {"screen": shown}})
    secrets = [created, _token(shown), *device.values()]
    hashes = {hashlib.sha256(s.encode()).hexdigest() for s in secrets[1:]}
    found: set[str] = set()
    with server.app.state.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                text = " ".join(str(v) for v in row)
                for secret in secrets:
                    assert secret not in text, table.name
                found.update(h for h in hashes if h in text)
    # The device's key is kept as its hash; the link's hash went when it was opened.
    assert found == {hashlib.sha256(next(iter(device.values())).encode()).hexdigest()}
    await chair.close()


async def test_the_link_opens_the_screen_once_at_an_address_without_its_token(
    server: RunningServer,
) -> None:
    meeting, cookies, chair = await _room(server)
    mid = meeting["id"]
    link = (await _chairs_link(server, mid, cookies)).removeprefix(server.base)
    async with server.http() as http:
        opened = await http.get(link)
        assert opened.status_code == 303
        assert opened.headers["location"] == f"/m/{mid}/screen"
        set_cookie = opened.headers["set-cookie"].lower()
        assert set_cookie.startswith(f"{screen_cookie(mid)}=".lower())
        assert "httponly" in set_cookie and "samesite=lax" in set_cookie and "path=/" in set_cookie
        page = await http.get(f"/m/{mid}/screen")  # with the cookie just set
        assert page.status_code == 200 and 'id="phase-head"' in page.text
        assert _token(link) not in page.text
    async with server.http() as other:
        # Opened once: the same link opens nothing more (the history's copy is dead).
        again = await other.get(link)
        assert again.status_code == 303 and "set-cookie" not in again.headers
        assert (await other.get(f"/m/{mid}/screen")).status_code == 403
    # The link's token is no credential of its own.
    async with server.http(cookies={screen_cookie(mid): _token(link)}) as forged:
        assert (await forged.get(f"/api/meetings/{mid}?as=screen")).status_code == 403
    await chair.close()


async def test_the_screen_is_sent_the_current_phase_only(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    mid = meeting["id"]
    scribe_p, scribe = await _admitted(server, meeting, chair, "Heidi", "kirjaaja", scribe=True)
    waiting = await join(server, meeting, "Pirjo Lobbyinen", "mummo")
    await scribe.ok({"op": "entry.add", "phase": "opening", "text": "Aamun kuulumiset"})
    early = await scribe.ok({"op": "entry.add", "phase": "core", "text": HIDDEN})
    screen_cookies = await open_screen(server, meeting)
    screen = await LiveClient.open(server, mid, screen_cookies, screen=True)
    snap = (await screen.next_of("snapshot"))["state"]
    assert [e["text"] for e in snap["entries"]] == ["Aamun kuulumiset"]
    assert snap["counts"]["core"] == 1 and snap["counts"]["opening"] == 1
    names = [p["name"] for p in snap["participants"]]
    assert "Heidi" in names and "Pirjo Lobbyinen" not in names  # nobody in the lobby

    # Written into another phase, typed there, or moved there: none of it reaches the screen.
    await scribe.send({"op": "draft", "phase": "plan", "text": "Luonnos toiseen vaiheeseen"})
    later = await scribe.ok({"op": "entry.add", "phase": "plan", "text": "Salainen suunnitelma"})
    moved = await scribe.ok({"op": "entry.add", "phase": "opening", "text": "Siirrettävä"})
    await scribe.ok(
        {
            "op": "entry.edit",
            "entry": moved["data"]["entry"]["id"],
            "version": 1,
            "phase": "plan",
            "text": "Siirretty salaisuus",
        }
    )
    await chair.ok(
        {"op": "entry.react", "entry": early["data"]["entry"]["id"], "reaction": "agree"}
    )
    await chair.ok(
        {"op": "entry.react", "entry": later["data"]["entry"]["id"], "reaction": "agree"}
    )
    shown = await scribe.ok({"op": "entry.add", "phase": "opening", "text": "Näkyvä kirjaus"})
    await screen.wait_for(lambda f: shown["data"]["entry"]["id"] in json.dumps(f))
    async with server.http(cookies=screen_cookies) as http:
        api = (await http.get(f"/api/meetings/{mid}?as=screen")).json()
    for seen in (_texts(screen), json.dumps(api)):
        for secret in (HIDDEN, "Salainen suunnitelma", "Siirretty salaisuus", "Luonnos toiseen"):
            assert secret not in seen
        assert "Pirjo Lobbyinen" not in seen
    assert {e["phase"] for e in api["state"]["entries"]} == {"opening"}
    assert api["state"]["counts"]["plan"] == 2
    # The screen's seq has no gap: what it may not see came as a snapshot in its place.
    _assert_gapless(screen)

    # The chair moves on: the screen is sent the new phase's entries, and only those.
    await chair.ok({"op": "phase.goto", "index": 1})
    core = await screen.wait_for(
        lambda f: f.get("type") == "snapshot" and f["state"]["current_phase"] == 1
    )
    assert [e["text"] for e in core["state"]["entries"]] == [HIDDEN]
    await scribe.send({"op": "draft", "phase": "core", "text": "Nyt kirjoitan tähän"})
    draft = await screen.next_of("draft")
    assert draft["text"] == "Nyt kirjoitan tähän"
    # The record's downloads are not the screen's to read.
    async with server.http(cookies=screen_cookies) as http:
        assert (await http.get(f"/api/meetings/{mid}/record.txt?as=screen")).status_code == 403
        assert (await http.get(f"/api/meetings/{mid}/record.txt")).status_code == 403
    del scribe_p, waiting
    for client in (chair, scribe, screen):
        await client.close()


async def test_the_close_ends_the_screens_reach_into_the_record(server: RunningServer) -> None:
    meeting, cookies, chair = await _room(server)
    mid = meeting["id"]
    await chair.ok({"op": "entry.add", "phase": "opening", "text": HIDDEN})
    screen_cookies = await open_screen(server, meeting)
    unopened = (await _chairs_link(server, mid, cookies)).removeprefix(server.base)
    screen = await LiveClient.open(server, mid, screen_cookies, screen=True)
    assert HIDDEN in json.dumps(await screen.seen("snapshot"))

    closed = await chair.ok({"op": "meeting.close"})
    ended = await screen.wait_for(
        lambda f: f.get("type") == "snapshot" and f["state"]["meeting"]["status"] == "closed"
    )
    assert ended["seq"] >= closed["seq"]
    state = ended["state"]
    assert state["entries"] == [] and state["participants"] == []
    assert state["process"]["review"] is None and state["process"]["preparation"] is None
    # The chair corrects the record and shares the family's summary: the screen gets the code.
    entry = next(iter(await _entries(server, mid, cookies)))
    await chair.ok({"op": "entry.correct", "entry": entry, "text": "Korjattu", "reason": "Typo"})
    shared = await chair.ok({"op": "summary.share", "days": 7})
    summary = await screen.event("summary.shared")
    assert summary["data"]["url"] == shared["data"]["url"]
    # Nothing of the record after the close (the frames before it may come in any order: a
    # presence frame can pass the first snapshot on a loaded machine).
    after = screen.frames[screen.frames.index(ended) :]
    assert "Korjattu" not in _texts(screen) and HIDDEN not in json.dumps(after)

    async with server.http(cookies=screen_cookies) as http:
        answer = await http.get(f"/api/meetings/{mid}?as=screen")
        assert answer.status_code == 200
        body = answer.json()["state"]
        assert body["entries"] == [] and body["process"]["summary"]["url"] == shared["data"]["url"]
        qr = await http.get(f"/api/meetings/{mid}/summary-qr.svg?as=screen")
        assert qr.status_code == 200 and qr.text.startswith("<svg")
        page = await http.get(f"/m/{mid}/screen")
        assert page.status_code == 200 and HIDDEN not in page.text
    again = await LiveClient.open(server, mid, screen_cookies, screen=True)
    snap = await again.next_of("snapshot")
    assert snap["state"]["entries"] == [] and HIDDEN not in json.dumps(snap)
    # A link not opened before the close opens nothing after it.
    async with server.http() as http:
        late = await http.get(unopened)
        assert late.status_code == 303 and "set-cookie" not in late.headers
        assert (await http.get(f"/m/{mid}/screen")).status_code == 403
    for client in (chair, screen, again):
        await client.close()


def _assert_gapless(client: LiveClient) -> None:
    head = None
    for frame in client.frames:
        if frame.get("type") == "snapshot":
            assert head is None or frame["seq"] >= head
            head = frame["seq"]
        elif frame.get("type") == "event":
            assert head is not None and frame["seq"] == head + 1, (head, frame["seq"])
            head = frame["seq"]


async def _entries(server: RunningServer, mid: str, cookies: dict[str, str]) -> list[str]:
    async with server.http(cookies=cookies) as http:
        state = (await http.get(f"/api/meetings/{mid}")).json()["state"]
    return [e["id"] for e in state["entries"]]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_0009_keeps_only_the_hash_of_an_open_meetings_screen_token(
    backend: str, tmp_path: Path
) -> None:
    with database_at(backend, tmp_path, "0008") as old:
        with old.engine.begin() as conn:
            for mid, status, token in (
                ("m_open", "open", "Open" * 8),
                ("m_shut", "closed", "Shut" * 8),
            ):
                conn.execute(
                    text(
                        "INSERT INTO meeting (id, title, frame_key, frame_json, language, status, "
                        "current_phase, join_code, screen_token, owner_id, unit, last_seq, "
                        "feedback_count, lobby_open, created_at) VALUES (:id, 't', 'hypothesis', "
                        "'{}', 'fi', :status, 0, :code, :token, :owner, '', 0, 0, true, "
                        "CURRENT_TIMESTAMP)"
                    ),
                    {
                        "id": mid,
                        "status": status,
                        "code": mid[-4:],
                        "token": token,
                        "owner": old.owner,
                    },
                )
        old.migrate()
        with old.engine.connect() as conn:
            keys = conn.execute(text("SELECT token_hash, meeting_id, link FROM screenkey")).all()
            columns = {c["name"] for c in inspect(conn).get_columns("meeting")}
        # The open meeting's old link opens its screen once more; the closed one's never.
        assert [(k.token_hash, k.meeting_id, bool(k.link)) for k in keys] == [
            (hashlib.sha256(("Open" * 8).encode()).hexdigest(), "m_open", True)
        ]
        assert "screen_token" not in columns


def test_every_event_that_carries_an_entry_is_checked_against_what_the_screen_shows() -> None:
    """An event carrying an entry whole (its text) reaches the projector only when that entry is
    on it: a new event of that shape must be named in WITH_ENTRY, or it would pass unchecked."""
    from app.meetings.event_views import EntryView
    from app.meetings.events import EVENT_TYPES
    from app.meetings.screen_reach import WITH_ENTRY

    carrying = {
        name
        for name, model in EVENT_TYPES.items()
        if model.model_fields.get("entry") is not None
        and model.model_fields["entry"].annotation is EntryView
    }
    assert carrying and carrying <= WITH_ENTRY, carrying - WITH_ENTRY
