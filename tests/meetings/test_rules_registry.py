"""Every op of the protocol is decided by exactly one rule, registered by the op's name (the
core, the dialogue tools, the process and the workshop register their own). An op added to the
union without a rule fails here; a second rule for a name fails at import."""

from __future__ import annotations

import typing

import pytest

from app.meetings import schemas as s
from app.meetings import state
from app.meetings.rules import RULES, rule


def op_names() -> set[str]:
    union = typing.get_args(typing.get_args(s.Op)[0])
    return {name for cls in union for name in typing.get_args(cls.model_fields["op"].annotation)}


def test_every_op_of_the_union_has_its_rule_and_no_rule_is_left_over() -> None:
    assert state.RULES is RULES
    assert op_names() == set(RULES)


def test_a_second_rule_for_an_op_is_refused() -> None:
    with pytest.raises(RuntimeError, match=r"two rules for phase\.goto"):
        rule("phase.goto")(RULES["phase.goto"])


def test_the_hub_names_no_meeting_event() -> None:
    """The hub routes by the effects the app declares (app/meetings/effects.py), never by an
    event's name, and cuts sockets with the close codes of connection.py."""
    from pathlib import Path

    import app.realtime.hub as hub

    source = Path(hub.__file__).read_text()
    for word in ("participant.", "meeting.closed", "entry.deleted", "4001", "4003", "4004"):
        assert word not in source, word


def test_the_realtime_layer_names_no_event_of_the_app() -> None:
    """Who may receive an event is the app's to say (effects.py, screen_reach.py): no module of
    the realtime layer spells an event's name."""
    from pathlib import Path

    from app.meetings.events import EVENT_TYPES

    realtime = Path(__file__).resolve().parents[2] / "app" / "realtime"
    for path in realtime.glob("*.py"):
        source = path.read_text()
        for name in EVENT_TYPES:
            assert f'"{name}"' not in source, (path.name, name)
