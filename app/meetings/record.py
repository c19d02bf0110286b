"""The record for export: by phase, whose voice each entry is, the plan as a table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from app.i18n import translate
from app.meetings.domain import Entry, MeetingState


def _voice(state: MeetingState, label: str | None) -> str:
    if not label:
        return ""
    person = state.participants.get(label)
    if person is None:
        return label
    return f"{person.name} ({person.role_label})" if person.role_label else person.name


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def record_markdown(state: MeetingState, held: dt.datetime) -> str:
    """The record as Markdown, in the language of the meeting."""
    lang = state.language

    def t(message: str) -> str:
        return translate(message, lang)

    live = [e for e in state.entries.values() if not e.deleted]
    numbers = {e.id: i for i, e in enumerate(live, start=1)}
    lines = [
        f"# {state.title}",
        "",
        f"{t('Conversation frame')}: {state.localized_frame(lang)['title']}  ",
        f"{t('Date')}: {held.date().isoformat()}",
        "",
        f"## {t('Participants')}",
        "",
    ]
    for person in state.participants.values():
        if person.kind != "screen" and person.admitted:
            lines.append(f"- {_voice(state, person.id)}")
    frame = state.localized_frame(lang)
    for phase in frame["phases"]:
        entries = [e for e in live if e.phase == phase["key"]]
        lines += ["", f"## {phase['title']}", ""]
        if not entries:
            lines.append(f"_{t('Nothing recorded.')}_")
            continue
        if phase["kind"] == "plan":
            lines += [
                f"| {t('What')} | {t('Who')} | {t('By when')} | {t('The family')} |",
                "| --- | --- | --- | --- |",
            ]
            for e in entries:
                who = _voice(state, e.owner)
                word = "; ".join(_agreement(state, pid, a, t) for pid, a in e.agreements.items())
                lines.append(f"| {_cell(e.text)} | {_cell(who)} | {e.due or ''} | {_cell(word)} |")
            continue
        for e in entries:
            lines.append(_line(state, e, numbers))
    return "\n".join(lines) + "\n"


def _agreement(state: MeetingState, pid: str, word: dict, t: Callable[[str], str]) -> str:
    label = t("Agreed") if word.get("agreement") == "agree" else t("Not agreed")
    comment = f" ({word['comment']})" if word.get("comment") else ""
    return f"{label}: {_voice(state, pid)}{comment}"


def _line(state: MeetingState, e: Entry, numbers: dict[str, int]) -> str:
    voice = _voice(state, e.speaker)
    text = f"”{e.text}”" if e.own_words else e.text
    line = f"- ({numbers[e.id]}) {text}"
    if voice:
        line += f" — {voice}"
    if e.answers and e.answers in numbers:
        line += f" (→ {numbers[e.answers]})"
    return line
