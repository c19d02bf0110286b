"""Every op of the protocol is decided by exactly one rule: the core's registry by name, or the
dialogue, process and workshop modules by type. An op added to the union without a rule fails."""

from __future__ import annotations

import typing

from app.meetings import schemas as s
from app.meetings import state, workshop


def op_names(cls: type) -> list[str]:
    return list(typing.get_args(cls.model_fields["op"].annotation))


def test_every_op_has_one_rule() -> None:
    union = typing.get_args(typing.get_args(s.Op)[0])
    delegated = (*state.DIALOGUE_OPS, *state.PROCESS_OPS, *workshop.OPS)
    for cls in union:
        for name in op_names(cls):
            if cls in delegated:
                assert name not in state.RULES, f"{name} is decided in two places"
            else:
                assert name in state.RULES, f"{name} has no rule"
    known = {name for cls in union for name in op_names(cls)}
    assert set(state.RULES) <= known, set(state.RULES) - known
