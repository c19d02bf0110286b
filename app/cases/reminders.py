"""The day-before reminders of the case meetings the network was invited to by e-mail
(app/mail/invitations.py writes the messages; the server's mail job runs this)."""

from __future__ import annotations

import datetime as dt
import json

from sqlmodel import Session, col, select

from app.cases.models import Case
from app.config import Settings
from app.i18n import translate
from app.mail.invitations import (
    GREETING,
    HELSINKI,
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
from app.meetings.links import links
from app.meetings.models import Meeting
from app.preparation import model as preparation


def queue_reminders(session: Session, settings: Settings, now: dt.datetime) -> int:
    """Everyone invited hears the day before the meeting: how many reminders were queued."""
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
