"""HTTP around the meeting's process: calendar files, deleting a meeting, the family's summary."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from app.accounts import token_hash
from app.audit.log import record
from app.db import transaction
from app.errors import AppError
from app.i18n import translate
from app.meetings import schemas as s
from app.meetings.api import viewer_of
from app.meetings.domain import MeetingState
from app.meetings.links import qr_svg
from app.meetings.models import Meeting, SummaryLink
from app.meetings.service import MeetingService
from app.meetings.summary_link import with_url
from app.rendering import page_language, render

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
    from app.meetings.calendar import next_meeting_ics  # icalendar, only when asked for

    return _ics(next_meeting_ics(state, f"{title}: {state.title}"), "next-meeting")


@router.get("/api/meetings/{meeting_id}/plan.ics")
async def plan_dates_ics(meeting_id: str, request: Request) -> Response:
    """The plan's due dates as calendar events."""
    await viewer_of(request, meeting_id)
    _seq, state = await request.app.state.service.state(meeting_id)
    lang = state.language
    from app.meetings.calendar import plan_ics

    return _ics(plan_ics(state, translate("Plan", lang), translate("Who", lang)), "plan")


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
async def delete_now(meeting_id: str, request: Request) -> dict[str, Any]:
    """A professional with an account deletes the meeting and its whole record at once,
    whoever chairs it."""
    viewer = await viewer_of(request, meeting_id)
    service: MeetingService = request.app.state.service
    _seq, state = await service.state(meeting_id)
    state.record_keeper(viewer.id)
    await service.delete(meeting_id, actor=f"user:{viewer.user_id}", role=viewer.kind)
    return {"deleted": meeting_id}


class ShareIn(BaseModel):
    """The family's summary shared over HTTP; `id` makes a retry safe, as an op's does."""

    model_config = ConfigDict(extra="forbid", strict=True)
    id: str = Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    days: int = Field(default=14, ge=1, le=90)


@router.post("/api/meetings/{meeting_id}/summary")
async def share_summary(meeting_id: str, body: ShareIn, request: Request) -> dict[str, Any]:
    """The chair shares the family's summary in the same step as the close, when a phone that
    chairs has no live socket any more (the same op as over the socket, the same rules)."""
    viewer = await viewer_of(request, meeting_id)
    op = s.SummaryShare(op="summary.share", id=body.id, days=body.days)
    await request.app.state.service.handle(meeting_id, viewer.id, op)
    return {"shared": True}


@router.post("/api/meetings/{meeting_id}/chair")
async def take_the_chair_back(meeting_id: str, request: Request) -> dict[str, Any]:
    """The account that opened the meeting takes the chair back (over HTTP as well as the
    socket: after the close its socket may be gone)."""
    viewer = await viewer_of(request, meeting_id)
    op = s.ChairReclaim(op="chair.reclaim", id=f"reclaim-{secrets.token_hex(8)}")
    await request.app.state.service.handle(meeting_id, viewer.id, op)
    return {"chair": viewer.id}


def _plain_steps(state: MeetingState, lang: str) -> list[dict[str, Any]]:
    """The plan in plain language, as the family's summary shows it."""
    people = state.participants
    steps = []
    for entry in state.entries.values():
        if entry.kind != "plan" or not entry.shared:
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
    lang = page_language(request)
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
    lang = page_language(request, state.language)
    prep = state.process.preparation or {}
    nxt = state.process.next_meeting
    when = None
    if nxt:
        moment = dt.datetime.fromisoformat(nxt["when"])
        when = {
            "when": f"{moment.day}.{moment.month}.{moment.year} {moment:%H:%M}",
            "place": nxt.get("place"),
        }
    core = [e.text for e in state.entries.values() if e.phase == "core" and e.shared]
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
