"""The meeting rules without a server or a database: apply() decides, evolve() projects."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from typing import Any

import pytest

from app.errors import AppError
from app.frames.loader import load_frames
from app.meetings.domain import Entry, MeetingState, Participant, Timer
from app.meetings.evolve import evolve
from app.meetings.schemas import op_adapter
from app.meetings.state import Context, Event, apply, can_draft, join

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
T0, T10 = "2026-11-25T10:00:00Z", "2026-11-25T10:10:00Z"
T0_MS = "2026-11-25T10:00:00.000Z"  # a raised hand's time, to the millisecond
FRAMES = load_frames()
CHAIR, SCRIBE, AINO, EETU = "jari", "heidi", "aino", "eetu"
PIRJO, SCREEN, MIKKO = "pirjo", "screen", "mikko"  # waiting, the shared screen, removed
ROLES = {"chair": {CHAIR}, "writer": {CHAIR, SCRIBE}, "voice": {CHAIR, SCRIBE, AINO, EETU}}

# The ops table: who may send each op, the event it makes, and fields that fit the fixture.
OPS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "phase.goto": ("chair", "phase.changed", {"index": 2}),
    "participant.admit": ("chair", "participant.admitted", {"participant": PIRJO}),
    "participant.remove": ("chair", "participant.removed", {"participant": EETU}),
    "participant.role": ("chair", "participant.role_changed",
                         {"participant": AINO, "role": "scribe"}),
    "participant.family": ("chair", "participant.changed", {"participant": SCRIBE, "family": True}),
    "timer.start": ("chair", "timer.started", {"seconds": 600}),
    "timer.stop": ("chair", "timer.stopped", {}),
    "meeting.close": ("chair", "meeting.closed", {}),
    "entry.add": ("writer", "entry.added", {"phase": "core", "text": "Aamut ovat raskaita."}),
    "entry.edit": ("writer", "entry.edited", {"entry": "e_h1", "version": 1, "text": "Ryhmätyöt."}),
    "entry.delete": ("writer", "entry.deleted", {"entry": "e_h2"}),
    "hand.raise": ("voice", "hand.raised", {}),
    "hand.lower": ("voice", "hand.lowered", {}),
    "entry.react": ("voice", "entry.reacted", {"entry": "e_h1", "reaction": "unsure"}),
    "feedback.submit": ("voice", "feedback.received", {"heard": 5, "next": 4, "together": 5}),
}  # fmt: skip


def op(name: str, **fields: Any) -> dict[str, Any]:
    """The op `name` of the table, with some fields replaced or added."""
    return {"op": name, **OPS[name][2], **fields}


def make_state(frame: str = "hypothesis") -> MeetingState:
    """A meeting on the fictional school-absence case, in the frame's opening phase."""
    state = MeetingState(id="m_1", title="Koulunkäynnin tuki", frame=FRAMES[frame].localized("fi"))
    people = [
        # The chair logged in with the account that opened the meeting.
        Participant(
            CHAIR, "Jari", "perheohjaaja", "chair", admitted=True, account=True, owner=True
        ),
        Participant(SCRIBE, "Heidi", "kirjaaja", "scribe", admitted=True),
        Participant(AINO, "Aino", "äiti", family=True, admitted=True),
        Participant(EETU, "Eetu", "nuori, 14 v.", family=True, admitted=True, hand=True),
        Participant(PIRJO, "Pirjo", "mummo", family=True),
        Participant(SCREEN, "Yhteinen näyttö", kind="screen", admitted=True),
        Participant(MIKKO, "Mikko", "koulukuraattori", removed=True),
    ]
    state.participants = {p.id: p for p in people}
    first, problem = ("core", "hypotheses") if frame == "hypothesis" else ("goal", "challenges")
    kind = "hypothesis" if frame == "hypothesis" else "note"
    entries = [
        Entry("e_core", first, "Miten pääsisin aamuisin kouluun?", speaker=EETU, own_words=True),
        Entry("e_h1", problem, "Voisiko ryhmätyö jännittää?", kind, reactions={EETU: "agree"}),
        Entry("e_h2", problem, "Voisiko unirytmi olla myöhässä?", kind),
        Entry("e_gone", problem, "Poistettu ajatus.", kind, version=2, deleted=True),
        Entry("e_sol", "solutions", "Pysyvä pari matematiikkaan.", "solution", answers="e_h1"),
        Entry("e_plan", "plan", "Mummo käy aamuisin.", "plan", owner="Pirjo", due="2026-12-15"),
    ]
    state.entries = {e.id: e for e in entries}
    state.entries["e_h1"].author = SCRIBE
    return state


@pytest.fixture
def state() -> MeetingState:
    return make_state()


def ctx() -> Context:
    ids = itertools.count(1)
    return Context(now=NOW, new_id=lambda: f"e_new{next(ids)}")


def run(state: MeetingState, body: dict[str, Any], actor: str) -> Event:
    """Apply an op (checking that apply leaves the state alone), then evolve by its event."""
    before = copy.deepcopy(state)
    event = apply(state, op_adapter.validate_python({"id": "op_1", **body}), actor, ctx())
    assert state == before
    assert event.name == OPS[body["op"]][1]
    evolve(state, event.name, event.data, actor)
    return event


def refused(state: MeetingState, body: dict[str, Any], actor: str, code: str) -> AppError:
    """Apply an op that must fail with `code`, leaving the state alone."""
    before = copy.deepcopy(state)
    with pytest.raises(AppError) as info:
        apply(state, op_adapter.validate_python({"id": "op_1", **body}), actor, ctx())
    assert info.value.code == code, info.value.message
    assert state == before
    return info.value


def changed(state: MeetingState, changes: dict[str, Any]) -> MeetingState:
    """A copy of the state with `changes` made: {"attr" | "participant.attr" | "entry.attr": v}."""
    after = copy.deepcopy(state)
    for path, value in changes.items():
        *owner, attr = path.split(".")
        holders = {"process": after.process}
        target = (
            holders.get(owner[0]) or after.entries.get(owner[0]) or after.participants[owner[0]]
            if owner
            else after
        )
        setattr(target, attr, value)
    return after


def pub(participant: str, **changes: Any) -> dict[str, Any]:
    return make_state().participants[participant].public() | changes


def react(actor: str, entry: str, reaction: str | None) -> dict[str, Any]:
    return {"entry": entry, "participant": actor, "reaction": reaction}


TIMER = {"phase": 0, "seconds": 600, "started_at": T0, "ends_at": T10, "interpreting": 0}
HAPPY: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    (CHAIR, op("phase.goto"), {"index": 2, "key": "hypotheses"}, {"current_phase": 2}),
    (CHAIR, op("phase.goto", index=6), {"index": 6, "key": "closing"}, {"current_phase": 6}),
    (CHAIR, op("participant.admit"), {"participant": pub(PIRJO, admitted=True)},
     {"pirjo.admitted": True}),
    (CHAIR, op("participant.remove"), {"participant": EETU},
     {"eetu.removed": True, "eetu.admitted": False, "eetu.hand": False}),
    (CHAIR, op("participant.remove", participant=PIRJO), {"participant": PIRJO},
     {"pirjo.removed": True}),
    (CHAIR, op("participant.remove", participant=SCRIBE), {"participant": SCRIBE},
     {"heidi.removed": True, "heidi.admitted": False}),
    (CHAIR, op("participant.role"), {"participant": AINO, "kind": "scribe"},
     {"aino.kind": "scribe"}),
    (CHAIR, op("participant.role", participant=SCRIBE, role="participant"),
     {"participant": SCRIBE, "kind": "participant"}, {"heidi.kind": "participant"}),
    (CHAIR, op("participant.family"), {"participant": pub(SCRIBE, family=True)},
     {"heidi.family": True}),
    (CHAIR, op("participant.family", participant=PIRJO, family=False),
     {"participant": pub(PIRJO, family=False)}, {"pirjo.family": False}),
    (CHAIR, op("timer.start"), {"timer": TIMER}, {"timer": Timer(0, 600, T0, T10)}),
    (CHAIR, op("meeting.close"), {"closed_at": T0, "retain_until": "2026-12-25T10:00:00Z"},
     {"status": "closed", "eetu.hand": False, "process.retain_until": "2026-12-25T10:00:00Z"}),
    (CHAIR, op("hand.raise"), {"participant": CHAIR, "at": T0_MS},
     {"jari.hand": True, "jari.hand_at": T0_MS}),
    (SCRIBE, op("hand.raise"), {"participant": SCRIBE, "at": T0_MS},
     {"heidi.hand": True, "heidi.hand_at": T0_MS}),
    (AINO, op("hand.raise"), {"participant": AINO, "at": T0_MS},
     {"aino.hand": True, "aino.hand_at": T0_MS}),
    (EETU, op("hand.lower"), {"participant": EETU}, {"eetu.hand": False}),
    (EETU, op("hand.lower", participant=EETU), {"participant": EETU}, {"eetu.hand": False}),
    (CHAIR, op("hand.lower", participant=EETU), {"participant": EETU}, {"eetu.hand": False}),
    (AINO, op("entry.react"), react(AINO, "e_h1", "unsure"),
     {"e_h1.reactions": {EETU: "agree", AINO: "unsure"}}),
    (CHAIR, op("entry.react", entry="e_sol", reaction="agree"), react(CHAIR, "e_sol", "agree"),
     {"e_sol.reactions": {CHAIR: "agree"}}),
    (SCRIBE, op("entry.react", entry="e_plan"), react(SCRIBE, "e_plan", "unsure"),
     {"e_plan.reactions": {SCRIBE: "unsure"}}),
    (EETU, op("entry.react"), react(EETU, "e_h1", "unsure"), {"e_h1.reactions": {EETU: "unsure"}}),
    (EETU, op("entry.react", reaction=None), react(EETU, "e_h1", None), {"e_h1.reactions": {}}),
]  # fmt: skip


@pytest.mark.parametrize(("actor", "body", "data", "changes"), HAPPY)
def test_ops_make_their_event_and_evolve_the_state(
    state: MeetingState, actor: str, body: dict[str, Any], data: Any, changes: dict[str, Any]
) -> None:
    expected = changed(state, changes)
    assert run(state, body, actor).data == data
    assert state == expected


def test_timer_follows_the_phase_and_close_clears_it(state: MeetingState) -> None:
    run(state, op("timer.start"), CHAIR)
    assert run(state, op("timer.stop"), CHAIR).data == {}
    assert state.timer is None
    run(state, op("phase.goto", index=3), CHAIR)
    assert run(state, op("timer.start", seconds=90), CHAIR).data["timer"]["phase"] == 3
    run(state, op("meeting.close"), CHAIR)
    assert state.timer is None


ADDS: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"phase": "core", "text": " Haluan kouluun.\n", "speaker": EETU, "own_words": True},
     {"kind": "note", "text": "Haluan kouluun.", "speaker": EETU, "own_words": True}),
    ({"phase": "hypotheses", "text": "Voisiko äidin sairausloma huolettaa?", "speaker": " "},
     {"kind": "hypothesis", "speaker": None, "own_words": False}),
    ({"phase": "closing", "text": "Seuraava tapaaminen joulukuussa.", "speaker": "Laura"},
     {"kind": "note", "phase": "closing", "speaker": "Laura"}),
    ({"phase": "solutions", "text": "Iltarutiini ilman puhelinta.", "answers": "e_h2"},
     {"kind": "solution", "answers": "e_h2"}),
    ({"phase": "solutions", "text": "Kysytään Eetulta."}, {"kind": "solution", "answers": None}),
    ({"phase": "plan", "text": "Kuraattori tapaa Eetun.", "owner": "Mikko", "due": "2026-12-15"},
     {"kind": "plan", "owner": "Mikko", "due": "2026-12-15"}),
    ({"phase": "plan", "text": "x" * 4000}, {"kind": "plan", "owner": None, "due": None}),
]  # fmt: skip


@pytest.mark.parametrize("actor", [CHAIR, SCRIBE])
@pytest.mark.parametrize(("fields", "expected"), ADDS)
def test_entry_add(
    state: MeetingState, actor: str, fields: dict[str, Any], expected: dict[str, Any]
) -> None:
    entry = run(state, op("entry.add", **fields), actor).data["entry"]
    assert entry | expected == entry
    assert [entry[k] for k in ("id", "version", "deleted", "reactions")] == ["e_new1", 1, False, {}]
    assert ("owner" in entry) == (entry["kind"] == "plan")
    assert ("answers" in entry) == (entry["kind"] == "solution")
    assert state.entries["e_new1"].public() == entry and state.entries["e_new1"].author == actor


@pytest.mark.parametrize("actor", [CHAIR, SCRIBE])
def test_entry_edit_and_delete(state: MeetingState, actor: str) -> None:
    entry = run(state, op("entry.edit", speaker="Laura", own_words=True), actor).data["entry"]
    h1 = state.entries["e_h1"]
    assert entry == h1.public() and (h1.text, h1.version, h1.author) == ("Ryhmätyöt.", 2, SCRIBE)
    assert (h1.speaker, h1.own_words, h1.reactions) == ("Laura", True, {EETU: "agree"})
    run(state, op("entry.edit", version=2, text=None, speaker=None), actor)
    h1 = state.entries["e_h1"]
    assert (h1.text, h1.speaker, h1.own_words, h1.version) == ("Ryhmätyöt.", None, True, 3)
    assert run(state, op("entry.delete"), actor).data == {"entry": "e_h2", "version": 2}
    assert state.entries["e_h2"].deleted and state.entries["e_h2"].version == 2
    refused(state, op("entry.edit", entry="e_h2", version=2), actor, "not_found")
    refused(state, op("entry.delete"), actor, "not_found")
    refused(state, op("entry.react", entry="e_h2"), AINO, "not_found")
    refused(state, op("entry.add", phase="solutions", answers="e_h2"), actor, "not_found")


def test_stale_version_is_a_conflict_with_the_current_entry(state: MeetingState) -> None:
    run(state, op("entry.edit"), SCRIBE)
    err = refused(state, op("entry.edit", text="Vanha versio."), CHAIR, "conflict")
    assert err.details["entry"] == state.entries["e_h1"].public()
    assert err.details["entry"]["version"] == 2 and err.details["entry"]["text"] == "Ryhmätyöt."
    refused(state, op("entry.edit", version=3), CHAIR, "conflict")


MOVES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("e_h1", {"phase": "reflection"}, {"kind": "note", "owner": None, "answers": None}),
    ("e_sol", {"phase": "plan"}, {"kind": "plan", "owner": None, "due": None, "answers": None}),
    ("e_sol", {"phase": "hypotheses"}, {"kind": "hypothesis", "answers": None}),
    ("e_sol", {"answers": None}, {"kind": "solution", "answers": None}),
    ("e_sol", {"answers": "e_h2"}, {"kind": "solution", "answers": "e_h2"}),
    ("e_plan", {"phase": "closing"}, {"kind": "note", "owner": None, "due": None}),
    ("e_plan", {"text": "Mummo käy."}, {"kind": "plan", "owner": "Pirjo", "due": "2026-12-15"}),
    # "Aino" is someone in the meeting: the owner is she (her id); "Laura" is not, so stays text.
    ("e_plan", {"owner": "Aino", "due": None}, {"kind": "plan", "owner": AINO, "due": None}),
    ("e_core", {"phase": "plan", "owner": "Laura", "due": "2026-12-01"},
     {"kind": "plan", "owner": "Laura", "due": "2026-12-01", "speaker": EETU, "own_words": True}),
    ("e_h2", {"phase": "solutions", "answers": "e_h1"}, {"kind": "solution", "answers": "e_h1"}),
]  # fmt: skip


@pytest.mark.parametrize(("entry_id", "fields", "expected"), MOVES)
def test_entry_edit_moves_between_phases(
    state: MeetingState, entry_id: str, fields: dict[str, Any], expected: dict[str, Any]
) -> None:
    phase = fields.get("phase", state.entries[entry_id].phase)
    run(state, {"op": "entry.edit", "entry": entry_id, "version": 1, **fields}, SCRIBE)
    entry = state.entries[entry_id]
    assert {k: getattr(entry, k) for k in expected} == expected
    assert (entry.phase, entry.version) == (phase, 2)


def cases(actor: str, name: str, code: str, *variants: dict[str, Any]) -> list[Any]:
    return [(actor, op(name, **fields), code) for fields in variants]


ERRORS: list[tuple[str, dict[str, Any], str]] = [
    *cases(CHAIR, "phase.goto", "invalid", dict(index=7), dict(index=0)),
    *cases(CHAIR, "participant.admit", "invalid", dict(participant=AINO), dict(participant=SCREEN)),
    *cases(CHAIR, "participant.admit", "not_found", dict(participant=MIKKO), dict(participant="x")),
    *cases(CHAIR, "participant.remove", "invalid", dict(participant=CHAIR),
           dict(participant=SCREEN)),
    *cases(CHAIR, "participant.remove", "not_found", dict(participant=MIKKO)),
    *cases(CHAIR, "participant.role", "invalid", dict(participant=PIRJO), dict(participant=SCREEN),
           dict(participant=CHAIR), dict(participant=SCRIBE, role="scribe")),
    *cases(CHAIR, "participant.role", "not_found", dict(participant=MIKKO)),
    *cases(CHAIR, "participant.family", "invalid", dict(participant=SCREEN)),
    *cases(CHAIR, "timer.stop", "invalid", {}),
    *cases(SCRIBE, "entry.add", "invalid", dict(phase="ydinasia"), dict(text=""),
           dict(text=" \n\t "), dict(text="x" * 4001), dict(owner="Laura"), dict(due="2026-12-01"),
           dict(phase="solutions", owner="Laura"), dict(phase="hypotheses", answers="e_h1"),
           dict(phase="plan", answers="e_h1"), dict(phase="solutions", answers="e_core"),
           dict(phase="solutions", answers="e_sol")),
    *cases(SCRIBE, "entry.add", "not_found", dict(phase="solutions", answers="e_gone"),
           dict(phase="solutions", answers="e_missing")),
    *cases(SCRIBE, "entry.edit", "invalid", dict(phase="ydinasia"), dict(text="   "),
           dict(text="x" * 4001), dict(entry="e_core", owner="Laura"),
           dict(entry="e_core", answers="e_h1"), dict(entry="e_sol", answers="e_core"),
           dict(entry="e_sol", answers="e_sol"),
           dict(entry="e_plan", phase="closing", due="2026-12-01")),
    *cases(SCRIBE, "entry.edit", "not_found", dict(entry="e_sol", answers="e_gone"),
           dict(entry="e_gone", version=2), dict(entry="e_missing")),
    *cases(SCRIBE, "entry.delete", "not_found", dict(entry="e_gone"), dict(entry="e_missing")),
    *cases(EETU, "hand.raise", "invalid", {}),
    *cases(AINO, "hand.lower", "invalid", {}, dict(participant=AINO)),
    *cases(AINO, "hand.lower", "forbidden", dict(participant=EETU)),
    *cases(SCRIBE, "hand.lower", "forbidden", dict(participant=EETU)),
    *cases(CHAIR, "hand.lower", "invalid", dict(participant=AINO)),
    *cases(CHAIR, "hand.lower", "not_found", dict(participant=MIKKO)),
    *cases(EETU, "entry.react", "invalid", dict(reaction="agree")),
    *cases(AINO, "entry.react", "invalid", dict(reaction=None)),
    *cases(AINO, "entry.react", "not_found", dict(entry="e_gone"), dict(entry="e_missing")),
    *cases(AINO, "feedback.submit", "invalid", {}),
]  # fmt: skip


@pytest.mark.parametrize(("actor", "body", "code"), ERRORS)
def test_errors(state: MeetingState, actor: str, body: dict[str, Any], code: str) -> None:
    refused(state, body, actor, code)


@pytest.mark.parametrize(
    ("name", "actor"),
    [
        (name, actor)
        for name, (who, _, _) in OPS.items()
        for actor in (CHAIR, SCRIBE, AINO, SCREEN, PIRJO, MIKKO, "stranger")
        if actor not in ROLES[who]
    ],
)
def test_forbidden(state: MeetingState, name: str, actor: str) -> None:
    if name == "feedback.submit":
        run(state, op("meeting.close"), CHAIR)
    refused(state, op(name), actor, "forbidden")


def test_feedback_only_after_close_and_once(state: MeetingState) -> None:
    run(state, op("meeting.close"), CHAIR)
    for count, actor in enumerate([AINO, EETU, CHAIR, SCRIBE], start=1):
        event = run(state, op("feedback.submit", comment="Tulin kuulluksi."), actor)
        assert event.data == {"count": count} == {"count": state.feedback_count}
        assert state.participants[actor].feedback_given
        refused(state, op("feedback.submit", heard=1), actor, "conflict")


UNGUARDED = ("feedback.submit", "participant.remove", "participant.family")


@pytest.mark.parametrize("name", [n for n in OPS if n not in UNGUARDED])
def test_ops_after_close_are_closed(state: MeetingState, name: str) -> None:
    state.timer = Timer(0, 600, T0, T10)
    run(state, op("meeting.close"), CHAIR)
    actor = {"chair": CHAIR, "writer": SCRIBE, "voice": AINO}[OPS[name][0]]
    # meeting.closed stops the timer, so timer.stop has nothing left to stop.
    refused(state, op(name), actor, "invalid" if name == "timer.stop" else "closed")


def test_removed_participant_can_do_nothing_more(state: MeetingState) -> None:
    run(state, op("participant.remove"), CHAIR)
    for name in ("hand.lower", "hand.raise", "entry.react"):
        refused(state, op(name), EETU, "forbidden")
    refused(state, op("participant.admit", participant=EETU), CHAIR, "not_found")


def test_chair_may_still_remove_and_mark_family_after_close(state: MeetingState) -> None:
    """Not guarded by `closed` in app/ (feedback time): pinned so that a change is deliberate."""
    run(state, op("meeting.close"), CHAIR)
    run(state, op("participant.family", participant=AINO, family=False), CHAIR)
    run(state, op("participant.remove"), CHAIR)
    assert not state.participants[AINO].family and state.participants[EETU].removed


@pytest.mark.parametrize("frame", ["hypothesis", "helpmap"])
def test_solutions_answer_their_frames_phase(frame: str) -> None:
    state = make_state(frame)
    problem = {"hypothesis": "hypotheses", "helpmap": "challenges"}[frame]
    solutions = state.phase("solutions")
    assert solutions is not None and solutions["answers_from"] == problem
    run(state, op("entry.add", phase="solutions", answers="e_h2"), SCRIBE)
    assert state.entries["e_new1"].answers == "e_h2"
    refused(state, op("entry.add", phase="solutions", answers="e_core"), SCRIBE, "invalid")
    elsewhere = "supports" if frame == "helpmap" else "core"
    run(state, op("entry.edit", entry="e_h2", phase=elsewhere), SCRIBE)
    refused(state, op("entry.add", phase="solutions", answers="e_h2"), SCRIBE, "invalid")


@pytest.mark.parametrize("gone", ["deleted", "moved"])
def test_solution_stays_editable_after_its_hypothesis_goes(state: MeetingState, gone: str) -> None:
    change = (
        op("entry.delete", entry="e_h1") if gone == "deleted" else op("entry.edit", phase="core")
    )
    run(state, change, SCRIBE)
    run(state, op("entry.edit", entry="e_sol", text="Pysyvä pari kuudeksi viikoksi."), SCRIBE)
    assert state.entries["e_sol"].text == "Pysyvä pari kuudeksi viikoksi."
    assert state.entries["e_sol"].answers is None  # the dangling link is dropped


def test_join_waits_in_the_lobby(state: MeetingState) -> None:
    event = join(state, "laura", "  Laura ", " luokanvalvoja ", False)
    laura = Participant("laura", "Laura", "luokanvalvoja")
    assert event == Event("participant.joined", {"participant": laura.public()})
    assert event.data["participant"]["admitted"] is False
    expected = copy.deepcopy(state)
    expected.participants["laura"] = laura
    evolve(state, event.name, event.data, None)
    assert state == expected
    refused(state, op("hand.raise"), "laura", "forbidden")
    run(state, op("participant.admit", participant="laura"), CHAIR)
    run(state, op("hand.raise"), "laura")
    assert join(state, "x", "L" * 60, "r" * 60, True).data["participant"]["family"] is True


JOINS = [("", "", "invalid"), ("  \t", "äiti", "invalid"), ("L" * 61, "", "invalid"),
         ("Laura", "r" * 61, "invalid"), ("Laura", "luokanvalvoja", "closed")]  # fmt: skip


@pytest.mark.parametrize(("name", "role_label", "code"), JOINS)
def test_join_refused(state: MeetingState, name: str, role_label: str, code: str) -> None:
    if code == "closed":
        run(state, op("meeting.close"), CHAIR)
    before = copy.deepcopy(state)
    with pytest.raises(AppError) as info:
        join(state, "laura", name, role_label, False)
    assert info.value.code == code and state == before


DRAFTS = [(AINO, "core", "forbidden"), (SCREEN, "core", "forbidden"), (PIRJO, "core", "forbidden"),
          (MIKKO, "core", "forbidden"), (SCRIBE, "ydinasia", "invalid")]  # fmt: skip


def test_can_draft(state: MeetingState) -> None:
    can_draft(state, SCRIBE, "hypotheses")
    can_draft(state, CHAIR, "plan")
    for actor, phase, code in DRAFTS:
        with pytest.raises(AppError) as info:
            can_draft(state, actor, phase)
        assert info.value.code == code
    run(state, op("meeting.close"), CHAIR)
    with pytest.raises(AppError) as info:
        can_draft(state, SCRIBE, "core")
    assert info.value.code == "closed"
