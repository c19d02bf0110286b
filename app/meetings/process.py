"""The meeting as one step of a process: what the family brings, the review of the last plan,
the next meeting, the record locked at close (corrections shown as such), the family's summary
link, and how long the record is kept. State, rules and projection; no I/O."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from app.errors import AppError
from app.meetings import schemas as s
from app.meetings.guards import (
    Context,
    Event,
    chair,
    clean_text,
    iso,
    live_entry,
    open_,
    voice,
    writer,
)
from app.meetings.rules import rule

if TYPE_CHECKING:
    from app.meetings.domain import Entry, MeetingState


@rule("entry.correct")
def _entry_correct(state: MeetingState, op: s.EntryCorrect, actor_id: str, ctx: Context) -> Event:
    # Corrected only by a professional with an account, whoever chairs or writes.
    actor = state.record_keeper(actor_id)
    if state.status != "closed":
        raise AppError("invalid", "Until the meeting is closed, edit the entry instead.")
    entry = live_entry(state, op.entry)
    reason = op.reason.strip()
    if not reason:
        raise AppError("invalid", "A correction needs a reason.")
    public = entry.public() | corrected(entry, clean_text(op.text), reason, actor.id, ctx)
    return Event("entry.corrected", {"entry": public})


def corrected(entry: Entry, text: str, reason: str, by: str, ctx: Context) -> dict[str, Any]:
    """The fields of a locked entry after a correction: its new text and version, and the
    correction (with the previous text and why) at the end of its list."""
    correction = {
        "text": text,
        "previous": entry.text,
        "reason": reason,
        "at": iso(ctx.now),
        "by": by,
    }
    return {
        "text": text,
        "version": entry.version + 1,
        "corrections": [*entry.corrections, correction],
    }


@rule("meeting.schedule")
def _meeting_schedule(
    state: MeetingState, op: s.MeetingSchedule, actor_id: str, ctx: Context
) -> Event:
    chair(state, actor_id)
    when = op.when.replace(second=0, microsecond=0).isoformat()
    place = (op.place or "").strip() or None
    return Event("next.scheduled", {"next": {"when": when, "place": place}})


@rule("summary.share")
def _summary_share(state: MeetingState, op: s.SummaryShare, actor_id: str, ctx: Context) -> Event:
    chair(state, actor_id)
    if state.status != "closed":
        raise AppError("invalid", "The summary is shared when the meeting is closed.")
    # The link's id: its token is made from it with the server's key, never stored.
    expires = iso(ctx.now + dt.timedelta(days=op.days))
    return Event("summary.shared", {"link": ctx.new_token(), "expires_at": expires})


@rule("summary.revoke")
def _summary_revoke(state: MeetingState, op: s.SummaryRevoke, actor_id: str, ctx: Context) -> Event:
    process = state.process
    chair(state, actor_id)
    if process.summary is None:
        raise AppError("invalid", "No summary link is shared.")
    return Event("summary.revoked", {})


@rule("review.mark")
def _review_mark(state: MeetingState, op: s.ReviewMark, actor_id: str, ctx: Context) -> Event:
    process = state.process
    writer(state, actor_id)
    open_(state)
    if process.review is None or op.step not in {st["id"] for st in process.review.steps}:
        raise AppError("not_found", "No such plan step to review.")
    return Event("review.marked", {"step": op.step, "status": op.status})


@rule("wellbeing.rate")
def _wellbeing_rate(state: MeetingState, op: s.WellbeingRate, actor_id: str, ctx: Context) -> Event:
    process = state.process
    actor = voice(state, actor_id)
    open_(state)
    if not actor.family:
        raise AppError("forbidden", "The family answers how things are now.")
    if process.review is None:
        raise AppError("invalid", "This meeting has no review of an earlier meeting.")
    scores = {**process.review.scores, actor.id: op.score}
    average = round(sum(scores.values()) / len(scores), 1)
    # The room sees how many answered and the average, not each person's number.
    data = {"count": len(scores), "average": average}
    return Event("wellbeing.rated", data, private={"participant": actor.id, "score": op.score})


REVIEW_PHASE: dict[str, Any] = {
    "key": "review",
    "kind": "note",
    "review": True,
    "minutes": 15,
    "answers_from": None,
    "title": {
        "fi": "Miten askeleet ovat menneet?",
        "sv": "Hur har stegen gått?",
        "en": "How have the steps gone?",
    },
    "question": {
        "fi": "Katsotaan yhdessä edellisen tapaamisen pieniä askeleita: mikä onnistui, mikä on "
        "kesken, mikä ei vielä? Ja miten asiat ovat nyt, asteikolla 0–10?",
        "sv": "Vi ser tillsammans på de små stegen från förra mötet: vad lyckades, vad pågår, "
        "vad inte ännu? Och hur är det nu, på en skala 0–10?",
        "en": "Let us look together at the small steps from the last meeting: what worked, what "
        "is under way, what not yet? And how are things now, on a scale of 0–10?",
    },
    "prompts": {
        "fi": ["Mikä auttoi askeleen ottamisessa?", "Mitä tarvitaan, jotta kesken oleva etenee?"],
        "sv": ["Vad hjälpte att ta steget?", "Vad behövs för att det som pågår ska gå vidare?"],
        "en": ["What helped in taking the step?", "What is needed for what is under way to move?"],
    },
}


# A case's first meeting has no plan to review, but the family's 0–10 answer here is what the
# next meeting's review compares against: the same phase, without the steps.
BASELINE_PHASE: dict[str, Any] = {
    **REVIEW_PHASE,
    "minutes": 5,
    "title": {"fi": "Missä olemme nyt?", "sv": "Var står vi nu?", "en": "Where are we now?"},
    "question": {
        "fi": "Ennen kuin aloitamme: miten asiat ovat nyt, asteikolla 0–10? Seuraavalla "
        "kerralla katsotaan, mihin suuntaan ne ovat liikkuneet.",
        "sv": "Innan vi börjar: hur är det nu, på en skala 0–10? Nästa gång ser vi åt vilket "
        "håll det har rört sig.",
        "en": "Before we start: how are things now, on a scale of 0–10? Next time we look at "
        "which way they have moved.",
    },
    "prompts": {"fi": [], "sv": [], "en": []},
}


def baseline_review() -> dict[str, Any]:
    """The review of a case's first meeting: no steps yet, only the family's starting point."""
    return {
        "from_meeting": None,
        "steps": [],
        "previous_wellbeing": None,
        "marks": {},
        "baseline": True,
    }


def with_review_phase(frame: dict[str, Any], baseline: bool = False) -> dict[str, Any]:
    """The frame with the review of the last plan (or, in a case's first meeting, the family's
    starting point) right after the opening."""
    phases = [p for p in frame["phases"] if p["key"] != "review"]
    phase = BASELINE_PHASE if baseline else REVIEW_PHASE
    return {**frame, "phases": [*phases[:1], phase, *phases[1:]]}
