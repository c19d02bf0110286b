"""The glossary over HTTP: its terms in a reader's language, and where they are in texts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from app.glossary.matcher import Found, Glossary
from app.i18n import pick_language
from app.meetings.api import viewer_of
from app.meetings.guards import MAX_TEXT

router = APIRouter(prefix="/api")
# A phone asks for a whole record at once, in batches of this many entries.
MAX_TEXTS = 100


class TextsIn(BaseModel):
    """Texts of one meeting's record (its entries, or what the scribe is typing)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    texts: list[Annotated[str, Field(max_length=MAX_TEXT)]] = Field(max_length=MAX_TEXTS)


@router.get("/glossary")
def glossary_terms(request: Request, response: Response, lang: str = "") -> dict[str, Any]:
    """Every term with its plain alternative and explanation, in one language."""
    language = pick_language(lang or None, request.app.state.settings.language)
    glossary: Glossary = request.app.state.glossary
    response.headers["Cache-Control"] = "public, max-age=3600"
    return {"lang": language, "terms": glossary.view(language)}


@router.post("/meetings/{meeting_id}/glossary")
async def terms_in(meeting_id: str, body: TextsIn, request: Request) -> dict[str, Any]:
    """Where the glossary's terms are in each text, in the record's language: `start` and `end`
    count UTF-16 code units, as the browser's strings do."""
    viewer = await viewer_of(request, meeting_id, screen=True)
    request.app.state.limits.glossary.hit(f"viewer:{meeting_id}:{viewer.id}")
    texts = body.texts
    _seq, state = await request.app.state.service.state(meeting_id)
    matcher = request.app.state.glossary.matcher(state.language)
    found = await run_in_threadpool(lambda: [matcher.find(text) for text in texts])
    return {
        "found": [[_wire(text, f) for f in hits] for text, hits in zip(texts, found, strict=True)]
    }


def _wire(text: str, found: Found) -> dict[str, Any]:
    return {"start": _utf16(text, found.start), "end": _utf16(text, found.end), "key": found.key}


def _utf16(text: str, index: int) -> int:
    """A code point offset as the browser counts (a character beyond the BMP counts two)."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)
