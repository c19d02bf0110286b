"""The meeting as plain data, and how each event changes it. No I/O."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal

from app.errors import AppError
from app.frames.loader import localize
from app.i18n import N_
from app.meetings.process_state import Process
from app.meetings.screen_view import screen_view
from app.meetings.workshop_state import Workshop

Kind = Literal["chair", "scribe", "participant", "screen"]
ONLY_AN_ACCOUNT = N_("Only a professional logged in with an account can do this.")
# Who writes the record: they may restore a deleted entry, and so alone still see its text, and
# they see an entry asked of someone first before that person approves it.
RECORD_WRITERS = frozenset({"chair", "scribe"})


@dataclass
class Participant:
    """Someone in the meeting (or waiting in its lobby), or the shared screen."""

    id: str
    name: str
    role_label: str = ""
    kind: Kind = "participant"
    family: bool = False
    admitted: bool = False
    removed: bool = False
    hand: bool = False
    feedback_given: bool = False
    hand_at: str | None = None
    # A professional logged in with an account: only they export, correct or delete the record.
    account: bool = False
    # The account that opened the meeting: it can always take the chair back.
    owner: bool = False
    # An interpreter sees what a family member sees, and asks the chair for a pause to
    # interpret (app/meetings/interpreting.py).
    interpreter: bool = False
    pause: bool = False
    pause_at: str | None = None

    def public(self, online: bool = False) -> dict[str, Any]:
        """The participant object of the protocol."""
        return {
            "id": self.id,
            "name": self.name,
            "role_label": self.role_label,
            "kind": self.kind,
            "family": self.family,
            "admitted": self.admitted,
            "online": online,
            "hand": self.hand,
            "hand_at": self.hand_at,
            "account": self.account,
            "interpreter": self.interpreter,
            "pause": self.pause,
            "pause_at": self.pause_at,
        }


@dataclass
class Entry:
    """One item of the open record."""

    id: str
    phase: str
    text: str
    kind: str = "note"
    speaker: str | None = None
    own_words: bool = False
    owner: str | None = None
    due: str | None = None
    answers: str | None = None
    board: str | None = None  # the small group's board it was written on (a workshop)
    version: int = 1
    deleted: bool = False
    author: str | None = None
    reactions: dict[str, str] = field(default_factory=dict)
    # The family's word on a plan step: {participant id: {"agreement": "agree"|"dispute", …}}.
    agreements: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Corrections made after the record was locked at close, oldest first.
    corrections: list[dict[str, Any]] = field(default_factory=list)
    # Correction requests from anyone let in, and what became of each, oldest first.
    requests: list[dict[str, Any]] = field(default_factory=list)
    # The language the words were interpreted from, when they came through an interpreter.
    interpreted_from: str | None = None
    # Who said "I don't understand this" ({participant id: True}): private, only the count shows.
    unclear: dict[str, bool] = field(default_factory=dict)
    # "Ask first": the participant this entry concerns sees it before anyone but the chair and
    # the scribe, and it enters the shared record only when they approve it (app/meetings/
    # consent.py).
    ask_first: str | None = None
    approved: bool = False

    @property
    def pending(self) -> bool:
        """Waiting for the approval of the person it concerns."""
        return self.ask_first is not None and not self.approved

    @property
    def shared(self) -> bool:
        """In the shared record: not deleted, and approved if it was asked of someone first."""
        return not self.deleted and not self.pending

    def seen_by(self, viewer: Participant | None) -> bool:
        """Whether this viewer may see the entry at all (text, trail, that it exists)."""
        if not self.pending:
            return True
        return viewer is not None and (viewer.kind in RECORD_WRITERS or viewer.id == self.ask_first)

    def public(self) -> dict[str, Any]:
        """The entry object of the protocol."""
        body: dict[str, Any] = {
            "id": self.id,
            "phase": self.phase,
            "text": self.text,
            "speaker": self.speaker,
            "kind": self.kind,
            "version": self.version,
            "deleted": self.deleted,
            "own_words": self.own_words,
            "reactions": dict(self.reactions),
            "corrections": [dict(c) for c in self.corrections],
            "requests": [dict(r) for r in self.requests],
            "unclear": len(self.unclear),
        }
        if self.kind == "plan":
            body["owner"] = self.owner
            body["due"] = self.due
            body["agreements"] = {k: dict(v) for k, v in self.agreements.items()}
        if self.kind == "solution":
            body["answers"] = self.answers
        if self.board is not None:
            body["board"] = self.board
        if self.ask_first is not None:
            body["ask_first"] = {"participant": self.ask_first, "approved": self.approved}
        if self.interpreted_from is not None:
            body["interpreted_from"] = self.interpreted_from
        return body

    def tombstone(self) -> dict[str, Any]:
        """A deleted entry as those who may not restore it see it: that it was, not what."""
        body: dict[str, Any] = {
            "id": self.id,
            "phase": self.phase,
            "text": "",
            "speaker": None,
            "kind": self.kind,
            "version": self.version,
            "deleted": True,
            "own_words": False,
            "reactions": {},
            "corrections": [],
            "requests": [],
            "unclear": 0,
        }
        if self.board is not None:
            body["board"] = self.board
        return body


@dataclass
class Timer:
    """A phase timer: the chair starts it; every screen counts down to `ends_at`."""

    phase: int
    seconds: int
    started_at: str
    ends_at: str
    # Of `seconds`, the time added for interpreting.
    interpreting: int = 0

    def public(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "seconds": self.seconds,
            "started_at": self.started_at,
            "ends_at": self.ends_at,
            "interpreting": self.interpreting,
        }


@dataclass
class Round:
    """Everyone invited to speak in turn; anyone may pass."""

    phase: str
    order: list[str]
    index: int = 0
    passed: list[str] = field(default_factory=list)

    @classmethod
    def from_view(cls, view: dict[str, Any]) -> Round:
        """The round from its protocol object (`public`)."""
        return cls(view["phase"], list(view["order"]), view["index"], list(view["passed"]))

    @property
    def speaker(self) -> str | None:
        return self.order[self.index] if self.index < len(self.order) else None

    @property
    def next(self) -> str | None:
        return self.order[self.index + 1] if self.index + 1 < len(self.order) else None

    def public(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "order": list(self.order),
            "index": self.index,
            "speaker": self.speaker,
            "next": self.next,
            "passed": list(self.passed),
        }


@dataclass
class SilentItem:
    """A thought written in silence: only its writer sees it before the reveal."""

    id: str
    writer: str
    text: str


@dataclass
class Silent:
    """Silent writing open in one phase."""

    phase: str
    items: dict[str, SilentItem] = field(default_factory=dict)

    def view(self, viewer: str | None) -> dict[str, Any]:
        """What one person sees: how many thoughts there are, and their own."""
        mine = [{"id": i.id, "text": i.text} for i in self.items.values() if i.writer == viewer]
        return {"phase": self.phase, "count": len(self.items), "mine": mine}


@dataclass
class MeetingState:
    """Everything the rules need to decide an op, and everything a snapshot shows."""

    id: str
    title: str
    frame: dict[str, Any]
    language: str = "fi"
    status: Literal["open", "closed"] = "open"
    current_phase: int = 0
    participants: dict[str, Participant] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    timer: Timer | None = None
    feedback_count: int = 0
    lobby_open: bool = True
    round: Round | None = None
    silent: Silent | None = None
    process: Process = field(default_factory=Process)
    workshop: Workshop = field(default_factory=Workshop)
    # The child's three houses from the preparation, held until the child agrees to show them
    # (app/meetings/houses.py): to whom the chair offered them, and what became of it.
    houses: list[dict[str, Any]] | None = None
    houses_child: str | None = None
    houses_status: Literal["ready", "offered", "shown", "declined"] = "ready"

    @property
    def phases(self) -> list[dict[str, Any]]:
        phases: list[dict[str, Any]] = self.frame["phases"]
        return phases

    def phase(self, key: str) -> dict[str, Any] | None:
        """The phase with this key, or None."""
        return next((p for p in self.phases if p["key"] == key), None)

    def record_keeper(self, actor_id: str) -> Participant:
        """A professional with an account, whoever chairs: the record leaves the system, is
        corrected or is deleted only by them (a family member's phone may chair, never that)."""
        actor = self.participants.get(actor_id)
        if actor is None or actor.removed or not actor.admitted or not actor.account:
            raise AppError(
                "forbidden", "Only a professional logged in with an account can do this."
            )
        return actor

    def houses_view(self, me: Participant | None) -> dict[str, Any] | None:
        """The three houses as this viewer may see them: the chair and the scribe always, the
        child while they are asked; anyone else only as the record's entries, once shown."""
        if not self.houses or me is None:
            return None
        asked = self.houses_child == me.id and self.houses_status == "offered"
        if me.kind not in RECORD_WRITERS and not asked:
            return None
        return {
            "items": [dict(i) for i in self.houses],
            "child": self.houses_child,
            "status": self.houses_status,
        }

    def copy(self) -> MeetingState:
        return copy.deepcopy(self)

    def localized_frame(self, lang: str) -> dict[str, Any]:
        return localize(self.frame, lang)

    def snapshot(
        self, online: frozenset[str] = frozenset(), lang: str = "", viewer: str | None = None
    ) -> dict[str, Any]:
        """The state object of the protocol's `snapshot`, as one viewer may see it: frame texts
        in their language, and of the silent thoughts only their own."""
        frame = localize(self.frame, lang or self.language)
        me = self.participants.get(viewer) if viewer else None
        restorer = me is not None and me.kind in RECORD_WRITERS
        body: dict[str, Any] = {
            "meeting": {
                "id": self.id,
                "title": self.title,
                "frame": self.frame["key"],
                "frame_title": frame["title"],
                "kind": frame["kind"],
                "status": self.status,
                "language": self.language,
                "lobby_open": self.lobby_open,
            },
            "phases": frame["phases"],
            "current_phase": self.current_phase,
            "entries": [
                e.tombstone() if e.deleted and not restorer else e.public()
                for e in self.entries.values()
                if e.seen_by(me)
            ],
            "participants": [
                p.public(p.id in online) for p in self.participants.values() if not p.removed
            ],
            "timer": self.timer.public() if self.timer else None,
            "feedback_count": self.feedback_count,
            "round": self.round.public() if self.round else None,
            "silent": self.silent.view(viewer) if self.silent else None,
            # The entries this viewer said they do not understand (nobody else learns who).
            "unclear_mine": [e.id for e in self.entries.values() if viewer in e.unclear],
            "houses": self.houses_view(me),
            "process": self.process.view(viewer),
            "workshop": self.workshop.view(),
        }
        return screen_view(self, body) if me is not None and me.kind == "screen" else body
