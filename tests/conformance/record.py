"""The conformance log: meetings played through the rules, every event type at least once.

`python -m tests.conformance.record` writes `tests/conformance/log.json` anew. Each meeting in it
has the state it starts from, its events (with their private part and actor, as the service
stores them) and the state they lead to; `test_conformance.py` applies the events with the Python
state, with the tables (SQLite and PostgreSQL) and with the browser's `model.js`, and all three must
arrive at that state."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

from app.frames.loader import load_frames
from app.meetings.domain import MeetingState, Participant
from app.meetings.evolve import evolve
from app.meetings.process import with_review_phase
from app.meetings.process_state import Review
from app.meetings.reading import event_frame
from app.meetings.repository import AppendedEvent
from app.meetings.schemas import op_adapter
from app.meetings.state import Context, apply, join
from app.meetings.summary_link import with_url

FACILITATOR, WSCREEN = "w_chair", "w_screen"  # ids are unique across meetings
LOG = Path(__file__).resolve().parent / "log.json"
START = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
CHAIR, SCREEN, SCRIBE, AINO, EETU, LATE = (
    "p_chair",
    "p_screen",
    "p_sanna",
    "p_aino",
    "p_eetu",
    "p_late",
)


STEPS = [{"id": "s1", "text": "Eetu herää itse", "owner": "Eetu", "due": "2026-12-01"}]


def state_dump(state: MeetingState) -> dict[str, Any]:
    """Everything the state holds but its frame (which no event changes), as JSON."""
    body = dataclasses.asdict(state)
    del body["frame"]
    return body


class Play:
    """One meeting: ops decided by the rules at a clock that ticks a second an op."""

    def __init__(self, state: MeetingState) -> None:
        self.state = state
        self.start = state_dump(state)
        self.events: list[dict[str, Any]] = []
        self.ops: list[dict[str, Any]] = []
        self.ids = itertools.count(1)
        self.clock = START

    def ctx(self) -> Context:
        self.clock += dt.timedelta(seconds=1)
        return Context(
            now=self.clock,
            new_id=lambda: f"{self.state.id[2]}_{next(self.ids):03d}",
            shuffle=lambda items: list(items),
            new_token=lambda: f"link{next(self.ids):04d}",
        )

    def next_id(self) -> str:
        """The op id the next op is played with (a request's id is its op's)."""
        return f"o{len(self.events) + 1}"

    def op(self, actor: str, body: dict[str, Any]) -> None:
        self.ops.append(body)
        op = op_adapter.validate_python({"id": self.next_id(), **body})
        self._keep(apply(self.state, op, actor, self.ctx()), actor)

    def knock(self, pid: str, name: str, label: str, family: bool, account: bool = False) -> None:
        self._keep(join(self.state, pid, name, label, family, account), pid)

    def _keep(self, event: Any, actor: str) -> None:
        who = None if event.anonymous else actor
        full = {**event.data, **event.private}
        self.events.append(
            {"name": event.name, "data": event.data, "private": event.private, "actor": who}
        )
        evolve(self.state, event.name, full, who)


def _people(
    *extra: Participant, chair: str = CHAIR, screen: str = SCREEN
) -> dict[str, Participant]:
    people = [
        Participant(chair, "Laura Virtanen", kind="chair", admitted=True, account=True, owner=True),
        Participant(screen, "Screen", kind="screen", admitted=True),
        *extra,
    ]
    return {p.id: p for p in people}


def network_start() -> MeetingState:
    """A case's network meeting that opens with the review of the last plan."""
    frame = with_review_phase(load_frames()["hypothesis"].model_dump())
    state = MeetingState(id="m_conformance", title="Verkostopalaveri", frame=frame)
    state.participants = _people()
    state.process.review = Review(steps=STEPS, previous_wellbeing=4.5)
    state.houses = [
        {"house": "worries", "text": "Aamut ovat kiireisiä", "picture": "😟"},
        {"house": "good", "text": "Mummo", "picture": ""},
        {"house": "dreams", "text": "Oma koira", "picture": "🐶"},
    ]
    return state


def network_meeting(play: Play) -> None:
    """From the lobby to a correction after the close."""
    play.knock(SCRIBE, "Sanna Koski", "sosiaalityöntekijä", False, account=True)
    play.op(CHAIR, {"op": "participant.admit", "participant": SCRIBE})
    play.op(CHAIR, {"op": "participant.role", "participant": SCRIBE, "role": "scribe"})
    for pid, name in ((AINO, "Aino"), (EETU, "Eetu")):
        play.knock(pid, name, "äiti" if pid == AINO else "", True)
        play.op(CHAIR, {"op": "participant.admit", "participant": pid})
    play.knock(LATE, "Väärä ovi", "", False)
    play.op(CHAIR, {"op": "participant.remove", "participant": LATE})
    play.op(CHAIR, {"op": "participant.family", "participant": EETU, "family": False})
    play.op(CHAIR, {"op": "participant.family", "participant": EETU, "family": True})
    play.op(CHAIR, {"op": "meeting.lobby", "open": False})
    play.op(CHAIR, {"op": "phase.goto", "index": 1})
    play.op(SCRIBE, {"op": "review.mark", "step": "s1", "status": "partly"})
    play.op(AINO, {"op": "wellbeing.rate", "score": 6})
    play.op(EETU, {"op": "wellbeing.rate", "score": 3})
    play.op(CHAIR, {"op": "timer.start", "seconds": 600})
    play.op(CHAIR, {"op": "timer.extend", "seconds": 120})
    # An interpreter: made, asks for a pause, the chair goes on; a timer with their time.
    play.op(CHAIR, {"op": "participant.interpreter", "participant": EETU, "interpreter": True})
    play.op(EETU, {"op": "pause.ask"})
    play.op(CHAIR, {"op": "pause.end", "participant": EETU})
    play.op(EETU, {"op": "pause.ask"})
    play.op(CHAIR, {"op": "timer.start", "seconds": 600, "interpreting": True})
    play.op(CHAIR, {"op": "phase.goto", "index": 2})
    play.op(
        SCRIBE,
        {
            "op": "entry.add",
            "phase": "core",
            "text": "Aamut ovat raskaita.",
            "speaker": AINO,
            "interpreted_from": "arabia",
        },
    )
    play.op(
        SCRIBE,
        {
            "op": "entry.edit",
            "entry": "c_001",
            "version": 1,
            "text": "Aamut ovat tosi raskaita.",
            "own_words": True,
        },
    )
    play.op(AINO, {"op": "entry.react", "entry": "c_001", "reaction": "agree"})
    play.op(SCRIBE, {"op": "entry.add", "phase": "core", "text": "Väärä kirjaus"})
    play.op(SCRIBE, {"op": "entry.delete", "entry": "c_002"})
    play.op(SCRIBE, {"op": "entry.restore", "entry": "c_002"})
    play.op(SCRIBE, {"op": "entry.delete", "entry": "c_002"})
    play.op(AINO, {"op": "hand.raise"})
    play.op(CHAIR, {"op": "hand.lower", "participant": AINO})
    play.op(CHAIR, {"op": "timer.stop"})
    play.op(CHAIR, {"op": "phase.goto", "index": 3})
    play.op(CHAIR, {"op": "round.start", "phase": "hypotheses", "order": [AINO, EETU, SCRIBE]})
    play.op(CHAIR, {"op": "round.next"})
    play.op(EETU, {"op": "round.pass"})
    play.op(CHAIR, {"op": "round.end"})
    play.op(CHAIR, {"op": "round.start", "phase": "hypotheses", "order": [EETU]})
    play.op(CHAIR, {"op": "round.next"})
    play.op(CHAIR, {"op": "silent.open", "phase": "hypotheses"})
    play.op(AINO, {"op": "silent.write", "text": "Ehkä Eetu väsyy koulussa."})
    play.op(EETU, {"op": "silent.write", "text": "Ehkä aamut ovat kiireisiä."})
    play.op(CHAIR, {"op": "silent.reveal"})
    play.op(CHAIR, {"op": "phase.goto", "index": 6})
    play.op(
        SCRIBE,
        {
            "op": "entry.add",
            "phase": "plan",
            "text": "Herätys puoli seitsemältä.",
            "owner": "Aino",
            "due": "2026-12-20",
        },
    )
    play.op(AINO, {"op": "plan.agree", "entry": "c_005", "agreement": "agree"})
    play.op(
        EETU,
        {"op": "plan.agree", "entry": "c_005", "agreement": "dispute", "comment": "Liian aikaisin"},
    )
    play.op(AINO, {"op": "entry.react", "entry": "c_001", "reaction": None})
    play.op(EETU, {"op": "entry.react", "entry": "c_001", "reaction": "unsure"})
    play.op(SCRIBE, {"op": "entry.edit", "entry": "c_005", "version": 1, "due": "2026-12-21"})
    # Ask first: the scribe writes what concerns Aino; she asks for a change, then approves it.
    play.op(
        SCRIBE,
        {"op": "entry.add", "phase": "plan", "text": "Äidin jaksaminen.", "ask_first": AINO},
    )
    wish = play.next_id()
    play.op(AINO, {"op": "entry.request", "entry": "c_006", "wording": "Äidin väsymys."})
    play.op(
        SCRIBE, {"op": "request.resolve", "entry": "c_006", "request": wish, "outcome": "accept"}
    )
    play.op(AINO, {"op": "entry.approve", "entry": "c_006"})
    # The child's three houses: not now, then yes.
    play.op(CHAIR, {"op": "houses.offer", "participant": EETU})
    play.op(EETU, {"op": "houses.answer", "show": False})
    play.op(CHAIR, {"op": "houses.offer", "participant": EETU})
    play.op(EETU, {"op": "houses.answer", "show": True})
    # "I don't understand this": said by two, taken back by one.
    play.op(AINO, {"op": "entry.unclear", "entry": "c_005", "unclear": True})
    play.op(EETU, {"op": "entry.unclear", "entry": "c_005", "unclear": True})
    play.op(AINO, {"op": "entry.unclear", "entry": "c_005", "unclear": False})
    # Correction requests: taken in as edited, answered in words, and one left open at the close.
    asked = play.next_id()
    play.op(
        AINO,
        {
            "op": "entry.request",
            "entry": "c_001",
            "wording": "Aamut ovat vaikeita, kun Eetu valvoo.",
            "note": "Sanoin valvomisesta",
        },
    )
    play.op(
        SCRIBE,
        {
            "op": "request.resolve",
            "entry": "c_001",
            "request": asked,
            "outcome": "accept",
            "text": "Aamut ovat vaikeita, kun Eetu valvoo myöhään.",
        },
    )
    asked = play.next_id()
    play.op(EETU, {"op": "entry.request", "entry": "c_005", "note": "En ymmärrä tätä"})
    play.op(
        CHAIR,
        {
            "op": "request.resolve",
            "entry": "c_005",
            "request": asked,
            "outcome": "answer",
            "text": "Puhutaan tästä seuraavaksi.",
        },
    )
    still_open = play.next_id()
    play.op(EETU, {"op": "entry.request", "entry": "c_001", "wording": "Aamut ovat kiireisiä."})
    play.op(
        CHAIR,
        {"op": "meeting.schedule", "when": "2027-01-11T12:00:00+02:00", "place": "Perheneuvola"},
    )
    play.op(EETU, {"op": "hand.raise"})
    play.op(CHAIR, {"op": "participant.role", "participant": EETU, "role": "chair"})
    play.op(CHAIR, {"op": "chair.reclaim"})
    play.op(CHAIR, {"op": "meeting.close"})
    play.op(CHAIR, {"op": "summary.share", "days": 14})
    play.op(CHAIR, {"op": "summary.revoke"})
    play.op(CHAIR, {"op": "summary.share", "days": 7})
    play.op(
        AINO, {"op": "feedback.submit", "heard": 5, "next": 4, "together": 5, "comment": "Hyvä"}
    )
    play.op(
        CHAIR,
        {
            "op": "entry.correct",
            "entry": "c_001",
            "text": "Aamut ovat olleet raskaita.",
            "reason": "Aino tarkensi",
        },
    )
    # The record is locked: the request left open becomes a correction when it is taken in.
    play.op(
        CHAIR,
        {"op": "request.resolve", "entry": "c_001", "request": still_open, "outcome": "accept"},
    )


def workshop_start() -> MeetingState:
    """A workshop of nine, before its first step."""
    frame = load_frames()["workshop3"].model_dump()
    state = MeetingState(id="m_workshop", title="Kolmas työpaja", frame=frame)
    people = [Participant(f"p_{n:02d}", f"Osallistuja {n}", admitted=True) for n in range(1, 10)]
    state.participants = _people(*people, chair=FACILITATOR, screen=WSCREEN)
    return state


def workshop(play: Play) -> None:
    """Small groups on their boards, the fishbowl, the experts by experience."""
    play.op(FACILITATOR, {"op": "participant.expert", "participant": "p_03", "expert": True})
    play.op(FACILITATOR, {"op": "participant.expert", "participant": "p_04", "expert": True})
    play.op(FACILITATOR, {"op": "participant.expert", "participant": "p_04", "expert": False})
    play.op(FACILITATOR, {"op": "phase.goto", "index": 5})
    assign = {f"p_{n:02d}": 1 + n % 2 for n in range(1, 10)}
    play.op(FACILITATOR, {"op": "groups.form", "phase": "trial", "assign": assign})
    group = play.events[-1]["data"]["groups"][0]
    play.op(
        FACILITATOR,
        {
            "op": "group.role",
            "group": group["id"],
            "participant": group["members"][0],
            "role": "chair",
        },
    )
    play.op(
        FACILITATOR,
        {
            "op": "group.role",
            "group": group["id"],
            "participant": group["members"][1],
            "role": "scribe",
        },
    )
    play.op(
        group["members"][1],
        {"op": "entry.add", "phase": "trial", "text": "Mitä kokeillaan?", "board": group["id"]},
    )
    play.op(FACILITATOR, {"op": "groups.form", "phase": "trial", "size": 3})
    play.op(FACILITATOR, {"op": "phase.goto", "index": 7})
    play.op(FACILITATOR, {"op": "board.show", "group": play.events[-2]["data"]["groups"][0]["id"]})
    play.op(FACILITATOR, {"op": "board.show"})
    play.op(FACILITATOR, {"op": "phase.goto", "index": 8})
    play.op(FACILITATOR, {"op": "bowl.open", "phase": "effects"})
    for pid in ("p_01", "p_02", "p_03"):
        play.op(FACILITATOR, {"op": "bowl.seat", "participant": pid})
    play.op("p_05", {"op": "bowl.ask"})
    play.op("p_02", {"op": "bowl.leave", "participant": "p_02"})
    play.op(FACILITATOR, {"op": "bowl.seat", "participant": "p_05"})
    play.op(FACILITATOR, {"op": "bowl.close"})


# Each meeting of the log: the state it starts from, and what happens in it.
MEETINGS = {"network": (network_start, network_meeting), "workshop": (workshop_start, workshop)}
LINK_KEY = "conformance"


def browser_view(play: Play, start: MeetingState) -> dict[str, Any]:
    """What the chair's browser starts from and receives: its snapshot, then each event's frame
    as the server sends it; and the snapshot it must arrive at."""
    frames = []
    for seq, e in enumerate(play.events, 1):
        at = START + dt.timedelta(seconds=seq)
        data = json.dumps(e["data"], ensure_ascii=False, separators=(",", ":"))
        row = AppendedEvent(seq, e["name"], f"o{seq}", e["actor"], at, data)
        frames.append(json.loads(event_frame(row, LINK_KEY).frame))
    return {"start": snapshot(start), "frames": frames, "end": snapshot(play.state)}


def snapshot(state: MeetingState) -> dict[str, Any]:
    """The snapshot the server sends the meeting's owner, who chairs it
    (`MeetingReads.snapshot`): the browser's part is played as the chair's screen sees it."""
    chair = next(p.id for p in state.participants.values() if p.owner)
    body = state.snapshot(frozenset(), "fi", chair)
    body["process"]["summary"] = with_url(body["process"]["summary"], LINK_KEY)
    return body


def record() -> dict[str, Any]:
    """The log as `log.json` holds it."""
    meetings = {}
    for key, (start, script) in MEETINGS.items():
        play = Play(start())
        script(play)
        meetings[key] = {
            "start": play.start,
            "ops": play.ops,
            "events": play.events,
            "end": state_dump(play.state),
            "browser": browser_view(play, start()),
        }
    return {"meetings": meetings}


def main() -> None:
    LOG.write_text(json.dumps(record(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {LOG}")


if __name__ == "__main__":
    main()
