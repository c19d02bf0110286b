"""The web toolkit every package's pages share: the visitor's language and a rendered page in it,
with the browser modules' strings sent along."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.auth import LANG_COOKIE, set_cookie
from app.config import LANGUAGES
from app.i18n import accepted_languages, gettext_for, pick_language, translate

JS_DIR = Path(__file__).resolve().parent / "static" / "js"


def _js_strings() -> list[str]:
    """Every t("…") of the browser modules: sent with each page in the page's language."""
    found: set[str] = set()
    for path in JS_DIR.glob("*.js"):
        found.update(re.findall(r'\bt\("((?:[^"\\]|\\.)*)"', path.read_text(encoding="utf-8")))
    return sorted(found)


JS_STRINGS = _js_strings()


def page_language(request: Request, *fallbacks: str | None) -> str:
    """The visitor's language: their own choice (the link's `?lang=`, then the cookie it sets),
    else their device's (Accept-Language), and only then the meeting's and the server's."""
    return pick_language(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        *accepted_languages(request.headers.get("accept-language", "")),
        *fallbacks,
        request.app.state.settings.language,
    )


def render(
    request: Request, template: str, lang: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A page in the visitor's language; every page is private to its visitor (no-store)."""
    templates: Jinja2Templates = request.app.state.templates
    gettext = gettext_for(lang)
    context.setdefault("boot", {})
    context["boot"] = {**context["boot"], "lang": lang, "strings": _strings(lang)}
    response = templates.TemplateResponse(
        request,
        template,
        {"_": gettext, "lang": lang, "path": request.url.path, **context},
        status_code=status,
    )
    if request.query_params.get("lang") in LANGUAGES:
        set_cookie(response, request.app.state.settings, LANG_COOKIE, lang, 365)
    return response


def _strings(lang: str) -> dict[str, str]:
    return {s: translate(s, lang) for s in JS_STRINGS}
