"""JSON routes beside the pages (OpenAPI at /docs)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from app.accounts import User, authenticate, end_session, start_session, user_for_token
from app.auth import SESSION_COOKIE, participant_cookie, session_token, set_cookie
from app.errors import AppError
from app.i18n import pick_language
from app.meetings import repository as repo
from app.meetings.links import links
from app.meetings.record import record_markdown
from app.meetings.service import MeetingService, create_meeting
from app.web import db_session

router = APIRouter(prefix="/api")
# scope="function": the session commits before the response leaves, so the next request sees it.
DbSession = Annotated[Session, Depends(db_session, scope="function")]


class LoginIn(BaseModel):
    username: str = Field(max_length=80)
    password: str = Field(max_length=200)


class MeetingIn(BaseModel):
    title: str = Field(min_length=1, max_length=120)
    frame: str = Field(default="hypothesis", max_length=40)
    language: Literal["fi", "sv", "en"] = "fi"


class JoinIn(BaseModel):
    join_code: str = Field(max_length=20)
    name: str = Field(max_length=60)
    role_label: str = Field(default="", max_length=60)
    family: bool = False


def current_user(request: Request, session: DbSession) -> User:
    """The logged-in professional, or `forbidden`."""
    user = user_for_token(session, session_token(request))
    if user is None:
        raise AppError("forbidden", "Please log in.")
    return user


@router.post("/session")
def login(body: LoginIn, request: Request, response: Response, session: DbSession) -> dict:
    """Log a professional in: sets the session cookie."""
    settings = request.app.state.settings
    user = authenticate(session, body.username, body.password)
    token = start_session(session, user, settings.session_days)
    set_cookie(response, settings, SESSION_COOKIE, token, settings.session_days)
    return {"user": {"username": user.username, "display_name": user.display_name}}


@router.delete("/session")
def logout(request: Request, response: Response, session: DbSession) -> dict:
    """Log out."""
    end_session(session, session_token(request))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"ok": True}


@router.get("/frames")
def frames(request: Request, language: str = "fi") -> dict:
    """The conversation frames this server offers."""
    lang = language if language in ("fi", "sv", "en") else "fi"
    return {
        "frames": [f.localized(lang) for f in request.app.state.frames.values()],
    }


@router.post("/meetings", status_code=201)
def new_meeting(
    body: MeetingIn,
    request: Request,
    session: DbSession,
    user: Annotated[User, Depends(current_user)],
) -> dict:
    """Start a meeting: its id, join code and links; the caller is its chair."""
    frame = request.app.state.frames.get(body.frame)
    if frame is None:
        raise AppError("invalid", "No such conversation frame.")
    meeting = create_meeting(
        session, user.id or 0, user.display_name, body.title, frame, body.language, user.unit
    )
    return {
        "id": meeting.id,
        "join_code": meeting.join_code,
        "links": links(request.app.state.settings, meeting),
    }


@router.post("/meetings/{meeting_id}/join")
async def join(meeting_id: str, body: JoinIn, request: Request, response: Response) -> dict:
    """Knock with the join code: a participant cookie; the chair lets them in from the lobby."""
    service: MeetingService = request.app.state.service
    participant, token = await service.join(
        meeting_id, body.join_code, body.name, body.role_label, body.family
    )
    set_cookie(response, request.app.state.settings, participant_cookie(meeting_id), token, 2)
    return {"participant": participant, "meeting": meeting_id}


async def _viewer(request: Request, meeting_id: str) -> Any:
    service: MeetingService = request.app.state.service
    viewer = await service.authenticate(
        meeting_id,
        participant_token=request.cookies.get(participant_cookie(meeting_id)),
        session_token=request.cookies.get(SESSION_COOKIE),
        screen_token=request.query_params.get("token"),
    )
    if viewer is None or not viewer.admitted:
        raise AppError("forbidden", "You are not in this meeting.")
    return viewer


@router.get("/meetings/{meeting_id}")
async def meeting_state(meeting_id: str, request: Request, response: Response) -> dict:
    """The snapshot, as over the socket."""
    viewer = await _viewer(request, meeting_id)
    lang = pick_language(request.query_params.get("lang"), request.app.state.settings.language)
    seq, state = await request.app.state.service.snapshot(meeting_id, lang, viewer.id)
    response.headers["Cache-Control"] = "no-store"
    return {"seq": seq, "state": state}


@router.get("/meetings/{meeting_id}/record.md")
async def record_md(meeting_id: str, request: Request) -> Response:
    """The record as Markdown, by phase, with the plan as a table (chair and scribe)."""
    viewer = await _viewer(request, meeting_id)
    if viewer.kind not in ("chair", "scribe"):
        raise AppError("forbidden", "Only the chair and the scribe export the record.")
    _seq, state = await request.app.state.service.state(meeting_id)
    with request.app.state.session_factory() as session:
        meeting = repo.get_meeting(session, meeting_id)
    body = record_markdown(state, meeting.created_at)
    return Response(
        body,
        media_type="text/markdown; charset=utf-8",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="avoin-{meeting_id}.md"',
        },
    )
