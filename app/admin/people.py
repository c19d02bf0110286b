"""/admin: the administrators' pages for professionals' accounts and the service units, without a
shell. Create an account (with a one-time link to set its password), edit its name, unit and
roles, deactivate it — which ends its logins and its live sockets at once — or reactivate it,
make a new password link; add units. Every change is in the audit log. Ordinary forms, no script."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from app.accounts import (
    RESET_HOURS,
    Unit,
    User,
    add_user,
    end_sessions,
    new_reset_link,
    new_token,
    reset_of,
    set_password,
)
from app.audit.log import record
from app.errors import AppError
from app.i18n import N_, translate
from app.meetings.models import Meeting, Participant
from app.rendering import page_language, render
from app.text import visible_label
from app.web import DbSession, professional

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=200)]


def _admin(request: Request, session: Session) -> User | Response:
    """The administrator on this request; anyone else is sent to log in, or refused."""
    user = professional(request, session)
    if user is None:
        return RedirectResponse(f"/?next={request.url.path}", status_code=303)
    if not user.is_admin:
        raise AppError("forbidden", "These pages are for administrators.")
    return user


def _page(
    request: Request, session: Session, admin: User, status: int = 200, **extra: Any
) -> HTMLResponse:
    users = list(session.exec(select(User).order_by(col(User.username))))
    units = list(session.exec(select(Unit).order_by(col(Unit.name))))
    return render(
        request,
        "admin.html",
        page_language(request),
        status=status,
        admin=admin,
        reset_hours=RESET_HOURS,
        users=users,
        units=units,
        values=extra.pop("values", {}),
        errors=extra.pop("errors", {}),
        **extra,
    )


def _audit(session: Session, admin: User, action: str, detail: str) -> None:
    record(session, action, actor=f"user:{admin.id}", role="admin", detail=detail)


def _unit(session: Session, name: str) -> str:
    name = visible_label(name).strip()
    if name and session.get(Unit, name) is None:
        raise AppError("invalid", "Choose one of the units.")
    return name


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, session: DbSession) -> Response:
    """The professionals and the units."""
    admin = _admin(request, session)
    if isinstance(admin, Response):
        return admin
    return _page(request, session, admin, saved=request.query_params.get("saved", ""))


@router.post("/admin/users", response_class=HTMLResponse)
def create_user(
    request: Request,
    session: DbSession,
    username: Text = "",
    display_name: Text = "",
    unit: Text = "",
    roles: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """A new account: it has no password until its owner sets one with the link shown once."""
    admin = _admin(request, session)
    if isinstance(admin, Response):
        return admin
    roles = roles or []
    values = {"username": username, "display_name": display_name, "unit": unit, "roles": roles}
    try:
        user = add_user(
            session,
            visible_label(username),
            new_token(),  # a password nobody knows: the link sets the real one
            display_name=visible_label(display_name),
            unit=_unit(session, unit),
            admin="admin" in roles,
            manager="manager" in roles,
        )
    except AppError as err:
        lang = page_language(request)
        errors = {"new-username": translate(err.message, lang)}
        return _page(request, session, admin, status=422, values=values, errors=errors)
    link = _reset_url(request, new_reset_link(session, user))
    _audit(session, admin, "admin.user.create", f"user:{user.id}")
    session.commit()
    return _page(request, session, admin, link=link, link_for=user.username)


@router.post("/admin/users/{user_id}")
def update_user(
    request: Request,
    session: DbSession,
    user_id: int,
    display_name: Text = "",
    unit: Text = "",
    roles: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """A professional's name, unit and roles. An admin cannot take their own admin role away."""
    admin = _admin(request, session)
    if isinstance(admin, Response):
        return admin
    user = _user(session, user_id)
    roles = roles or []
    if user.id == admin.id and "admin" not in roles:
        raise AppError("invalid", "You cannot take your own administrator role away.")
    user.display_name = visible_label(display_name)[:80] or user.username
    user.unit = _unit(session, unit)
    user.is_admin, user.is_manager = "admin" in roles, "manager" in roles
    session.add(user)
    _audit(session, admin, "admin.user.update", f"user:{user.id} roles={','.join(sorted(roles))}")
    session.commit()
    return RedirectResponse(f"/admin?saved=user-{user.id}#user-{user.id}", status_code=303)


@router.post("/admin/users/{user_id}/active")
async def set_active(
    request: Request, session: DbSession, user_id: int, active: Text = ""
) -> Response:
    """Deactivate (its logins and live sockets end at once) or reactivate an account."""
    admin = _admin(request, session)
    if isinstance(admin, Response):
        return admin
    user = _user(session, user_id)
    if user.id == admin.id:
        raise AppError("invalid", "You cannot deactivate your own account.")
    user.active = active == "1"
    session.add(user)
    cut: dict[str, list[str]] = {}
    if not user.active:
        end_sessions(session, user.id or 0)
        # Its participants in meetings still open: their sockets are closed on every instance.
        rows = session.exec(
            select(Participant.meeting_id, Participant.id)
            .join(Meeting, col(Meeting.id) == col(Participant.meeting_id))
            .where(Participant.user_id == user.id, Meeting.status == "open")
        )
        for meeting_id, pid in rows:
            cut.setdefault(meeting_id, []).append(pid)
    action = "admin.user.activate" if user.active else "admin.user.deactivate"
    _audit(session, admin, action, f"user:{user.id}")
    session.commit()
    for meeting_id, pids in cut.items():
        await request.app.state.hub.publish_cut(meeting_id, pids)
    return RedirectResponse(f"/admin?saved=user-{user.id}#user-{user.id}", status_code=303)


@router.post("/admin/users/{user_id}/reset", response_class=HTMLResponse)
def reset_link(request: Request, session: DbSession, user_id: int) -> Response:
    """A new one-time link to set the password (any earlier link stops working)."""
    admin = _admin(request, session)
    if isinstance(admin, Response):
        return admin
    user = _user(session, user_id)
    link = _reset_url(request, new_reset_link(session, user))
    _audit(session, admin, "admin.user.reset_link", f"user:{user.id}")
    session.commit()
    return _page(request, session, admin, link=link, link_for=user.username)


@router.post("/admin/units", response_class=HTMLResponse)
def create_unit(request: Request, session: DbSession, name: Text = "") -> Response:
    """A new service unit professionals can be placed in."""
    admin = _admin(request, session)
    if isinstance(admin, Response):
        return admin
    name = visible_label(name).strip()
    lang = page_language(request)
    problem = ""
    if not name or len(name) > 80:
        problem = N_("A unit's name is 1–80 characters.")
    elif session.get(Unit, name) is not None:
        problem = N_("That unit is there already.")
    if problem:
        errors = {"unit-name": translate(problem, lang)}
        return _page(request, session, admin, status=422, values={"unit": name}, errors=errors)
    session.add(Unit(name=name))
    _audit(session, admin, "admin.unit.create", name)
    session.commit()
    return RedirectResponse("/admin?saved=units#units", status_code=303)


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise AppError("not_found", "No such account.")
    return user


def _reset_url(request: Request, token: str) -> str:
    base = request.app.state.settings.public_url.rstrip("/")
    return f"{base}/reset/{token}"


@router.get("/reset/{token}", response_class=HTMLResponse)
def reset_page(request: Request, session: DbSession, token: str) -> Response:
    """The one-time page to set a password."""
    return _reset_page(request, session, token)


@router.post("/reset/{token}", response_class=HTMLResponse)
def reset_password(
    request: Request, session: DbSession, token: str, password: Text = "", again: Text = ""
) -> Response:
    """Set the password; the link is spent and every earlier login of the account ends."""
    row = reset_of(session, token)
    if row is None:
        return _reset_page(request, session, token, status=410)
    lang = page_language(request)
    user = _user(session, row.user_id)
    if password != again:
        return _reset_page(
            request, session, token, 422, translate("The two passwords differ.", lang)
        )
    try:
        set_password(session, user, password)
    except AppError as err:
        return _reset_page(request, session, token, 422, translate(err.message, lang))
    row.used = True
    session.add(row)
    record(session, "password.set", actor=f"user:{user.id}", role="professional")
    return RedirectResponse("/?reset=done", status_code=303)


def _reset_page(
    request: Request, session: Session, token: str, status: int = 200, error: str = ""
) -> HTMLResponse:
    row = reset_of(session, token)
    user = session.get(User, row.user_id) if row is not None else None
    return render(
        request,
        "reset.html",
        page_language(request),
        status=status if row is not None or status != 200 else 410,
        valid=user is not None,
        username=user.username if user else "",
        error=error,
    )
