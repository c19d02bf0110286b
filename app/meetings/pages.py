"""Server-rendered pages: log in, start a meeting, join, and each role's view of a meeting."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from anyio import to_thread
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import sso
from app.accounts import end_session
from app.auth import (
    SESSION_COOKIE,
    participant_cookie,
    screen_cookie,
    session_token,
    set_cookie,
)
from app.config import LANGUAGES
from app.db import transaction
from app.errors import AppError
from app.i18n import translate
from app.meetings import repository as repo
from app.meetings import screen_keys
from app.meetings.api import audit_view, authenticated, logged_in
from app.meetings.door import code_door
from app.meetings.links import format_code, links, qr_svg
from app.meetings.models import Meeting
from app.meetings.screen_keys import SCREEN_DAYS
from app.meetings.service import MeetingService, create_meeting
from app.preparation.view import preparation_context
from app.rendering import page_language, render
from app.web import DbSession, professional

router = APIRouter(include_in_schema=False)


def _error_page(request: Request, err: AppError, lang: str) -> HTMLResponse:
    return render(
        request,
        "message.html",
        lang,
        status=err.status,
        title=translate("Sorry", lang),
        message=translate(err.message, lang),
    )


def _preparation(stored: str | None, lang: str) -> dict[str, Any]:
    """What the family chose to bring, for the meeting views' opening phase."""
    return preparation_context(stored, lang)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: DbSession) -> Response:
    """Log in, or the professional's meetings."""
    lang = page_language(request)
    user = professional(request, session)
    if user is None:
        return render(request, "login.html", lang, next=request.query_params.get("next", ""))
    meetings = repo.meetings_of(session, user.id or 0)
    frames = [f.localized(lang) for f in request.app.state.frames.values()]
    return render(request, "home.html", lang, user=user, meetings=meetings, frames=frames)


@router.get("/frames", response_class=HTMLResponse)
def frames_page(request: Request) -> Response:
    """The conversation frames, phase by phase, as a page (programs read /api/frames)."""
    lang = page_language(request)
    listed = [f.localized(lang) for f in request.app.state.frames.values()]
    return render(request, "frames.html", lang, frames=listed)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    lang = page_language(request)
    settings = request.app.state.settings
    try:
        user = authenticated(request, username, password)
    except AppError as err:
        return render(
            request,
            "login.html",
            lang,
            status=403,
            error=translate(err.message, lang),
            next=next,
            username=username,
        )
    token = logged_in(request, user)
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    set_cookie(response, settings, SESSION_COOKIE, token, settings.session_days)
    return response


@router.post("/logout")
def logout(request: Request, session: DbSession) -> Response:
    """The local session ends; one begun with the organisation's login is also ended at the
    provider, where it offers that (RP-initiated logout)."""
    settings = request.app.state.settings
    user = professional(request, session)
    end_session(session, session_token(request))
    target = "/"
    if settings.sso and user is not None and user.sso_subject:
        ending = sso.provider(settings).end_session_endpoint
        if ending:
            back = settings.public_url.rstrip("/") + "/"
            target = f"{ending}?" + urlencode(
                {"client_id": settings.oidc_client_id, "post_logout_redirect_uri": back}
            )
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/meetings")
def new_meeting(
    request: Request,
    session: DbSession,
    title: Annotated[str, Form(max_length=200)],
    frame: Annotated[str, Form(max_length=40)] = "hypothesis",
    language: Annotated[str, Form(max_length=5)] = "fi",
) -> Response:
    lang = page_language(request)
    user = professional(request, session)
    if user is None:
        return RedirectResponse("/", status_code=303)
    chosen = request.app.state.frames.get(frame)
    try:
        if chosen is None:
            raise AppError("invalid", "No such conversation frame.")
        meeting = create_meeting(
            session,
            user.id or 0,
            user.display_name,
            title,
            chosen,
            language if language in ("fi", "sv", "en") else lang,
            user.unit,
        )
    except AppError as err:
        return _error_page(request, err, lang)
    return RedirectResponse(f"/m/{meeting.id}", status_code=303)


@router.get("/join", response_class=HTMLResponse)
def join_code_form(request: Request) -> Response:
    """The phone's first page: type the code you were given."""
    return render(request, "join.html", page_language(request), meeting=None, code="")


@router.post("/join")
def join_code_submit(
    request: Request, session: DbSession, code: Annotated[str, Form(max_length=20)]
) -> Response:
    try:
        with code_door(request, code):
            meeting = repo.meeting_by_code(session, code)
    except AppError as err:
        return _code_refused(request, err, code)
    return RedirectResponse(f"/join/{meeting.join_code}", status_code=303)


@router.get("/join/{code}", response_class=HTMLResponse)
def join_form(request: Request, session: DbSession, code: str) -> Response:
    """Name and an optional role label; then the lobby."""
    try:
        with code_door(request, code):
            meeting = repo.meeting_by_code(session, code)
    except AppError as err:
        return _code_refused(request, err, code)
    lang = page_language(request, meeting.language)
    as_scribe = request.query_params.get("as") == "scribe"
    return render(
        request,
        "join.html",
        lang,
        meeting=meeting,
        code=meeting.join_code,
        as_scribe=as_scribe,
        role_label=translate("scribe", lang) if as_scribe else "",
    )


@router.post("/join/{code}")
async def join_submit(
    request: Request,
    code: str,
    name: Annotated[str, Form(max_length=200)],
    role_label: Annotated[str, Form(max_length=200)] = "",
    family: Annotated[bool, Form()] = False,
) -> Response:
    try:
        with code_door(request, code, knock=True) as door:
            with request.app.state.session_factory() as session:
                meeting = repo.meeting_by_code(session, code)
            try:
                _person, token = await door.join(meeting.id, code, name, role_label, family)
            except AppError as err:
                if err.code == "not_found":
                    raise
                lang = page_language(request, meeting.language)
                return render(
                    request,
                    "join.html",
                    lang,
                    status=err.status,
                    meeting=meeting,
                    code=code,
                    error=translate(err.message, lang),
                    name=name,
                    role_label=role_label,
                )
    except AppError as err:
        return _code_refused(request, err, code)
    response = RedirectResponse(f"/m/{meeting.id}", status_code=303)
    set_cookie(response, request.app.state.settings, participant_cookie(meeting.id), token, 2)
    return response


def _code_refused(request: Request, err: AppError, code: str) -> HTMLResponse:
    """The code page again with why; an address that is stopped gets the same page whatever
    code it sent (its code is not even echoed back)."""
    lang = page_language(request)
    return render(
        request,
        "join.html",
        lang,
        status=err.status,
        meeting=None,
        code="" if err.code == "rate_limited" else code,
        error=translate(err.message, lang),
    )


@router.get("/m/{meeting_id}", response_class=HTMLResponse)
async def meeting_page(request: Request, meeting_id: str) -> Response:
    """The meeting as the visitor's role sees it."""
    service: MeetingService = request.app.state.service
    viewer = await service.authenticate(
        meeting_id,
        participant_token=request.cookies.get(participant_cookie(meeting_id)),
        session_token=session_token(request),
        screen_token=None,
    )
    if viewer is None:
        if session_token(request) is None:
            return RedirectResponse(f"/?next=/m/{meeting_id}", status_code=303)
        # A logged-in professional asked for a meeting that is not theirs: accountable.
        await request.app.state.denied.note(request, meeting_id)
        return RedirectResponse("/join", status_code=303)
    with request.app.state.session_factory() as session:
        meeting = repo.get_meeting(session, meeting_id)
    if meeting.status == "closed":
        await audit_view(request, meeting_id, viewer)
    lang = page_language(request, meeting.language)
    view = {"chair": "chair", "scribe": "scribe"}.get(viewer.kind, "phone")
    boot = {"meeting": meeting.id, "view": view, "you": viewer.id}
    # The owner who handed the chair over keeps a way back to it on whatever view they have.
    owner = viewer.user_id is not None and viewer.user_id == meeting.owner_id
    extra: dict[str, Any] = {"owner_away": owner and view != "chair"}
    if view == "chair":
        # Only the screen link's hash is kept: the chair's page is shown a fresh one.
        screen = (
            await to_thread.run_sync(_new_screen_link, request, meeting)
            if meeting.status == "open"
            else None
        )
        extra["links"] = links(request.app.state.settings, meeting, screen)
        extra["code"] = format_code(meeting.join_code)
    extra.update(_preparation(meeting.preparation_json, lang))
    return render(request, f"{view}.html", lang, meeting=meeting, boot=boot, view=view, **extra)


def _open_screen_link(request: Request, meeting_id: str, token: str) -> str | None:
    with transaction(request.app.state.engine) as session:
        return screen_keys.exchange(session, meeting_id, token)


def _new_screen_link(request: Request, meeting: Meeting) -> str:
    with transaction(request.app.state.engine) as session:
        return screen_keys.new_link(session, meeting.id)


@router.get("/m/{meeting_id}/screen", response_class=HTMLResponse)
async def screen_page(request: Request, meeting_id: str) -> Response:
    """The shared screen: read-only, follows the chair. Its link's token is traded once for the
    screen's cookie, and the page is shown at an address without it: the browser's history
    keeps no secret."""
    settings = request.app.state.settings
    token = request.query_params.get("token")
    if token is not None:
        lang_choice = request.query_params.get("lang")
        target = f"/m/{meeting_id}/screen" + (
            f"?lang={lang_choice}" if lang_choice in LANGUAGES else ""
        )
        response = RedirectResponse(target, status_code=303)
        device = await to_thread.run_sync(_open_screen_link, request, meeting_id, token[:100])
        if device is not None:
            set_cookie(response, settings, screen_cookie(meeting_id), device, SCREEN_DAYS)
        return response
    service: MeetingService = request.app.state.service
    viewer = await service.authenticate(
        meeting_id,
        participant_token=None,
        session_token=None,
        screen_token=request.cookies.get(screen_cookie(meeting_id), ""),
    )
    lang = page_language(request)
    if viewer is None:
        await request.app.state.denied.note(request, meeting_id)
        return _error_page(request, AppError("forbidden", "This screen link is not valid."), lang)
    with request.app.state.session_factory() as session:
        meeting = repo.get_meeting(session, meeting_id)
    lang = page_language(request, meeting.language)
    join_link = links(settings, meeting)["join"]
    boot = {"meeting": meeting.id, "view": "screen", "you": viewer.id}
    # After the close the screen shows no part of the record, the family's preparation neither.
    shared = meeting.preparation_json if meeting.status == "open" else None
    return render(
        request,
        "screen.html",
        lang,
        meeting=meeting,
        boot=boot,
        view="screen",
        code=format_code(meeting.join_code),
        join_link=join_link,
        qr=qr_svg(join_link),
        **_preparation(shared, lang),
    )
