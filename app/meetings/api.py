"""JSON routes beside the pages (OpenAPI at /docs)."""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.accounts import (
    User,
    end_session,
    find_user,
    password_matches,
    start_session,
)
from app.audit.log import record
from app.auth import (
    SESSION_COOKIE,
    participant_cookie,
    screen_credential,
    session_token,
    set_cookie,
)
from app.db import transaction
from app.errors import AppError
from app.i18n import pick_language
from app.meetings import schemas as s
from app.meetings.door import address_key, code_door, count_failure
from app.meetings.links import links
from app.meetings.screen_keys import new_link
from app.meetings.service import MeetingService, create_meeting
from app.meetings.summary_link import with_url
from app.meetings.writing import feedback_mark
from app.web import CurrentUser, DbSession

router = APIRouter(prefix="/api")


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


def authenticated(request: Request, username: str, password: str) -> User:
    """Check a login and log it, success or failure. The argon2 check runs with no transaction
    open (it takes a tenth of a second; a write lock held meanwhile would stop every meeting), and
    each log line is a short write of its own."""
    if not request.app.state.settings.local_passwords:
        raise AppError("forbidden", "Log in with your organisation's account.")
    limits = request.app.state.limits
    who = f"user:{username.strip().lower()}"
    limits.failures_by_address.check(address_key(request))
    limits.login_by_user.check(who)
    engine = request.app.state.engine
    with transaction(engine, write=False) as session:
        user = find_user(session, username)
    if user is None or not password_matches(user, password) or not user.active:
        if user is None:
            password_matches(None, password)  # the same work as for a known username
        count_failure(request)
        limits.login_by_user.add(who)
        with transaction(engine) as audit:
            record(audit, "login", actor="user:?", success=False)
        raise AppError("forbidden", "Wrong username or password.")
    return user


def logged_in(request: Request, user: User, how: str = "") -> str:
    """Start the professional's session and log it (`how`: "sso" for the organisation's login),
    in one short write: the cookie's value."""
    with transaction(request.app.state.engine) as session:
        record(session, "login", actor=f"user:{user.id}", role="professional", detail=how)
        return start_session(session, user, request.app.state.settings.session_days)


@router.post("/session")
def login(body: LoginIn, request: Request, response: Response) -> dict[str, Any]:
    """Log a professional in: sets the session cookie."""
    settings = request.app.state.settings
    user = authenticated(request, body.username, body.password)
    token = logged_in(request, user)
    set_cookie(response, settings, SESSION_COOKIE, token, settings.session_days)
    return {"user": {"username": user.username, "display_name": user.display_name}}


@router.delete("/session")
def logout(request: Request, response: Response, session: DbSession) -> dict[str, Any]:
    """Log out."""
    end_session(session, session_token(request))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"ok": True}


def wants_html(request: Request) -> bool:
    """A browser asking for a page (its Accept names HTML), not a program asking for JSON."""
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept


@router.get("/frames", response_model=None)
def frames(request: Request, language: str = "fi") -> dict[str, Any] | Response:
    """The conversation frames this server offers (a browser is sent to their page, /frames)."""
    if wants_html(request):
        return RedirectResponse("/frames", status_code=303)
    lang = language if language in ("fi", "sv", "en") else "fi"
    return {"frames": [f.localized(lang) for f in request.app.state.frames.values()]}


@router.post("/meetings", status_code=201)
def new_meeting(
    body: MeetingIn,
    request: Request,
    session: DbSession,
    user: CurrentUser,
) -> dict[str, Any]:
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
        "links": links(request.app.state.settings, meeting, new_link(session, meeting.id)),
    }


@router.post("/meetings/{meeting_id}/join")
async def join(
    meeting_id: str, body: JoinIn, request: Request, response: Response
) -> dict[str, Any]:
    """Knock with the join code: a participant cookie; the chair lets them in from the lobby."""
    with code_door(request, body.join_code, knock=True) as door:
        participant, token = await door.join(
            meeting_id, body.join_code, body.name, body.role_label, body.family
        )
    set_cookie(response, request.app.state.settings, participant_cookie(meeting_id), token, 2)
    return {"participant": participant, "meeting": meeting_id}


async def audit_view(request: Request, meeting_id: str, viewer: Any) -> None:
    """A view of a closed (locked) record is logged: the family may ask who looked."""
    await request.app.state.service.audit_view(meeting_id, viewer.id, viewer.kind)


async def viewer_of(request: Request, meeting_id: str, screen: bool = False) -> Any:
    """Who asks, by their cookie; the shared screen (`?as=screen`) only where `screen` says it
    may read (its snapshot and the summary's QR code), never the record's downloads."""
    service: MeetingService = request.app.state.service
    screen_token = screen_credential(request, meeting_id)
    if screen_token is not None and not screen:
        raise AppError("forbidden", "The shared screen only shows the meeting.")
    viewer = await service.authenticate(
        meeting_id,
        participant_token=request.cookies.get(participant_cookie(meeting_id)),
        session_token=request.cookies.get(SESSION_COOKIE),
        screen_token=screen_token,
    )
    if viewer is None or not viewer.admitted:
        raise AppError("forbidden", "You are not in this meeting.")
    return viewer


@router.get("/meetings/{meeting_id}")
async def meeting_state(meeting_id: str, request: Request, response: Response) -> dict[str, Any]:
    """The snapshot, as over the socket (the shared screen's: what the projector shows)."""
    viewer = await viewer_of(request, meeting_id, screen=True)
    lang = pick_language(request.query_params.get("lang"), request.app.state.settings.language)
    seq, state = await request.app.state.service.snapshot(meeting_id, lang, viewer.id)
    if state["meeting"]["status"] == "closed" and viewer.kind != "screen":
        await audit_view(request, meeting_id, viewer)
    response.headers["Cache-Control"] = "no-store"
    return {"seq": seq, "state": state}


class FeedbackIn(BaseModel):
    """The three questions at the end (1–5) and an optional comment; `id` makes a retry safe."""

    model_config = ConfigDict(extra="forbid", strict=True)
    id: str = Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    heard: int = Field(ge=1, le=5)
    next: int = Field(ge=1, le=5)
    together: int = Field(ge=1, le=5)
    comment: str | None = Field(default=None, max_length=2000)

    @field_validator("comment")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        if value is not None and "\x00" in value:
            raise ValueError("Text cannot contain a NUL character.")
        return value


@router.post("/meetings/{meeting_id}/feedback")
async def feedback(meeting_id: str, body: FeedbackIn, request: Request) -> dict[str, Any]:
    """Feedback after the close, when the live socket is no longer open to the participant."""
    viewer = await viewer_of(request, meeting_id)
    op = s.FeedbackSubmit(op="feedback.submit", **body.model_dump())
    # The credential that let them in: a professional's login, else their participant cookie.
    credential = (
        request.cookies.get(SESSION_COOKIE)
        if viewer.user_id is not None
        else request.cookies.get(participant_cookie(meeting_id))
    )
    mark = feedback_mark(meeting_id, credential or "")
    stored, _fresh = await request.app.state.service.handle(meeting_id, viewer.id, op, mark)
    return {"count": json.loads(stored.frame)["data"]["count"]}


@router.get("/meetings/{meeting_id}/after")
async def after_the_meeting(
    meeting_id: str, request: Request, response: Response
) -> dict[str, Any]:
    """What a phone still learns after the close, without the record: the next meeting and the
    family's summary link (the closed view asks now and then; the live socket has ended)."""
    viewer = await viewer_of(request, meeting_id)
    _seq, state = await request.app.state.service.state(meeting_id)
    response.headers["Cache-Control"] = "no-store"
    process = state.process.view(viewer.id)
    summary = with_url(process["summary"], request.app.state.settings.secret_key)
    return {"next_meeting": process["next_meeting"], "summary": summary}
