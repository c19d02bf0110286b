"""The record as structured data for a client-information system: JSON with a published schema
(docs/record.schema.json), sections as the frames name them. Made from values; no I/O.

Each section is a phase of the frame, by its key and kind (the hypothesis frame's `core`,
`hypotheses`, `reflection`, `solutions`, `plan`; the help map's `goal`, `challenges`,
`supports`, …). An entry says whose voice it is, whether it is the person's own words, what it
answers (a solution), who takes it and by when with the family's word (a plan step), and its
corrections after the close. Only the shared record: an entry deleted, or waiting for the
approval of the person it was asked of first, is not in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.meetings.domain import Entry, MeetingState
from app.records.model import LOCAL_TIME, clean

VERSION = 1
SCHEMA_ID = "https://avoin.fi/schemas/record-1.json"


def structured_record(state: MeetingState, held: dt.datetime) -> dict[str, Any]:
    """The shared record of this meeting as the schema's object."""
    frame = state.localized_frame(state.language)
    shared = [e for e in state.entries.values() if e.shared and e.board is None]
    known = {p["key"] for p in frame["phases"]}
    sections = [
        _section(state, p["key"], p["kind"], clean(p["title"]), shared) for p in frame["phases"]
    ]
    stray = [e for e in shared if e.phase not in known]
    if stray:
        sections.append(_section(state, "other", "note", "", stray, any_phase=True))
    return {
        "$schema": SCHEMA_ID,
        "version": VERSION,
        "meeting": {
            "id": state.id,
            "title": clean(state.title),
            "frame": {"key": state.frame["key"], "title": clean(frame["title"])},
            "language": state.language,
            "held": _day(held),
            "status": state.status,
        },
        "participants": [
            {
                "id": p.id,
                "name": clean(p.name),
                "role_label": clean(p.role_label),
                "role": p.kind,
                "family": p.family,
                "interpreter": p.interpreter,
            }
            for p in state.participants.values()
            if p.admitted and not p.removed and p.kind != "screen"
        ],
        "sections": sections,
    }


def _section(
    state: MeetingState,
    key: str,
    kind: str,
    title: str,
    entries: list[Entry],
    any_phase: bool = False,
) -> dict[str, Any]:
    mine = [e for e in entries if any_phase or e.phase == key]
    return {
        "key": key,
        "kind": kind,
        "title": title,
        "entries": [_entry(state, e) for e in mine],
    }


def _entry(state: MeetingState, entry: Entry) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": entry.id,
        "kind": entry.kind,
        "text": clean(entry.text),
        "voice": _voice(state, entry.speaker),
        "own_words": entry.own_words,
        "interpreted_from": clean(entry.interpreted_from) or None,
        "corrections": [
            {
                "text": clean(c.get("text")),
                "previous": clean(c.get("previous")),
                "reason": clean(c.get("reason")),
                "at": c.get("at"),
                "by": _voice(state, c.get("by")),
            }
            for c in entry.corrections
        ],
    }
    if entry.kind == "solution":
        body["answers"] = entry.answers
    if entry.kind == "plan":
        body["owner"] = _voice(state, entry.owner)
        body["due"] = entry.due
        body["agreements"] = [
            {
                "participant": _voice(state, pid),
                "agreement": word["agreement"],
                "comment": clean(word.get("comment")) or None,
            }
            for pid, word in entry.agreements.items()
        ]
    return body


def _voice(state: MeetingState, label: str | None) -> dict[str, Any] | None:
    """A participant by id and name, or a free label as it was written."""
    if not label:
        return None
    person = state.participants.get(label)
    if person is None:
        return {"participant": None, "name": clean(label)}
    return {"participant": person.id, "name": clean(person.name)}


def _day(held: dt.datetime) -> str:
    aware = held if held.tzinfo else held.replace(tzinfo=dt.UTC)
    return aware.astimezone(LOCAL_TIME).date().isoformat()
