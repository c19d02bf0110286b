"""Who is asking: professionals' session cookies, participants' cookies, Origin checks."""

from __future__ import annotations

from fastapi import Request, Response
from starlette.requests import HTTPConnection

from app.config import Settings

SESSION_COOKIE = "avoin_session"
LANG_COOKIE = "avoin_lang"


def participant_cookie(meeting_id: str) -> str:
    """One cookie per meeting, so that one phone can be in two meetings."""
    return f"avoin_p_{meeting_id}"


def origin_allowed(settings: Settings, origin: str | None) -> bool:
    """An exact match against the allowlist; no Origin at all is refused."""
    return origin is not None and origin.lower() in settings.origins


def request_origin(conn: HTTPConnection) -> str | None:
    return conn.headers.get("origin")


def set_cookie(response: Response, settings: Settings, name: str, value: str, days: int) -> None:
    """An HttpOnly, SameSite=Lax cookie (Secure whenever the public URL is https)."""
    response.set_cookie(
        name,
        value,
        max_age=days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE)
