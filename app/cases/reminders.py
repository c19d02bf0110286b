"""The day-before reminders of the case meetings the network was invited to by e-mail
(app/mail/invitations.py writes the messages; the server's mail job runs this)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.cases.models import Case
from app.config import Settings
from app.i18n import N_, translate
from app.mail.invitations import (
    GREETING,
    JOIN,
    REMIND_BEFORE,
    REMINDER,
    TOMORROW,
    WHEN,
    WHERE,
    invitation_state,
    invitees,
    when_text,
)
from app.mail.outbox import queue
from app.meetings.calendar import HELSINKI
from app.meetings.links import links
from app.meetings.models import Entry, Meeting, Participant
from app.preparation import model as preparation

STEP_SUBJECT = N_("Reminder: your step of the plan is due on %(day)s")
STEP_BODY = N_(
    "A reminder: a step of the network meeting's plan that you took on is due on %(day)s. "
    "You can see the plan here: %(link)s"
)


def queue_reminders(session: Session, settings: Settings, now: dt.datetime) -> int:
    """Reminders due now: everyone invited hears the day before the meeting, and the owner of a
    plan step (an invitee of the case, by name, with an address) the day before its date."""
    return _meetings(session, settings, now) + _steps(session, settings, now)


def _steps(session: Session, settings: Settings, now: dt.datetime) -> int:
    tomorrow = (now.astimezone(HELSINKI) + dt.timedelta(days=1)).date().isoformat()
    rows = session.exec(
        select(Entry, Meeting, Case)
        .join(Meeting, col(Meeting.id) == col(Entry.meeting_id))
        .join(Case, col(Case.id) == col(Meeting.case_id))
        .where(Entry.kind == "plan", Entry.due == tomorrow, Entry.deleted == False)  # noqa: E712
        .where(or_(col(Entry.ask_first).is_(None), col(Entry.approved)))
    ).all()
    count = 0
    for entry, meeting, case in rows:
        owner = _owner_name(session, entry.owner)
        if not owner:
            continue
        for person in invitees(preparation.load(case.preparation_json)):
            if person["name"].casefold() != owner:
                continue
            lang = person.get("language") or meeting.language
            day = when_text(f"{entry.due}T00:00", lang).split(" ")[0]
            link = f"{settings.public_url.rstrip('/')}/m/{meeting.id}"
            body = "\n\n".join(
                [
                    translate(GREETING, lang) % {"name": person["name"]},
                    translate(STEP_BODY, lang) % {"day": day, "link": link},
                ]
            )
            title = translate(STEP_SUBJECT, lang) % {"day": day}
            count += queue(
                session,
                f"step:{entry.id}:{entry.due}:{person['email']}",
                person["email"],
                title,
                body,
            )
    return count


def _owner_name(session: Session, owner: str | None) -> str:
    """A plan step's owner as a name to match an invitee by: a participant's name, or the
    name in a free label ("Pirjo (mummo)" is Pirjo)."""
    if not owner:
        return ""
    person = session.get(Participant, owner)
    name = person.name if person is not None else owner.split(" (")[0]
    return name.strip().casefold()


def _meetings(session: Session, settings: Settings, now: dt.datetime) -> int:
    count = 0
    rows = session.exec(
        select(Meeting, Case)
        .join(Case, col(Case.id) == col(Meeting.case_id))
        .where(col(Meeting.invite_json).is_not(None), Meeting.status == "open")
    ).all()
    local_now = now.astimezone(HELSINKI).replace(tzinfo=None)
    for meeting, case in rows:
        invite_now = invitation_state(meeting)
        if invite_now is None or invite_now["cancelled"] or invite_now.get("reminded"):
            continue
        start = dt.datetime.fromisoformat(invite_now["when"])
        if not local_now < start <= local_now + REMIND_BEFORE:
            continue
        join = links(settings, meeting)["join"]
        for person in invitees(preparation.load(case.preparation_json)):
            lang = person.get("language") or meeting.language
            when = when_text(invite_now["when"], lang)
            title = translate(REMINDER, lang) % {"when": when}
            body = "\n\n".join(
                [
                    translate(GREETING, lang) % {"name": person["name"]},
                    translate(TOMORROW, lang),
                    translate(WHEN, lang) % {"when": when}
                    + (
                        "\n" + translate(WHERE, lang) % {"place": invite_now["place"]}
                        if invite_now.get("place")
                        else ""
                    ),
                    translate(JOIN, lang) % {"link": join},
                ]
            )
            key = f"remind:{meeting.id}:{invite_now['sequence']}:{person['email']}"
            count += queue(session, key, person["email"], title, body)
        meeting.invite_json = json.dumps(invite_now | {"reminded": True}, ensure_ascii=False)
        session.add(meeting)
    return count
