"""What each event changes, said once: the entities it touches and their new values.

Both readers of events in Python apply these changes with one mechanism per entity kind: the
cached state (`domain.evolve`) and the tables (`projection.project`). An event's meaning lives
here and nowhere else; `tests/conformance/` checks that the browser's model.js agrees. No I/O."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from app.meetings.domain import Round, Silent, Timer
from app.meetings.workshop_state import WORKSHOP_EVENTS

EntityKind = Literal["meeting", "participant", "entry", "silent_item", "process", "workshop"]


@dataclass(frozen=True, slots=True)
class Change:
    """One entity's new values.

    `id` None is the meeting's own fields (kind "meeting", "process", "workshop") or, for
    "participant", every participant. `merge` gives keys of a dict field their new value (None
    takes the key away). `new`: the entity begins here."""

    kind: EntityKind
    id: str | None = None
    set: dict[str, Any] = field(default_factory=dict)
    merge: dict[str, dict[str, Any]] = field(default_factory=dict)
    new: bool = False


# The participant fields an event's whole participant object carries.
PARTICIPANT_FIELDS = (
    "name",
    "role_label",
    "kind",
    "family",
    "admitted",
    "hand",
    "hand_at",
    "interpreter",
    "pause",
    "pause_at",
)
# The entry fields an event's whole entry object carries (the author is the event's actor).
ENTRY_FIELDS = (
    "phase",
    "text",
    "kind",
    "speaker",
    "own_words",
    "owner",
    "due",
    "answers",
    "board",
    "version",
    "deleted",
    "reactions",
    "agreements",
    "corrections",
    "ask_first",
    "approved",
    "interpreted_from",
)
_ENTRY_DEFAULTS: dict[str, Any] = {
    "kind": "note",
    "speaker": None,
    "own_words": False,
    "owner": None,
    "due": None,
    "answers": None,
    "board": None,
    "version": 1,
    "deleted": False,
    "interpreted_from": None,
}


def _participant(view: dict[str, Any], new: bool = False) -> Change:
    values = {k: view[k] for k in PARTICIPANT_FIELDS if k in view}
    if new:
        values["account"] = bool(view.get("account", False))
    return Change("participant", view["id"], values, new=new)


def entry_values(view: dict[str, Any]) -> dict[str, Any]:
    """An entry object of the protocol as the entry's fields (copies: nothing is shared)."""
    values = {k: view.get(k, default) for k, default in _ENTRY_DEFAULTS.items()}
    values["phase"], values["text"] = view["phase"], view["text"]
    values["reactions"] = dict(view.get("reactions") or {})
    values["agreements"] = {k: dict(v) for k, v in (view.get("agreements") or {}).items()}
    values["corrections"] = [dict(c) for c in view.get("corrections") or []]
    values["requests"] = [dict(r) for r in view.get("requests") or []]
    ask = view.get("ask_first")
    values["ask_first"] = ask["participant"] if ask else None
    values["approved"] = bool(ask and ask["approved"])
    return values


def _new_entry(view: dict[str, Any], author: str | None) -> Change:
    return Change("entry", view["id"], {**entry_values(view), "author": author}, new=True)


def _meeting(**values: Any) -> list[Change]:
    return [Change("meeting", set=values)]


def _hand(data: dict[str, Any], raised: bool) -> list[Change]:
    at = data.get("at") if raised else None
    return [Change("participant", data["participant"], {"hand": raised, "hand_at": at})]


def _role(data: dict[str, Any]) -> list[Change]:
    given = [Change("participant", data["participant"], {"kind": data["kind"]})]
    if data.get("previous"):
        given.append(Change("participant", data["previous"], {"kind": "participant"}))
    return given


def _closed(data: dict[str, Any]) -> list[Change]:
    return [
        Change("meeting", set={"status": "closed", "timer": None, "round": None}),
        Change("process", set={"retain_until": data.get("retain_until")}),
        # Every hand goes down, and every pause asked for ends.
        Change("participant", None, {"hand": False, "pause": False, "pause_at": None}),
    ]


def _revealed(data: dict[str, Any]) -> list[Change]:
    # A thought becomes an entry of its writer's (the speaker); the thoughts themselves go.
    return [
        *(_new_entry(e, e.get("speaker")) for e in data["entries"]),
        Change("meeting", set={"silent": None}),
    ]


def _written(data: dict[str, Any]) -> list[Change]:
    item = data.get("item")
    if item is None:  # the writer's text is private: a reader without it counts only
        return []
    values = {"writer": item["writer"], "text": item["text"], "phase": data["phase"]}
    return [Change("silent_item", item["id"], values, new=True)]


def _feedback(data: dict[str, Any], actor: str | None) -> list[Change]:
    given = _meeting(feedback_count=data["count"])
    if actor:
        given.append(Change("participant", actor, {"feedback_given": True}))
    return given


def _wellbeing(data: dict[str, Any]) -> list[Change]:
    if "participant" not in data:  # the answer itself is private
        return []
    return [Change("process", merge={"scores": {data["participant"]: data["score"]}})]


def _unclear(data: dict[str, Any]) -> list[Change]:
    if "participant" not in data:  # who is private: a reader without it has only the count
        return []
    said = True if data["unclear"] else None
    return [Change("entry", data["entry"], merge={"unclear": {data["participant"]: said}})]


def _workshop(name: str, data: dict[str, Any]) -> list[Change]:
    # The workshop's part changes as one value, by its own rules (`workshop_state.evolve`).
    return [Change("workshop", set={"event": name, "data": data})]


Derive = Callable[[dict[str, Any], str | None], list[Change]]

CHANGES: dict[str, Derive] = {
    "participant.joined": lambda d, a: [_participant(d["participant"], new=True)],
    "participant.admitted": lambda d, a: [_participant(d["participant"])],
    "participant.changed": lambda d, a: [_participant(d["participant"])],
    "participant.removed": lambda d, a: [
        Change("participant", d["participant"], {"removed": True, "admitted": False, "hand": False})
    ],
    "participant.role_changed": lambda d, a: _role(d),
    "hand.raised": lambda d, a: _hand(d, True),
    "hand.lowered": lambda d, a: _hand(d, False),
    "pause.asked": lambda d, a: [
        Change("participant", d["participant"], {"pause": True, "pause_at": d["at"]})
    ],
    "pause.ended": lambda d, a: [
        Change("participant", d["participant"], {"pause": False, "pause_at": None})
    ],
    "lobby.changed": lambda d, a: _meeting(lobby_open=bool(d["open"])),
    "phase.changed": lambda d, a: _meeting(current_phase=d["index"]),
    "timer.started": lambda d, a: _meeting(timer=Timer(**d["timer"])),
    "timer.stopped": lambda d, a: _meeting(timer=None),
    "meeting.closed": lambda d, a: _closed(d),
    "entry.added": lambda d, a: [_new_entry(d["entry"], a)],
    "entry.edited": lambda d, a: [Change("entry", d["entry"]["id"], entry_values(d["entry"]))],
    "entry.restored": lambda d, a: [Change("entry", d["entry"]["id"], entry_values(d["entry"]))],
    "entry.corrected": lambda d, a: [Change("entry", d["entry"]["id"], entry_values(d["entry"]))],
    "entry.approved": lambda d, a: [Change("entry", d["entry"]["id"], entry_values(d["entry"]))],
    "entry.requested": lambda d, a: [Change("entry", d["entry"]["id"], entry_values(d["entry"]))],
    "request.resolved": lambda d, a: [Change("entry", d["entry"]["id"], entry_values(d["entry"]))],
    "entry.deleted": lambda d, a: [
        Change("entry", d["entry"], {"deleted": True, "version": d["version"]})
    ],
    "entry.reacted": lambda d, a: [
        Change("entry", d["entry"], merge={"reactions": {d["participant"]: d["reaction"]}})
    ],
    "entry.unclear": lambda d, a: _unclear(d),
    "houses.offered": lambda d, a: _meeting(
        houses=[dict(i) for i in d["houses"]],
        houses_child=d["participant"],
        houses_status="offered",
    ),
    "houses.shown": lambda d, a: [
        *(_new_entry(e, e.get("speaker")) for e in d["entries"]),
        *_meeting(houses_status="shown"),
    ],
    "houses.declined": lambda d, a: _meeting(houses_status="declined"),
    "plan.agreed": lambda d, a: [
        Change(
            "entry",
            d["entry"],
            merge={
                "agreements": {
                    d["participant"]: {"agreement": d["agreement"], "comment": d.get("comment")}
                }
            },
        )
    ],
    "round.started": lambda d, a: _meeting(round=Round.from_view(d["round"])),
    "round.advanced": lambda d, a: _meeting(round=Round.from_view(d["round"])),
    "round.ended": lambda d, a: _meeting(round=None),
    "silent.opened": lambda d, a: _meeting(silent=Silent(d["phase"])),
    "silent.written": lambda d, a: _written(d),
    "silent.revealed": lambda d, a: _revealed(d),
    "feedback.received": _feedback,
    "next.scheduled": lambda d, a: [Change("process", set={"next_meeting": dict(d["next"])})],
    "summary.shared": lambda d, a: [
        Change("process", set={"summary": {"link": d.get("link"), "expires_at": d["expires_at"]}})
    ],
    "summary.revoked": lambda d, a: [Change("process", set={"summary": None})],
    "review.marked": lambda d, a: [Change("process", merge={"marks": {d["step"]: d["status"]}})],
    "wellbeing.rated": lambda d, a: _wellbeing(d),
}
for _name in WORKSHOP_EVENTS:
    CHANGES[_name] = lambda d, a, name=_name: _workshop(name, d)  # type: ignore[misc]


def changes(name: str, data: dict[str, Any], actor: str | None) -> list[Change]:
    """What the event (its data with any private part) changes; ValueError for an unknown one."""
    derive = CHANGES.get(name)
    if derive is None:
        raise ValueError(f"unknown event {name!r}")
    return derive(data, actor)


def merged(current: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """A dict field after a merge: each key given its value, or taken away by None."""
    result = dict(current)
    for key, value in update.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result
