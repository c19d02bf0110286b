"""The process around the meeting through the real server: two meetings of one case, calendar
files, the family's summary link, deleting at once, the purge, and the audit log."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar
from sqlalchemy import func
from sqlmodel import SQLModel, col, select

from app.accounts import User, add_user
from app.audit.models import AuditEntry
from app.cases.models import Case
from app.db import transaction
from app.frames.loader import load_frames
from app.meetings.creation import create_meeting
from app.meetings.models import Meeting
from app.meetings.retention import MEETING_TABLES, purge_expired
from tests.conftest import PASSWORD
from tests.helpers import LiveClient, RunningServer, join, login
from tests.meetings.test_live import _admitted, _room


def _case_meeting(server: RunningServer, case_id: str) -> dict:
    """A meeting of a case, opened the way the case page opens one."""
    assert server.app is not None
    with transaction(server.app.state.engine) as session:
        if session.get(Case, case_id) is None:
            session.add(Case(id=case_id, label="Perhe A", responsible_id=1))
            session.flush()
        prep = {"core_question": "Miten aamut sujuisivat?", "share": {"core_question": True}}
        meeting = create_meeting(
            session,
            1,
            "Kalle",
            "Perhe A",
            load_frames()["hypothesis"],
            "fi",
            case_id=case_id,
            preparation=prep,
        )
        return {"id": meeting.id, "join_code": meeting.join_code}


async def test_the_next_meeting_of_a_case_opens_with_the_last_plan(server: RunningServer) -> None:
    cookies = await login(server, "kalle", PASSWORD)
    first = _case_meeting(server, "c_two_meetings")
    chair = await LiveClient.open(server, first["id"], cookies)
    snap = (await chair.next_of("snapshot"))["state"]
    # Nothing to review yet, but the family says where they start from (0–10), which the next
    # meeting's review compares against.
    assert [p["key"] for p in snap["phases"]][:3] == ["opening", "review", "core"]
    assert snap["phases"][1]["title"] == "Missä olemme nyt?"
    baseline = snap["process"]["review"]
    assert baseline["baseline"] is True and baseline["steps"] == []
    assert snap["process"]["preparation"]["core_question"] == "Miten aamut sujuisivat?"
    aino = await join(server, first, "Aino", "äiti", family=True)
    await chair.ok({"op": "participant.admit", "participant": aino.participant})
    aino_phone = await LiveClient.open(server, first["id"], aino.cookies)
    await aino_phone.next_of("snapshot")
    await aino_phone.ok({"op": "wellbeing.rate", "score": 4})
    await aino_phone.close()
    step = await chair.ok(
        {
            "op": "entry.add",
            "phase": "plan",
            "text": "Pysyvä pari",
            "owner": "Laura",
            "due": "2026-12-04",
        }
    )
    await chair.ok(
        {"op": "meeting.schedule", "when": "2027-01-15T14:30:00", "place": "Perhekeskus"}
    )
    await chair.ok({"op": "meeting.close"})
    await chair.close()

    second = _case_meeting(server, "c_two_meetings")
    chair = await LiveClient.open(server, second["id"], cookies)
    state = (await chair.next_of("snapshot"))["state"]
    assert [p["key"] for p in state["phases"]][:3] == ["opening", "review", "core"]
    review = state["process"]["review"]
    assert review["previous_wellbeing"] == 4.0 and review["baseline"] is False
    assert [(s["text"], s["owner"], s["due"]) for s in review["steps"]] == [
        ("Pysyvä pari", "Laura", "2026-12-04")
    ]
    assert review["steps"][0]["id"] == step["data"]["entry"]["id"]
    mira = await join(server, second, "Mira", "äiti", family=True)
    await chair.ok({"op": "participant.admit", "participant": mira.participant})
    phone = await LiveClient.open(server, second["id"], mira.cookies)
    await phone.next_of("snapshot")
    await chair.ok({"op": "review.mark", "step": review["steps"][0]["id"], "status": "partly"})
    rated = await phone.ok({"op": "wellbeing.rate", "score": 6})
    assert rated["data"] == {"count": 1, "average": 6.0}
    await chair.ok({"op": "meeting.close"})

    # A third meeting shows the second one's answer as "last time".
    third = _case_meeting(server, "c_two_meetings")
    async with server.http(cookies=cookies) as http:
        await http.get(f"/api/meetings/{third['id']}")  # (the chair's view)
    with server.app.state.session_factory() as session:  # type: ignore[union-attr]
        meeting = session.get(Meeting, third["id"])
        assert meeting is not None and '"previous_wellbeing": 6.0' in (meeting.review_json or "")
    for client in (chair, phone):
        await client.close()


async def test_calendar_files_for_the_next_meeting_and_the_plan(server: RunningServer) -> None:
    meeting, _cookies, chair = await _room(server)
    _p, phone = await _admitted(server, meeting, chair, "Aino", "äiti", family=True)
    async with server.http(cookies=_p.cookies) as http:
        assert (await http.get(f"/api/meetings/{meeting['id']}/next.ics")).status_code == 404
    await chair.ok(
        {
            "op": "entry.add",
            "phase": "plan",
            "text": "Pysyvä pari",
            "due": "2026-12-04",
            "owner": "Opettaja Mari",
        }
    )
    await chair.ok(
        {"op": "meeting.schedule", "when": "2027-01-15T14:30:00", "place": "Perhekeskus"}
    )
    async with server.http(cookies=_p.cookies) as http:
        nxt = await http.get(f"/api/meetings/{meeting['id']}/next.ics")
        plan = await http.get(f"/api/meetings/{meeting['id']}/plan.ics")
    assert nxt.headers["content-type"].startswith("text/calendar")
    event = Calendar.from_ical(nxt.content).walk("VEVENT")[0]
    assert event.decoded("dtstart").isoformat() == "2027-01-15T14:30:00+02:00"
    assert str(event.get("location")) == "Perhekeskus"
    due = Calendar.from_ical(plan.content).walk("VEVENT")[0]
    assert due.decoded("dtstart") == dt.date(2026, 12, 4) and "Pysyvä pari" in str(
        due.get("summary")
    )
    # Whose step it is travels with it; a TZID is defined in the file (RFC 5545).
    assert "Opettaja Mari" in str(due.get("summary")) and "Opettaja Mari" in str(
        due.get("description")
    )
    calendar = Calendar.from_ical(nxt.content)
    tzids = {str(e.get("dtstart").params.get("TZID")) for e in calendar.walk("VEVENT")}
    defined = {str(tz.get("tzid")) for tz in calendar.walk("VTIMEZONE")}
    assert tzids == {"Europe/Helsinki"} and tzids <= defined
    for client in (chair, phone):
        await client.close()


async def test_the_familys_summary_link(server: RunningServer) -> None:
    _meeting, _cookies, chair = await _room(server)
    await chair.ok(
        {
            "op": "entry.add",
            "phase": "plan",
            "text": "Mummo käy aamuisin <b>",
            "owner": "Pirjo",
            "due": "2026-12-01",
        }
    )
    await chair.ok({"op": "meeting.close"})
    shared = await chair.ok({"op": "summary.share", "days": 7})
    url = shared["data"]["url"]
    assert url.startswith("/s/") and len(url) > 30
    async with server.http() as http:  # no login: the link is the key
        page = await http.get(url)
        assert page.status_code == 200 and "no-store" in page.headers["cache-control"]
        assert "Mummo käy aamuisin &lt;b&gt;" in page.text and "1.12.2026" in page.text
        assert (await http.get("/s/not-a-token")).status_code == 404
    await chair.ok({"op": "summary.revoke"})
    async with server.http() as http:
        assert (await http.get(url)).status_code == 404
    await chair.close()


async def test_the_chair_deletes_at_once_and_the_purge_leaves_nothing(
    server: RunningServer,
) -> None:
    meeting, cookies, chair = await _room(server)
    _p, phone = await _admitted(server, meeting, chair, "Aino", "äiti", family=True)
    await chair.ok({"op": "entry.add", "phase": "core", "text": "Poistuva kirjaus"})
    async with server.http(cookies=_p.cookies) as http:
        denied = await http.delete(f"/api/meetings/{meeting['id']}")
    assert denied.status_code == 403
    async with server.http(cookies=cookies) as http:
        gone = await http.delete(f"/api/meetings/{meeting['id']}")
    assert gone.status_code == 200
    assert await phone.closed() == 4004  # every screen of it is closed
    assert server.app is not None
    engine = server.app.state.engine
    with server.app.state.session_factory() as session:
        for table in MEETING_TABLES:
            count = session.exec(
                select(func.count()).select_from(table).where(table.meeting_id == meeting["id"])
            ).one()
            assert count == 0, table.__name__
        assert session.get(Meeting, meeting["id"]) is None

    # The purge job: a meeting past its retention date goes, with every row of it.
    other, _c, chair2 = await _room(server)
    await chair2.ok({"op": "entry.add", "phase": "core", "text": "Vanha kirjaus"})
    await chair2.ok({"op": "meeting.close"})
    await chair2.close()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    assert other["id"] in purge_expired(engine, later)
    with server.app.state.session_factory() as session:
        for table in (*MEETING_TABLES, Meeting):
            column = table.id if table is Meeting else table.meeting_id
            assert (
                session.exec(
                    select(func.count()).select_from(table).where(column == other["id"])
                ).one()
                == 0
            )
        # Every table of the schema was looked at: nothing of the meeting is anywhere.
        for table in SQLModel.metadata.sorted_tables:
            if "meeting_id" in table.c and table.name != "auditentry":
                assert (
                    session.exec(
                        select(func.count())
                        .select_from(table)
                        .where(table.c.meeting_id == other["id"])
                    ).one()
                    == 0
                )
        actions = session.exec(
            select(AuditEntry.action).where(AuditEntry.meeting_id == other["id"])
        ).all()
    assert "meeting.purge" in actions


async def test_the_audit_log_holds_one_row_per_sensitive_action(server: RunningServer) -> None:
    meeting, cookies, chair = await _room(server)
    person, _phone = await _admitted(server, meeting, chair, "Aino", "äiti", family=True)
    await chair.ok({"op": "participant.role", "participant": person.participant, "role": "scribe"})
    await chair.ok({"op": "participant.remove", "participant": person.participant})
    await chair.ok({"op": "meeting.close"})
    async with server.http(cookies=cookies) as http:
        await http.get(f"/api/meetings/{meeting['id']}")  # a view of the closed record
        assert (await http.get("/admin/audit")).status_code == 403  # kalle is no admin
    async with server.http() as http:
        bad = await http.post(
            "/api/session", json={"username": "kalle", "password": "väärä-salasana"}
        )
    assert bad.status_code == 403
    assert server.app is not None
    with server.app.state.session_factory() as session:
        rows = session.exec(select(AuditEntry).where(AuditEntry.meeting_id == meeting["id"])).all()
        failed_logins = session.exec(
            select(AuditEntry).where(
                AuditEntry.action == "login", col(AuditEntry.success).is_(False)
            )
        ).all()
    actions = sorted(r.action for r in rows)
    assert actions == sorted(
        [
            "meeting.join",
            "participant.admit",
            "participant.role",
            "participant.remove",
            "meeting.close",
            "record.view",
        ]
    )
    assert all("Aino" not in r.detail for r in rows)  # ids, never names or text
    assert failed_logins
    await chair.close()


async def test_an_admin_reads_and_exports_the_audit_log(server: RunningServer) -> None:
    assert server.app is not None
    with transaction(server.app.state.engine) as session:
        if session.exec(select(User).where(User.username == "admin")).first() is None:
            add_user(session, "admin", PASSWORD, admin=True)
    meeting, _cookies, chair = await _room(server)
    await chair.ok({"op": "meeting.close"})
    await chair.close()
    admin = await login(server, "admin", PASSWORD)
    async with server.http(cookies=admin) as http:
        page = await http.get("/admin/audit", params={"meeting": meeting["id"]})
        csv_file = await http.get("/admin/audit.csv", params={"meeting": meeting["id"]})
    assert page.status_code == 200 and "meeting.close" in page.text
    assert page.headers["cache-control"] == "no-store"
    lines = csv_file.text.strip().splitlines()
    assert lines[0] == "at,who,actor,role,action,meeting,success,detail"
    assert any(",meeting.close," in line for line in lines[1:])
    async with server.http() as http:
        assert (await http.get("/admin/audit.csv")).status_code == 403


async def test_the_audit_log_names_who_and_logs_denied_reads(server: RunningServer) -> None:
    """An admin sees the account's name and a participant's display name, not only ids; a
    refused read of a record is logged too (once a minute per address and meeting)."""
    assert server.app is not None
    with transaction(server.app.state.engine) as session:
        if session.exec(select(User).where(User.username == "admin")).first() is None:
            add_user(session, "admin", PASSWORD, admin=True)
    meeting, _cookies, chair = await _room(server)
    _aino, phone = await _admitted(server, meeting, chair, "Aino Virtanen", "äiti", family=True)
    await phone.close()
    await chair.close()
    jari = await login(server, "jari", PASSWORD)  # a professional of another meeting
    async with server.http(cookies=jari) as http:
        for _ in range(3):
            answer = await http.get(f"/api/meetings/{meeting['id']}")
            assert answer.status_code == 403
        export = await http.get(f"/api/meetings/{meeting['id']}/record.pdf")
        assert export.status_code == 403
    async with server.http() as http:
        assert (await http.get(f"/api/meetings/{meeting['id']}")).status_code == 403
    with transaction(server.app.state.engine) as session:
        denied = session.exec(
            select(AuditEntry).where(
                AuditEntry.meeting_id == meeting["id"], AuditEntry.action == "record.denied"
            )
        ).all()
        jari_id = session.exec(select(User).where(User.username == "jari")).one().id
    # One row for jari's flood (rate-limited per address and meeting), none twice.
    assert len(denied) == 1 and denied[0].actor == f"user:{jari_id}" and not denied[0].success
    admin = await login(server, "admin", PASSWORD)
    async with server.http(cookies=admin) as http:
        page = (await http.get("/admin/audit", params={"meeting": meeting["id"]})).text
        csv_file = (await http.get("/admin/audit.csv", params={"meeting": meeting["id"]})).text
        home = (await http.get("/")).text
    assert "Kalle" in page and "Aino Virtanen (äiti)" in page and "Jari" in page
    assert "Aino Virtanen (äiti)" in csv_file and ",record.denied," in csv_file
    assert 'href="/admin/audit"' in home
