"""Whose voice an entry is: a typed name matched forgivingly to someone in the meeting. No I/O.

The one place of this rule: the scribe's page sends what was typed, and the server decides. A
voice that is a person is stored as their id, so that the voices-heard overview, the family's
share and the records count it; anything else stays the free text it was (someone not present,
or a name that fits more than one person).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable

from app.meetings.domain import MeetingState, Participant

MIN_PREFIX = 2


def _plain(text: str) -> str:
    """Case and spacing do not matter."""
    return " ".join(text.casefold().split())


def _fold(text: str) -> str:
    """Nor do diacritics (a name typed without its accents): for whole names and words only."""
    decomposed = unicodedata.normalize("NFKD", _plain(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _display(person: Participant) -> str:
    return f"{person.name} ({person.role_label})" if person.role_label else person.name


def _whole(typed: str, person: Participant) -> bool:
    wanted = _fold(typed)
    return wanted in (_fold(person.name), _fold(_display(person)))


def _word(typed: str, person: Participant) -> bool:
    """A first name (or any one name) of several, or the person's role in the meeting."""
    wanted = _fold(typed)
    return wanted in _fold(person.name).split() or (
        bool(person.role_label) and wanted == _fold(person.role_label)
    )


def _prefix(typed: str, person: Participant) -> bool:
    """The start of the name or of one of its words, as typed (ä is not a, so "Isä" is not
    "Isabella")."""
    wanted = _plain(typed)
    if len(wanted) < MIN_PREFIX:
        return False
    name = _plain(person.name)
    return name.startswith(wanted) or any(w.startswith(wanted) for w in name.split())


# From the strictest to the most forgiving; the first rule anyone fits decides.
_RULES: tuple[Callable[[str, Participant], bool], ...] = (_whole, _word, _prefix)


def _people(state: MeetingState) -> Iterable[Participant]:
    return (
        p
        for p in state.participants.values()
        if p.admitted and not p.removed and p.kind != "screen"
    )


def resolve_voice(state: MeetingState, typed: str | None) -> str | None:
    """The id of the one participant `typed` names, else `typed` itself (None when empty)."""
    if typed is None or not typed.strip():
        return None
    typed = " ".join(typed.split())
    if typed in state.participants:
        return typed  # already an id (a removed person's too: an old entry keeps its voice)
    people = list(_people(state))
    for rule in _RULES:
        found = [p.id for p in people if rule(typed, p)]
        if len(found) == 1:
            return found[0]
        if found:
            return typed  # more than one person fits: the scribe's words stay as typed
    return typed
