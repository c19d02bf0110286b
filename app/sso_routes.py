"""The single sign-on routes: /login/sso sends the browser to the organisation's provider, which
sends it back to /login/sso/callback (app/sso.py does the checking)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from app import sso
from app.audit.log import record
from app.auth import SESSION_COOKIE, set_cookie
from app.db import transaction
from app.errors import AppError
from app.i18n import translate
from app.meetings.api import logged_in
from app.rendering import page_language, render

router = APIRouter(include_in_schema=False)


def _safe(next_path: str) -> str:
    return next_path if next_path.startswith("/") and not next_path.startswith("//") else "/"


@router.get("/login/sso")
async def login_sso(request: Request, next: str = "/") -> Response:
    """To the organisation's login."""
    settings = request.app.state.settings
    if not settings.sso:
        raise AppError("not_found", "Single sign-on is not in use here.")

    def work() -> str:
        with transaction(request.app.state.engine) as session:
            return sso.begin(session, settings, _safe(next[:200]))

    return RedirectResponse(await run_in_threadpool(work), status_code=303)


@router.get("/login/sso/callback")
async def login_sso_back(
    request: Request, code: str = "", state: str = "", error: str = ""
) -> Response:
    """Back from the provider: the login is checked, the account made or updated, the session
    started; a refusal is said on the login page, and audited."""
    settings = request.app.state.settings
    if not settings.sso:
        raise AppError("not_found", "Single sign-on is not in use here.")
    engine = request.app.state.engine

    def work() -> tuple[str, str]:
        with transaction(engine) as session:
            begun = sso.take_login(session, state[:200])
        if error or not code:
            raise AppError("forbidden", sso.FAILED)
        claims = sso.verify(
            settings, sso.exchange(settings, code[:2000], begun.verifier), begun.nonce
        )
        with transaction(engine) as session:
            user = sso.account(session, settings, claims)
        return logged_in(request, user, "sso"), begun.next

    try:
        token, target = await run_in_threadpool(work)
    except AppError as err:
        with transaction(engine) as session:
            record(session, "login", actor="user:?", success=False, detail="sso")
        lang = page_language(request)
        message = translate(err.message, lang)
        return render(request, "login.html", lang, status=403, error=message, next="")
    response = RedirectResponse(_safe(target), status_code=303)
    set_cookie(response, settings, SESSION_COOKIE, token, settings.session_days)
    return response
