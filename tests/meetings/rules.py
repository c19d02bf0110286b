"""Running ops through the pure rules in tests: decide, check nothing changed, then evolve."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.errors import AppError
from app.meetings.domain import MeetingState
from app.meetings.evolve import evolve
from app.meetings.schemas import op_adapter
from app.meetings.state import Context, Event, apply


def decide(
    state: MeetingState, body: dict[str, Any], actor: str, ctx: Context, op_id: str = "o1"
) -> Event:
    """Apply an op (which must not change the state), then evolve the state by its event."""
    before = copy.deepcopy(state)
    event = apply(state, op_adapter.validate_python({"id": op_id, **body}), actor, ctx)
    assert state == before  # apply only decides
    evolve(state, event.name, {**event.data, **event.private}, actor)
    return event


def refusal(state: MeetingState, body: dict[str, Any], actor: str, ctx: Context) -> str:
    """The error code an op is refused with."""
    with pytest.raises(AppError) as err:
        apply(state, op_adapter.validate_python({"id": "o1", **body}), actor, ctx)
    return err.value.code
