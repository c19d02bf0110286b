"""Whose voice: a typed name is matched to the one participant it fits, else kept as typed."""

from __future__ import annotations

import pytest

from app.meetings.domain import MeetingState, Participant
from app.meetings.voices import resolve_voice


@pytest.fixture
def state() -> MeetingState:
    """The school-absence case (/work/shared/examples/koulupoissaolot.toml), with full names."""
    state = MeetingState(id="m_1", title="Koulunkäynnin tuki", frame={"phases": []})
    people = [
        Participant("jari", "Jari Perheohjaaja", "puheenjohtaja", "chair", admitted=True),
        Participant("heidi", "Heidi", "kirjaaja", "scribe", admitted=True),
        Participant("aino", "Aino", "äiti", family=True, admitted=True),
        Participant("ainomaija", "Ainomaija", "kummi", family=True, admitted=True),
        Participant("eetu", "Eetu Mäkelä", "nuori, 14 v.", family=True, admitted=True),
        Participant("sanna", "Sanna", "terveydenhoitaja", admitted=True),
        Participant("saara", "Saara", "sosiaalityöntekijä", admitted=True),
        Participant("isabella", "Isabella", "tulkki", admitted=True),
        Participant("pirjo", "Pirjo", "mummo", family=True),  # still in the lobby
        Participant("mikko", "Mikko", "koulukuraattori", admitted=True, removed=True),
        Participant("screen", "Yhteinen näyttö", kind="screen", admitted=True),
    ]
    state.participants = {p.id: p for p in people}
    return state


@pytest.mark.parametrize(
    ("typed", "voice"),
    [
        ("Jari", "jari"),  # a first name
        ("Jari Perheohjaaja", "jari"),
        ("  jari   perheohjaaja ", "jari"),  # case and spacing
        ("Jari Perheohjaaja (puheenjohtaja)", "jari"),  # as the page lists people
        ("Perheohjaaja", "jari"),  # a last name
        ("Jar", "jari"),  # the start of a name
        ("Eetu Makela", "eetu"),  # typed without the accents
        ("Mäk", "eetu"),
        ("äiti", "aino"),  # her role in this meeting
        ("Aino", "aino"),  # a whole name wins over the start of a longer one
        ("Ainom", "ainomaija"),
        ("He", "heidi"),
        ("eetu", "eetu"),
        # Kept as typed: more than one fits, or nobody present does.
        ("Ai", "Ai"),
        ("Sa", "Sa"),
        ("Isä", "Isä"),  # ä is not a: the father is not Isabella
        ("Pirjo", "Pirjo"),  # not let in
        ("Mikko", "Mikko"),  # removed from the meeting
        ("Yhteinen näyttö", "Yhteinen näyttö"),  # the screen is nobody's voice
        ("Laura", "Laura"),  # not here
        ("J", "J"),  # one letter is too little to guess from
        ("mikko", "mikko"),  # an id is kept as it is
    ],
)
def test_a_typed_voice_is_the_one_person_it_fits(
    state: MeetingState, typed: str, voice: str
) -> None:
    assert resolve_voice(state, typed) == voice


def test_an_empty_voice_is_none(state: MeetingState) -> None:
    assert resolve_voice(state, None) is None
    assert resolve_voice(state, "   ") is None
