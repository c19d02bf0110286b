"""POST /cases/{id}/meetings/{mid}/invite (and /invite/cancel): the case's worker invites the
network to a meeting of the case by e-mail, changes the invitation, or cancels it. The messages
go into the outbox with the change (app/mail/); the page never waits for them to be sent."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.audit.log import record
from app.cases.pages import _owned
from app.errors import AppError
from app.mail import invitations
from app.meetings.models import Meeting
from app.rendering import page_language
from app.text import visible_label
from app.web import DbSession

router = APIRouter(include_in_schema=False)


def _meeting(session: Session, case_id: str, meeting_id: str) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.case_id != case_id:
        raise AppError("not_found", "No such meeting.")
    if meeting.status != "open":
        raise AppError("closed", "The meeting has been closed.")
    return meeting


@router.post("/cases/{case_id}/meetings/{meeting_id}/invite")
def invite(
    request: Request,
    session: DbSession,
    case_id: str,
    meeting_id: str,
    when: Annotated[str, Form(max_length=40)] = "",
    place: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Invite (or tell of a change): everyone on the case's list with an address and consent."""
    found = _owned(request, session, case_id, page_language(request))
    if isinstance(found, Response):
        return found
    user, case = found
    meeting = _meeting(session, case.id, meeting_id)
    try:
        moment = dt.datetime.fromisoformat(when).replace(second=0, microsecond=0, tzinfo=None)
    except ValueError as exc:
        raise AppError("invalid", "Give the meeting's date and time.") from exc
    settings = request.app.state.settings
    count = invitations.invite(
        session, settings, meeting, case.preparation_json, moment.isoformat(), visible_label(place)
    )
    record(
        session, "meeting.invite", actor=f"user:{user.id}", meeting_id=meeting.id, detail=str(count)
    )
    return RedirectResponse(f"/cases/{quote(case.id)}?saved=meetings#meetings", status_code=303)


@router.post("/cases/{case_id}/meetings/{meeting_id}/invite/cancel")
def cancel(request: Request, session: DbSession, case_id: str, meeting_id: str) -> Response:
    """Cancel the meeting in everyone's calendar."""
    found = _owned(request, session, case_id, page_language(request))
    if isinstance(found, Response):
        return found
    user, case = found
    meeting = _meeting(session, case.id, meeting_id)
    count = invitations.cancel(session, meeting, case.preparation_json)
    record(
        session,
        "meeting.uninvite",
        actor=f"user:{user.id}",
        meeting_id=meeting.id,
        detail=str(count),
    )
    return RedirectResponse(f"/cases/{quote(case.id)}?saved=meetings#meetings", status_code=303)
