"""A workshop's part of a meeting's state: the small groups and their boards, the fishbowl, the
experts by experience, and which board the plenary is looking at. No I/O."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

BOWL_SEATS = 5  # "3–5 professionals at a time" in the bowl
GROUP_MIN, GROUP_MAX = 3, 6


@dataclass
class Group:
    """One small group of a groups step: its board, its people, its own chair and scribe."""

    id: str  # also the board's id: entries written on it carry it
    phase: str
    theme: str  # the key of the prepared board structure in the frame
    number: int
    members: list[str]
    chair: str | None = None
    scribe: str | None = None

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "phase": self.phase,
            "theme": self.theme,
            "number": self.number,
            "members": list(self.members),
            "chair": self.chair,
            "scribe": self.scribe,
        }


@dataclass
class Bowl:
    """The fishbowl: a few speakers in the middle, the others asking to step in."""

    phase: str
    seats: list[str] = field(default_factory=list)
    asking: list[str] = field(default_factory=list)

    def public(self) -> dict[str, Any]:
        return {"phase": self.phase, "seats": list(self.seats), "asking": list(self.asking)}


@dataclass
class Workshop:
    """Everything a workshop adds to a meeting."""

    groups: dict[str, Group] = field(default_factory=dict)
    experts: list[str] = field(default_factory=list)
    bowl: Bowl | None = None
    showing: str | None = None  # the board shown to the plenary, one group after another

    def groups_of(self, phase: str) -> list[Group]:
        return sorted((g for g in self.groups.values() if g.phase == phase), key=lambda g: g.number)

    def group_of(self, phase: str, participant: str) -> Group | None:
        return next((g for g in self.groups_of(phase) if participant in g.members), None)

    def view(self) -> dict[str, Any]:
        return {
            "groups": [g.public() for g in sorted(self.groups.values(), key=_order)],
            "experts": list(self.experts),
            "bowl": self.bowl.public() if self.bowl else None,
            "showing": self.showing,
        }

    @classmethod
    def from_view(cls, data: dict[str, Any] | None) -> Workshop:
        """The workshop as stored (its public view holds all of it: nothing here is private)."""
        if not data:
            return cls()
        workshop = cls(experts=list(data.get("experts", [])), showing=data.get("showing"))
        for g in data.get("groups", []):
            workshop.groups[g["id"]] = _group_from(g)
        if data.get("bowl"):
            b = data["bowl"]
            workshop.bowl = Bowl(b["phase"], list(b["seats"]), list(b["asking"]))
        return workshop


def _order(group: Group) -> tuple[str, int]:
    return group.phase, group.number


def _group_from(g: dict[str, Any]) -> Group:
    group = Group(g["id"], g["phase"], g["theme"], g["number"], list(g["members"]))
    group.chair, group.scribe = g.get("chair"), g.get("scribe")
    return group


def evolve(workshop: Workshop, name: str, data: dict[str, Any]) -> None:
    """Apply one of the workshop's events."""
    _EVOLVE[name](workshop, data)


def _groups_formed(workshop: Workshop, data: dict[str, Any]) -> None:
    for old in workshop.groups_of(data["phase"]):
        del workshop.groups[old.id]
    for g in data["groups"]:
        workshop.groups[g["id"]] = _group_from(g)


def _group_role_set(workshop: Workshop, data: dict[str, Any]) -> None:
    group = workshop.groups[data["group"]]
    if data["role"] == "chair":
        group.chair = data["participant"]
    else:
        group.scribe = data["participant"]


def _board_shown(workshop: Workshop, data: dict[str, Any]) -> None:
    workshop.showing = data["group"]


def _expert_set(workshop: Workshop, data: dict[str, Any]) -> None:
    pid = data["participant"]
    if data["expert"] and pid not in workshop.experts:
        workshop.experts.append(pid)
    elif not data["expert"] and pid in workshop.experts:
        workshop.experts.remove(pid)


def _bowl_opened(workshop: Workshop, data: dict[str, Any]) -> None:
    workshop.bowl = Bowl(data["phase"], list(data.get("seats", [])))


def _bowl_closed(workshop: Workshop, data: dict[str, Any]) -> None:
    workshop.bowl = None


def _bowl_asked(workshop: Workshop, data: dict[str, Any]) -> None:
    if workshop.bowl is not None and data["participant"] not in workshop.bowl.asking:
        workshop.bowl.asking.append(data["participant"])


def _bowl_seated(workshop: Workshop, data: dict[str, Any]) -> None:
    if workshop.bowl is not None:
        pid = data["participant"]
        workshop.bowl.seats.append(pid)
        if pid in workshop.bowl.asking:
            workshop.bowl.asking.remove(pid)


def _bowl_left(workshop: Workshop, data: dict[str, Any]) -> None:
    if workshop.bowl is not None and data["participant"] in workshop.bowl.seats:
        workshop.bowl.seats.remove(data["participant"])


_EVOLVE: dict[str, Callable[[Workshop, dict[str, Any]], None]] = {
    "groups.formed": _groups_formed,
    "group.role_set": _group_role_set,
    "board.shown": _board_shown,
    "participant.expert_set": _expert_set,
    "bowl.opened": _bowl_opened,
    "bowl.closed": _bowl_closed,
    "bowl.asked": _bowl_asked,
    "bowl.seated": _bowl_seated,
    "bowl.left": _bowl_left,
}
WORKSHOP_EVENTS = frozenset(_EVOLVE)
