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


def screen_cookie(meeting_id: str) -> str:
    """The shared screen's own cookie in one meeting, apart from its visitor's other cookies."""
    return f"avoin_s_{meeting_id}"


def screen_credential(conn: HTTPConnection, meeting_id: str) -> str | None:
    """The screen's key when its page asks as the screen (`?as=screen`), else None."""
    if conn.query_params.get("as") != "screen":
        return None
    return conn.cookies.get(screen_cookie(meeting_id), "")


def origin_allowed(settings: Settings, origin: str | None) -> bool:
    """An exact match against the allowlist; no Origin at all is refused."""
    return origin is not None and origin.lower() in settings.origins


def same_origin_request(settings: Settings, conn: HTTPConnection) -> bool:
    """Whether a state-changing request may come from where it comes from (CSRF).

    Browsers say where a request comes from in Sec-Fetch-Site; older ones only in Origin, which
    our own pages send as "null" (Referrer-Policy: no-referrer), so "null" is refused and such a
    browser must be new enough to send Sec-Fetch-Site. A request with neither header is not from
    a browser, and carries no ambient cookies an attacker could borrow. SameSite=Lax cookies are
    the second line.
    """
    site = conn.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = conn.headers.get("origin")
    return origin is None or origin_allowed(settings, origin)


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
