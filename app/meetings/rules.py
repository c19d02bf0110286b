"""The registry of the meeting's rules: one small function per op, found by the op's name.

The core (state.py), the dialogue tools, the process and the workshop each register their own;
`state.apply` looks the op up here. A name registered twice is a mistake, refused at import."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.meetings.domain import MeetingState
from app.meetings.guards import Context, Event

Rule = Callable[[MeetingState, Any, str, Context], Event]
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register the decorated function as the rule of the op `name`."""

    def register(fn: Rule) -> Rule:
        if name in RULES:
            raise RuntimeError(f"two rules for {name}")
        RULES[name] = fn
        return fn

    return register
