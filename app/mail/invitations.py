"""Invitations to a meeting of a case, and reminders, as messages in the outbox: each invitee
with an e-mail address (and their consent to keep it) gets one in their own language, with the
time, the place or video link, how the meeting works (from its frame), the link to join, and an
iCalendar invitation — updates and a cancellation are METHOD:REQUEST / METHOD:CANCEL with one
UID and a growing SEQUENCE. No record text and no family member's name besides the recipient's."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from icalendar import Event
from sqlmodel import Session

from app.config import Settings
from app.i18n import N_, translate
from app.mail.outbox import queue
from app.meetings.calendar import local_time, new_calendar
from app.meetings.links import links
from app.meetings.models import Meeting
from app.preparation import model as preparation

MEETING_MINUTES = 90
REMIND_BEFORE = dt.timedelta(hours=24)

SUBJECT = N_("Invitation to a network meeting on %(when)s")
CHANGED = N_("Changed: network meeting on %(when)s")
CANCELLED = N_("Cancelled: network meeting on %(when)s")
REMINDER = N_("Reminder: network meeting tomorrow, %(when)s")
GREETING = N_("Hello %(name)s,")
INVITED = N_("You are invited to a network meeting.")
WHEN = N_("When: %(when)s")
WHERE = N_("Where: %(place)s")
HOW = N_("How the meeting works:")
JOIN = N_("Join the meeting with this link (the chair lets you in): %(link)s")
IS_CANCELLED = N_("The network meeting on %(when)s has been cancelled.")
TOMORROW = N_("A reminder: the network meeting is tomorrow.")


def when_text(value: str, lang: str) -> str:
    moment = dt.datetime.fromisoformat(value)
    if lang == "en":
        return moment.strftime("%Y-%m-%d %H:%M")
    return f"{moment.day}.{moment.month}.{moment.year} {moment:%H:%M}"


def invitation_state(meeting: Meeting) -> dict[str, Any] | None:
    """The meeting's invitation: when, where, its sequence, whether cancelled or reminded."""
    return json.loads(meeting.invite_json) if meeting.invite_json else None


def _ics(meeting: Meeting, invite: dict[str, Any], method: str, summary: str) -> str:
    start = local_time(invite["when"])
    cal = new_calendar()
    cal.add("method", method)
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@avoin")
    event.add("sequence", invite["sequence"])
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=MEETING_MINUTES))
    event.add("summary", summary)
    if invite.get("place"):
        event.add("location", invite["place"])
    if method == "CANCEL":
        event.add("status", "CANCELLED")
    cal.add_component(event)
    cal.add_missing_timezones()
    text: str = cal.to_ical().decode()
    return text


def invitees(prep: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in prep["invitees"] if p.get("email") and p.get("consent")]


def _frame_text(meeting: Meeting, lang: str) -> str:
    frame = json.loads(meeting.frame_json)
    description = (frame.get("description") or {}).get(lang) or ""
    titles = " → ".join((p.get("title") or {}).get(lang, "") for p in frame.get("phases", []))
    return "\n".join(t for t in (description, titles) if t)


def invite(
    session: Session,
    settings: Settings,
    meeting: Meeting,
    prep_json: str | None,
    when: str,
    place: str,
) -> int:
    """Send (or update) the meeting's invitation to every invitee with an address: how many."""
    before = invitation_state(meeting)
    sequence = before["sequence"] + 1 if before else 0
    invite_now = {"when": when, "place": place, "sequence": sequence, "cancelled": False}
    invite_now["reminded"] = False
    meeting.invite_json = json.dumps(invite_now, ensure_ascii=False)
    session.add(meeting)
    join = links(settings, meeting)["join"]
    count = 0
    for person in invitees(preparation.load(prep_json)):
        lang = person.get("language") or meeting.language
        title = translate(CHANGED if before else SUBJECT, lang) % {"when": when_text(when, lang)}
        body = "\n\n".join(
            [
                translate(GREETING, lang) % {"name": person["name"]},
                translate(INVITED, lang),
                translate(WHEN, lang) % {"when": when_text(when, lang)}
                + ("\n" + translate(WHERE, lang) % {"place": place} if place else ""),
                translate(HOW, lang) + "\n" + _frame_text(meeting, lang),
                translate(JOIN, lang) % {"link": join},
            ]
        )
        ics = _ics(meeting, invite_now, "REQUEST", title)
        key = f"invite:{meeting.id}:{sequence}:{person['email']}"
        count += queue(session, key, person["email"], title, body, ics, "REQUEST")
    return count


def cancel(session: Session, meeting: Meeting, prep_json: str | None) -> int:
    """Cancel the meeting's invitation in every invitee's calendar: how many were told."""
    before = invitation_state(meeting)
    if before is None or before["cancelled"]:
        return 0
    invite_now = before | {"sequence": before["sequence"] + 1, "cancelled": True}
    meeting.invite_json = json.dumps(invite_now, ensure_ascii=False)
    session.add(meeting)
    count = 0
    for person in invitees(preparation.load(prep_json)):
        lang = person.get("language") or meeting.language
        when = when_text(before["when"], lang)
        title = translate(CANCELLED, lang) % {"when": when}
        body = "\n\n".join(
            [
                translate(GREETING, lang) % {"name": person["name"]},
                translate(IS_CANCELLED, lang) % {"when": when},
            ]
        )
        ics = _ics(meeting, invite_now, "CANCEL", title)
        key = f"cancel:{meeting.id}:{invite_now['sequence']}:{person['email']}"
        count += queue(session, key, person["email"], title, body, ics, "CANCEL")
    return count
