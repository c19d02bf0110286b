"""The record as plain, immutable data: what every export format shows, decided once.

Each format (Markdown, plain text, PDF, DOCX) only lays this out. Building it is the one place
that knows how a participant id becomes a voice, how entries are numbered, what a correction
says and how dates read, so the four files cannot disagree with each other.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from app.i18n import translate
from app.meetings.domain import Entry, MeetingState

# Dates are read by Finnish services: a correction made at 23:30 UTC is already the next day here.
LOCAL_TIME = ZoneInfo("Europe/Helsinki")
# C0 controls other than tab and newline are not text; python-docx refuses them outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
QUOTE = "”"  # Finnish and Swedish quote both ends with the same closing mark.

Escape = Callable[[str], str]


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Correction:
    """A change made to an entry after the meeting was closed."""

    date: str
    text: str
    previous: str
    reason: str
    by: str


@dataclass(frozen=True)
class Item:
    """One entry of a phase that is not the plan."""

    number: int
    text: str
    voice: str
    answers: int | None
    corrections: tuple[Correction, ...]
    requests: tuple[str, ...] = ()  # the correction requests and what became of them


@dataclass(frozen=True)
class Step:
    """One step of the plan: what, who, by when, and the family's word on it."""

    what: str
    voice: str
    who: str
    due: str
    family: tuple[str, ...]
    corrections: tuple[Correction, ...]
    requests: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """One phase of the frame with what was recorded in it."""

    title: str
    plan: bool
    items: tuple[Item, ...] = ()
    steps: tuple[Step, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.items and not self.steps


@dataclass(frozen=True)
class Labels:
    """The document's own words in the record's language (literal msgids, so Babel finds them)."""

    heading: str
    frame: str
    date: str
    participants: str
    nothing: str
    what: str
    who: str
    by_when: str
    family: str
    corrected: str
    previously: str
    reason: str

    @classmethod
    def of(cls, lang: str) -> Labels:
        return cls(
            heading=translate("Record of a network meeting", lang),
            frame=translate("Conversation frame", lang),
            date=translate("Date", lang),
            participants=translate("Participants", lang),
            nothing=translate("Nothing recorded.", lang),
            what=translate("What", lang),
            who=translate("Who", lang),
            by_when=translate("By when", lang),
            family=translate("The family", lang),
            corrected=translate("Corrected", lang),
            previously=translate("previously", lang),
            reason=translate("reason", lang),
        )

    @property
    def plan(self) -> tuple[str, str, str, str]:
        """The plan table's column headings."""
        return (self.what, self.who, self.by_when, self.family)


@dataclass(frozen=True)
class Record:
    """A meeting's record, in the meeting's language, ready to lay out."""

    lang: str
    labels: Labels
    title: str
    frame: str
    date: str
    participants: tuple[str, ...]
    sections: tuple[Section, ...]


def clean(text: str | None) -> str:
    """Text as a document may carry it: no control characters, Windows line ends made plain."""
    if not text:
        return ""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def local_date(value: dt.datetime | dt.date | str | None, lang: str) -> str:
    """A date as the language writes it: 26.11.2026 in Finnish and Swedish, ISO in English.

    Aware and naive-UTC times (SQLite returns naive ones) are first moved to Finnish time.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        written = value
        try:
            value = (
                dt.datetime.fromisoformat(written.replace("Z", "+00:00"))
                if "T" in written
                else dt.date.fromisoformat(written)
            )
        except ValueError:
            return clean(written)  # not a date after all: show what was written
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        value = aware.astimezone(LOCAL_TIME).date()
    if lang == "en":
        return value.isoformat()
    return f"{value.day}.{value.month}.{value.year}"


def voice(state: MeetingState, label: str | None) -> str:
    """Whose voice: a participant id as "Name (role label)", a free label as it was written."""
    if not label:
        return ""
    person = state.participants.get(label)
    if person is None:
        return clean(label)
    name, role = clean(person.name), clean(person.role_label)
    return f"{name} ({role})" if role else name


def _quoted(text: str, own_words: bool) -> str:
    return f"{QUOTE}{text}{QUOTE}" if own_words and text else text


def _said(entry: Entry, lang: str) -> str:
    """The entry's words as the record gives them: quoted if they are the person's own, and
    with the language they were interpreted from."""
    text = _quoted(clean(entry.text), entry.own_words)
    if entry.interpreted_from:
        text += " " + translate("(interpreted from %(language)s)", lang) % {
            "language": clean(entry.interpreted_from)
        }
    return text


def _corrections(state: MeetingState, entry: Entry, lang: str) -> tuple[Correction, ...]:
    # `corrections` arrives with the change that allows corrections after closing; until then
    # an entry simply has none.
    found: Iterable[dict[str, Any]] = getattr(entry, "corrections", None) or []
    return tuple(
        Correction(
            date=local_date(c.get("at"), lang),
            text=_quoted(clean(c.get("text")), entry.own_words),
            previous=_quoted(clean(c.get("previous")), entry.own_words),
            reason=clean(c.get("reason")),
            by=voice(state, c.get("by")),
        )
        for c in found
    )


def _requests(state: MeetingState, entry: Entry, lang: str) -> tuple[str, ...]:
    """Each correction request on the entry as one line of the record, in its language."""
    lines = []
    for r in entry.requests:
        asked = " — ".join(
            part
            for part in (
                f"{QUOTE}{clean(r['wording'])}{QUOTE}" if r["wording"] else "",
                clean(r["note"]),
            )
            if part
        )
        answer = f"{QUOTE}{clean(r['answer'])}{QUOTE}"
        outcome = {
            "open": translate("waiting for an answer", lang),
            "accepted": translate("taken into the record", lang),
            "edited": f"{translate('taken into the record as', lang)} {answer}",
            "answered": f"{translate('answered', lang)}: {answer}",
        }[r["status"]]
        who = translate("%(name)s asked for a change", lang) % {"name": voice(state, r["by"])}
        lines.append(f"{who}: {asked} — {outcome}")
    return tuple(lines)


def _participant_line(state: MeetingState, pid: str, lang: str) -> str:
    person = state.participants[pid]
    # The record says who chaired and who wrote it, and which voices were the family's.
    tags = []
    if person.kind == "chair":
        tags.append(translate("chair", lang))
    elif person.kind == "scribe":
        tags.append(translate("scribe", lang))
    if person.family:
        tags.append(translate("family", lang))
    line = voice(state, pid)
    return f"{line} — {', '.join(tags)}" if tags else line


def agreement(state: MeetingState, pid: str, word: dict[str, Any], lang: str) -> str:
    """One family member's word on a plan step: "Agreed: Aino (äiti) (comment)"."""
    if word.get("agreement") == "agree":
        said = translate("Agreed", lang)
    else:
        said = translate("Not agreed", lang)
    comment = clean(word.get("comment"))
    return f"{said}: {voice(state, pid)}" + (f" ({comment})" if comment else "")


def build_record(state: MeetingState, held: dt.datetime) -> Record:
    """The record of this state, held on this date, in the meeting's language.

    Runs on the event loop: the state may be the service's cached object that later ops change
    in place, so everything is copied into immutable strings here and laid out elsewhere.
    """
    lang = state.language
    frame = state.localized_frame(lang)
    phases = _phases(state, frame, lang)
    # Numbered in the order they are read, so "(→ 2)" points back up the page.
    numbers: dict[str, int] = {}
    for _title, kind, entries in phases:
        if kind != "plan":
            for e in entries:
                numbers[e.id] = len(numbers) + 1
    sections = tuple(
        _section(state, title, kind, entries, numbers, lang) for title, kind, entries in phases
    )
    people = tuple(
        _participant_line(state, p.id, lang)
        for p in state.participants.values()
        if p.admitted and not p.removed and p.kind != "screen"
    )
    return Record(
        lang=lang,
        labels=Labels.of(lang),
        title=clean(state.title),
        frame=clean(frame["title"]),
        date=local_date(held, lang),
        participants=people,
        sections=sections,
    )


def _phases(
    state: MeetingState, frame: dict[str, Any], lang: str
) -> list[tuple[str, str, list[Entry]]]:
    """Each heading of the record, its kind and its entries, in the order they are read."""
    live = [e for e in state.entries.values() if e.shared]
    known = {p["key"] for p in frame["phases"]}
    phases: list[tuple[str, str, list[Entry]]] = []
    for p in frame["phases"]:
        plenary = [e for e in live if e.phase == p["key"] and not e.board]
        phases.append((p["title"], p["kind"], plenary))
        # A workshop's small groups: each board follows its step, under the group's own heading.
        themes = {g["key"]: g["title"] for g in p.get("groups") or []}
        for group in state.workshop.groups_of(p["key"]):
            written = [e for e in live if e.board == group.id]
            if written:
                heading = f"{p['title']} — {themes.get(group.theme, group.theme)} ({group.number})"
                phases.append((heading, "note", written))
    boards = {g.id for g in state.workshop.groups.values()}
    # Entries of a phase the frame no longer has, or of a board whose group was re-formed away.
    stray = [e for e in live if e.phase not in known or (e.board and e.board not in boards)]
    if stray:  # a phase a frame no longer has: its entries are still part of the record
        phases.append((translate("Other entries", lang), "note", stray))
    return phases


def _section(
    state: MeetingState,
    title: str,
    kind: str,
    entries: list[Entry],
    numbers: dict[str, int],
    lang: str,
) -> Section:
    if kind == "plan":
        steps = tuple(
            Step(
                what=_said(e, lang),
                voice=voice(state, e.speaker),
                who=voice(state, e.owner),
                due=local_date(e.due, lang),
                family=tuple(
                    agreement(state, pid, word, lang) for pid, word in e.agreements.items()
                ),
                corrections=_corrections(state, e, lang),
                requests=_requests(state, e, lang),
            )
            for e in entries
        )
        return Section(clean(title), True, steps=steps)
    items = tuple(
        Item(
            number=numbers[e.id],
            text=_said(e, lang),
            voice=voice(state, e.speaker),
            answers=numbers.get(e.answers) if e.answers else None,
            corrections=_corrections(state, e, lang),
            requests=_requests(state, e, lang),
        )
        for e in entries
    )
    return Section(clean(title), False, items=items)


# -- the sentences every format shares ---------------------------------------------------------


def item_line(item: Item, esc: Escape = _same) -> str:
    """ "(3) ”text” — Eetu (nuori, 14 v.) (→ 2)"; `esc` guards the recorded words only."""
    line = f"({item.number}) {esc(item.text)}"
    if item.voice:
        line += f" — {esc(item.voice)}"
    if item.answers is not None:
        line += f" (→ {item.answers})"
    return line


def correction_line(c: Correction, labels: Labels, esc: Escape = _same) -> str:
    """ "Korjattu 26.11.2026: new (aiemmin: old) — syy: reason — Heidi (kirjaaja)"."""
    line = f"{labels.corrected} {c.date}: {esc(c.text)} ({labels.previously}: {esc(c.previous)})"
    if c.reason:
        line += f" — {labels.reason}: {esc(c.reason)}"
    if c.by:
        line += f" — {esc(c.by)}"
    return line


def trail(entry: Item | Step, labels: Labels, esc: Escape = _same) -> list[str]:
    """What happened to an entry after it was written, as lines under it: its corrections, then
    its correction requests."""
    return [correction_line(c, labels, esc) for c in entry.corrections] + [
        esc(r) for r in entry.requests
    ]


def step_what(step: Step, esc: Escape = _same) -> str:
    """The "what" of a plan step, with whose proposal it was when the scribe noted that."""
    return f"{esc(step.what)} — {esc(step.voice)}" if step.voice else esc(step.what)
