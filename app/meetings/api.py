"""JSON routes beside the pages (OpenAPI at /docs)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlmodel import Session

from app.accounts import User, authenticate, end_session, start_session, user_for_token
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
from app.meetings.links import links
from app.meetings.screen_keys import new_link
from app.meetings.service import MeetingService, create_meeting, feedback_mark
from app.meetings.summary_link import with_url
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


def authenticated(request: Request, session: Session, username: str, password: str) -> User:
    """Check a login and log it, success or failure (a failure in a transaction of its own, since
    the request's is rolled back)."""
    limits = request.app.state.limits
    address, who = f"ip:{client_address(request)}", f"user:{username.strip().lower()}"
    limits.failures_by_address.check(address)
    limits.login_by_user.check(who)
    try:
        user = authenticate(session, username, password)
    except AppError:
        limits.failures_by_address.add(address)
        limits.login_by_user.add(who)
        session.rollback()  # give up the request's write lock before the log takes it
        with transaction(request.app.state.engine) as audit:
            record(audit, "login", actor="user:?", success=False)
        raise
    record(session, "login", actor=f"user:{user.id}", role="professional")
    return user


def client_address(request: Request) -> str:
    """The caller's address (uvicorn puts the proxy's X-Forwarded-For here when trusted)."""
    return request.client.host if request.client else "?"


def check_join(request: Request, meeting_id: str) -> None:
    """Knocks are limited per meeting (no flooding of a lobby), and wrong codes per address."""
    limits = request.app.state.limits
    limits.failures_by_address.check(f"ip:{client_address(request)}")
    limits.joins_by_meeting.hit(f"meeting:{meeting_id}")


def count_failure(request: Request) -> None:
    """A wrong code or password counts against the address it came from."""
    request.app.state.limits.failures_by_address.add(f"ip:{client_address(request)}")


def check_code_lookup(request: Request) -> None:
    """Looking a meeting up by its code: an address that keeps guessing wrong is stopped."""
    request.app.state.limits.failures_by_address.check(f"ip:{client_address(request)}")


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
    user = authenticated(request, session, body.username, body.password)
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
        "links": links(request.app.state.settings, meeting, new_link(session, meeting.id)),
    }


@router.post("/meetings/{meeting_id}/join")
async def join(meeting_id: str, body: JoinIn, request: Request, response: Response) -> dict:
    """Knock with the join code: a participant cookie; the chair lets them in from the lobby."""
    service: MeetingService = request.app.state.service
    check_join(request, meeting_id)
    try:
        participant, token = await service.join(
            meeting_id, body.join_code, body.name, body.role_label, body.family
        )
    except AppError as err:
        if err.code == "not_found":
            count_failure(request)
        raise
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
async def meeting_state(meeting_id: str, request: Request, response: Response) -> dict:
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
async def feedback(meeting_id: str, body: FeedbackIn, request: Request) -> dict:
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
async def after_the_meeting(meeting_id: str, request: Request, response: Response) -> dict:
    """What a phone still learns after the close, without the record: the next meeting and the
    family's summary link (the closed view asks now and then; the live socket has ended)."""
    viewer = await viewer_of(request, meeting_id)
    _seq, state = await request.app.state.service.state(meeting_id)
    response.headers["Cache-Control"] = "no-store"
    process = state.process.view(viewer.id)
    summary = with_url(process["summary"], request.app.state.settings.secret_key)
    return {"next_meeting": process["next_meeting"], "summary": summary}
