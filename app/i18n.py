"""Translations with Babel: English msgids, catalogues for fi and sv (en is the msgid)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from gettext import GNUTranslations
from pathlib import Path

from babel.messages.pofile import read_po

from app.config import LANGUAGES

CATALOG_DIR = Path(__file__).parent / "translations"


@cache
def _catalog(lang: str) -> dict[str, str]:
    """The language's catalogue: the compiled .mo of the build, or the .po while developing."""
    folder = CATALOG_DIR / lang / "LC_MESSAGES"
    po, mo = folder / "messages.po", folder / "messages.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            compiled = GNUTranslations(handle)
        return {k: v for k, v in compiled._catalog.items() if isinstance(k, str) and k and v}  # type: ignore[attr-defined]
    if not po.exists():
        return {}
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    return {
        str(m.id): str(m.string)
        for m in catalog
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }


def pick_language(*candidates: str | None) -> str:
    """The first supported language among the candidates (cookie, query, meeting, setting)."""
    for candidate in candidates:
        if candidate:
            code = candidate.split("-")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
    return "fi"


def accepted_languages(header: str) -> list[str]:
    """The languages of an Accept-Language header, most wanted first ("sv-FI,en;q=0.8")."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, index, tag))
    return [tag for _q, _i, tag in sorted(ranked)]


def translate(message: str, lang: str) -> str:
    """The message in the language, or the English msgid when it has no translation yet."""
    return _catalog(lang).get(message, message)


def gettext_for(lang: str) -> Callable[..., str]:
    """A gettext function for templates."""

    def gettext(message: str, **variables: object) -> str:
        text = translate(message, lang)
        return text % variables if variables else text

    return gettext


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here."""
    return message
