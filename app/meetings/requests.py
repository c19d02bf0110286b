"""Correction requests: anyone let in says an entry is not right and how it should read; the
scribe or the chair takes the wording in (as it is or edited) or answers in words, and the trail
stays on the entry for everyone, in every export. Rules only; no I/O.

A request is the requester's own op: it is resent until acknowledged, like every op, so a phone
that drops loses none. After the close the record is locked: a request still open is resolved by
a professional with an account, and an accepted one becomes a correction of the locked record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.errors import AppError
from app.meetings import schemas as s
from app.meetings.guards import (
    Context,
    Event,
    clean_text,
    iso,
    live_entry,
    open_,
    seen_entry,
    voice,
    writer,
)
from app.meetings.process import corrected
from app.meetings.rules import rule

if TYPE_CHECKING:
    from app.meetings.domain import Entry, MeetingState, Participant

MAX_REQUESTS = 20  # on one entry: a conversation, not a flood


@rule("entry.request")
def _entry_request(state: MeetingState, op: s.EntryRequest, actor_id: str, ctx: Context) -> Event:
    actor = voice(state, actor_id)
    open_(state)
    entry = seen_entry(state, actor, op.entry)
    wording = (op.wording or "").strip() or None
    note = (op.note or "").strip() or None
    if wording is None and note is None:
        raise AppError("invalid", "Say how it should read, or what is not right.")
    if wording is not None and clean_text(wording) == entry.text:
        if note is None:
            raise AppError("invalid", "Your wording is the same as the entry's.")
        wording = None  # only the note says something
    wording = clean_text(wording) if wording is not None else None
    if any(r["by"] == actor.id and r["status"] == "open" for r in entry.requests):
        raise AppError("invalid", "Your request on this entry is still waiting for an answer.")
    if len(entry.requests) >= MAX_REQUESTS:
        raise AppError("invalid", "This entry has had too many requests; talk it over instead.")
    request = {
        "id": op.id,
        "by": actor.id,
        "at": iso(ctx.now),
        "wording": wording,
        "note": note,
        "status": "open",
        "answer": None,
        "answered_by": None,
    }
    public = entry.public() | {"requests": [*entry.requests, request]}
    return Event("entry.requested", {"entry": public, "request": op.id})


@rule("request.resolve")
def _request_resolve(
    state: MeetingState, op: s.RequestResolve, actor_id: str, ctx: Context
) -> Event:
    actor = _resolver(state, actor_id)
    entry = live_entry(state, op.entry)
    index = next((k for k, r in enumerate(entry.requests) if r["id"] == op.request), None)
    if index is None:
        raise AppError("not_found", "No such request.")
    request = dict(entry.requests[index])
    if request["status"] != "open":
        raise AppError("conflict", "This request has been answered already.")
    text = (op.text or "").strip() or None
    request["answered_by"] = actor.id
    public = entry.public()
    if op.outcome == "answer":
        if text is None:
            raise AppError("invalid", "Write your answer.")
        request |= {"status": "answered", "answer": text}
    else:
        wording = clean_text(text or request["wording"] or "")
        request["status"] = "accepted" if wording == request["wording"] else "edited"
        request["answer"] = None if request["status"] == "accepted" else wording
        public |= _taken_in(state, entry, wording, actor, ctx, request)
    requests = [*entry.requests]
    requests[index] = request
    return Event(
        "request.resolved", {"entry": public | {"requests": requests}, "request": op.request}
    )


def _resolver(state: MeetingState, actor_id: str) -> Participant:
    """The scribe or the chair while the meeting is open; after the close, whoever may correct
    the locked record."""
    if state.status == "closed":
        return state.record_keeper(actor_id)
    open_(state)
    return writer(state, actor_id)


def _taken_in(
    state: MeetingState,
    entry: Entry,
    wording: str,
    actor: Participant,
    ctx: Context,
    request: dict[str, Any],
) -> dict[str, Any]:
    """The entry's new text: an edit while the meeting is open, a correction (with the request
    as its reason) once the record is locked."""
    if wording == entry.text:
        return {}
    if state.status != "closed":
        return {"text": wording, "version": entry.version + 1}
    asker = state.participants.get(request["by"])
    # Who asked, and why or how: the locked record says where the correction came from.
    reason = f"{asker.name if asker else '?'}: {request['note'] or request['wording']}"
    return corrected(entry, wording, reason, actor.id, ctx)
