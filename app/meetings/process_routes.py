"""HTTP around the meeting's process: calendar files, deleting a meeting, the family's summary."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from app.accounts import token_hash
from app.audit.log import record
from app.db import transaction
from app.errors import AppError
from app.i18n import translate
from app.meetings.api import viewer_of
from app.meetings.calendar import next_meeting_ics, plan_ics
from app.meetings.domain import MeetingState
from app.meetings.links import qr_svg
from app.meetings.models import Meeting, SummaryLink
from app.meetings.pages import _lang, render
from app.meetings.service import MeetingService
from app.meetings.summary_link import with_url

router = APIRouter()


def _ics(body: bytes, name: str) -> Response:
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="{name}.ics"',
        },
    )


@router.get("/api/meetings/{meeting_id}/next.ics")
async def next_ics(meeting_id: str, request: Request) -> Response:
    """The next meeting, for anyone in this one to add to their calendar."""
    await viewer_of(request, meeting_id)
    _seq, state = await request.app.state.service.state(meeting_id)
    if state.process.next_meeting is None:
        raise AppError("not_found", "The next meeting has not been scheduled yet.")
    title = translate("Network meeting", state.language)
    return _ics(next_meeting_ics(state, f"{title}: {state.title}"), "next-meeting")


@router.get("/api/meetings/{meeting_id}/plan.ics")
async def plan_dates_ics(meeting_id: str, request: Request) -> Response:
    """The plan's due dates as calendar events."""
    await viewer_of(request, meeting_id)
    _seq, state = await request.app.state.service.state(meeting_id)
    return _ics(plan_ics(state, translate("Plan", state.language)), "plan")


@router.get("/api/meetings/{meeting_id}/summary-qr.svg")
async def summary_qr(meeting_id: str, request: Request) -> Response:
    """The family's summary link as a QR code, for the shared screen and the chair at the end."""
    await viewer_of(request, meeting_id, screen=True)
    _seq, state = await request.app.state.service.state(meeting_id)
    summary = with_url(state.process.summary, request.app.state.settings.secret_key)
    if summary is None:
        raise AppError("not_found", "No summary link is shared.")
    url = request.app.state.settings.base_url + summary["url"]
    return Response(qr_svg(url), media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


@router.delete("/api/meetings/{meeting_id}")
async def delete_now(meeting_id: str, request: Request) -> dict:
    """The chair deletes the meeting and its whole record at once."""
    viewer = await viewer_of(request, meeting_id)
    if viewer.kind != "chair":
        raise AppError("forbidden", "Only the chair can do this.")
    service: MeetingService = request.app.state.service
    await service.delete(meeting_id, actor=f"participant:{viewer.id}", role="chair")
    return {"deleted": meeting_id}


def _plain_steps(state: MeetingState, lang: str) -> list[dict]:
    """The plan in plain language, as the family's summary shows it."""
    people = state.participants
    steps = []
    for entry in state.entries.values():
        if entry.kind != "plan" or entry.deleted:
            continue
        owner = people[entry.owner].name if entry.owner in people else entry.owner
        due = None
        if entry.due:
            day = dt.date.fromisoformat(entry.due)
            due = f"{day.day}.{day.month}.{day.year}"
        words = []
        for pid, word in entry.agreements.items():
            name = people[pid].name if pid in people else ""
            agreed = word.get("agreement") == "agree"
            label = translate("Agreed" if agreed else "Not agreed", lang)
            comment = f" ({word['comment']})" if word.get("comment") else ""
            words.append(
                {"kind": "agree" if agreed else "dispute", "text": f"{label}: {name}{comment}"}
            )
        steps.append({"text": entry.text, "owner": owner, "due": due, "words": words})
    return steps


@router.get("/s/{token}", response_class=HTMLResponse)
async def summary(token: str, request: Request) -> Response:
    """The family's read-only summary: the plan in plain language, while the link is valid."""
    lang = _lang(request)
    engine = request.app.state.engine
    with transaction(engine) as session:
        link = session.get(SummaryLink, token_hash(token))
        now = dt.datetime.now(dt.UTC)
        valid = link is not None and not link.revoked and link.expires_at > now
        record(
            session,
            "summary.view",
            actor="link",
            meeting_id=link.meeting_id if link else None,
            success=valid,
        )
        meeting = session.get(Meeting, link.meeting_id) if valid and link else None
        expires = link.expires_at if link else now
    if meeting is None:
        err = AppError("not_found", "This link is no longer valid. Ask your worker for a new one.")
        return render(
            request,
            "message.html",
            lang,
            status=404,
            title=translate("Sorry", lang),
            message=translate(err.message, lang),
        )
    _seq, state = await request.app.state.service.state(meeting.id)
    lang = _lang(request, state.language)
    prep = state.process.preparation or {}
    nxt = state.process.next_meeting
    when = None
    if nxt:
        moment = dt.datetime.fromisoformat(nxt["when"])
        when = {
            "when": f"{moment.day}.{moment.month}.{moment.year} {moment:%H:%M}",
            "place": nxt.get("place"),
        }
    core = [e.text for e in state.entries.values() if e.phase == "core" and not e.deleted]
    if not core and prep.get("core_question"):
        core = [prep["core_question"]]
    return render(
        request,
        "summary.html",
        lang,
        title=state.title,
        held=f"{meeting.created_at.day}.{meeting.created_at.month}.{meeting.created_at.year}",
        core=core,
        steps=_plain_steps(state, lang),
        next=when,
        expires=f"{expires.day}.{expires.month}.{expires.year}",
    )
