"""Changes to a preparation, as the worker and the family make them on its page: each takes a
preparation and returns a new one, validated, or raises PreparationError saying what to fix."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from app.preparation.model import (
    FULL,
    GONE,
    ITEM_MODELS,
    MAX_ITEMS,
    MESSAGES,
    SHAREABLE,
    UNKNOWN,
    Part,
    Person,
    Preparation,
    PreparationError,
    errors_of,
    load,
)


def _copy(prep: Mapping[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(load(prep))


def set_core_question(prep: Mapping[str, Any], text: Any) -> dict[str, Any]:
    """The core question, in the family's own words (empty clears it)."""
    out = _copy(prep)
    try:
        out["core_question"] = Preparation.model_validate({"core_question": text}).core_question
    except ValidationError as exc:
        raise PreparationError([("core_question", MESSAGES[("core_question", "")])]) from exc
    return out


def _section(section: str) -> type[Part]:
    if section not in ITEM_MODELS:
        raise PreparationError([("", UNKNOWN)])
    return ITEM_MODELS[section]


def _index(out: Mapping[str, Any], section: str, index: Any) -> int:
    if isinstance(index, bool) or not isinstance(index, int):
        raise PreparationError([("", GONE)])
    if not 0 <= index < len(out[section]):
        raise PreparationError([("", GONE)])
    return index


def add(prep: Mapping[str, Any], section: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The preparation with one more item at the end of a list (the order people entered)."""
    model = _section(section)
    out = _copy(prep)
    try:
        item = model.model_validate(dict(fields)).model_dump()
    except ValidationError as exc:
        raise errors_of(exc, section) from exc
    if len(out[section]) >= MAX_ITEMS[section]:
        raise PreparationError([("", FULL[section])])
    out[section].append(item)
    return out


def remove(prep: Mapping[str, Any], section: str, index: Any) -> dict[str, Any]:
    """The preparation without one item of a list."""
    _section(section)
    out = _copy(prep)
    del out[section][_index(out, section, index)]
    return out


def move(prep: Mapping[str, Any], section: str, index: Any, step: int) -> dict[str, Any]:
    """One item moved up (step -1) or down (+1); at either end it stays where it is."""
    _section(section)
    out = _copy(prep)
    here = _index(out, section, index)
    there = here + (1 if step > 0 else -1)
    if 0 <= there < len(out[section]):
        items = out[section]
        items[here], items[there] = items[there], items[here]
    return out


def set_closeness(prep: Mapping[str, Any], index: Any, closeness: Any) -> dict[str, Any]:
    """A person of the network map moved to another ring."""
    out = _copy(prep)
    here = _index(out, "network", index)
    person = {**out["network"][here], "closeness": closeness}
    try:
        out["network"][here] = Person.model_validate(person).model_dump()
    except ValidationError as exc:
        raise errors_of(exc, "network") from exc
    return out


def set_share(prep: Mapping[str, Any], chosen: Iterable[str]) -> dict[str, Any]:
    """What the family chose to bring to the meeting: exactly the parts named, no others."""
    out = _copy(prep)
    names = set(chosen)
    out["share"] = {part: part in names for part in SHAREABLE}
    return out
