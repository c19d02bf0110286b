"""The preparation with the family, one part at a time: each edit is a POST of an ordinary form,
answered by a redirect back to its part, or by the page again with the errors (nothing changed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlmodel import Session

from app import rendering
from app.cases import repository as repo
from app.cases.pages import STALE, _back, _case_page, _error_map, _not_found, _owned
from app.preparation import changes
from app.preparation import model as preparation
from app.web import DbSession

router = APIRouter(include_in_schema=False)


def _apply(
    request: Request,
    session: Session,
    case_id: str,
    part: str,
    change: Any,
    *,
    rev: str | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    """Load the case, apply one change of the preparation, save it, and go back to the part;
    or show the page again with the errors, having changed nothing."""
    lang = rendering.page_language(request)
    found = _owned(request, session, case_id, lang)
    if isinstance(found, Response):
        return found
    user, case = found
    prep = preparation.load(case.preparation_json)
    try:
        if rev is not None and rev != preparation.revision(prep):
            raise preparation.PreparationError([("", STALE)])
        new = change(prep)
    except preparation.PreparationError as err:
        errors = _error_map(part, err, lang)
        return _case_page(
            request, session, user, case, lang, status=422, errors=errors, values=values
        )
    repo.save_preparation(session, case, new)
    return _back(case, part)


@router.post("/cases/{case_id}/core-question")
def edit_core_question(
    request: Request,
    session: DbSession,
    case_id: str,
    core_question: Annotated[str, Form()] = "",
) -> Response:
    """The core question, in the family's own words."""
    return _apply(
        request,
        session,
        case_id,
        "core_question",
        lambda prep: changes.set_core_question(prep, core_question),
        values={"core_question": core_question},
    )


async def _form(request: Request) -> dict[str, str]:
    """The posted form's fields (a sync handler cannot read the body itself)."""
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


Form_ = Annotated[dict[str, str], Depends(_form)]
TICKED = frozenset({"true", "on", "1", "yes"})


def _adder(part: str) -> Callable[..., Response]:
    model = preparation.ITEM_MODELS[part]

    def add_item(request: Request, session: DbSession, case_id: str, form: Form_) -> Response:
        # The item's fields as its form names them; a checkbox is there only when ticked, and a
        # field the form does not have keeps its default (an older page, a script's post).
        fields: dict[str, Any] = {
            name: form.get(name, "").lower() in TICKED
            if field.annotation is bool
            else form.get(name, "")
            for name, field in model.model_fields.items()
            if field.annotation is bool or name in form or field.is_required()
        }
        return _apply(
            request,
            session,
            case_id,
            part,
            lambda prep: changes.add(prep, part, fields),
            values={part: fields},
        )

    add_item.__doc__ = f"One more item at the end of the preparation's {part}."
    return add_item


# One more item at the end of a list: whom to invite, what to tell and who tells it, a person on
# the network map, a point of the timeline; the fields are the item's model's.
for _part in preparation.SECTIONS:
    router.add_api_route(f"/cases/{{case_id}}/{_part}", _adder(_part), methods=["POST"])


@router.post("/cases/{case_id}/network/{index}/closeness")
def change_closeness(
    request: Request,
    session: DbSession,
    case_id: str,
    index: int,
    closeness: Annotated[str, Form()] = "",
    rev: Annotated[str, Form()] = "",
) -> Response:
    """A person of the map moved to another ring."""
    return _apply(
        request,
        session,
        case_id,
        "network",
        lambda prep: changes.set_closeness(prep, index, closeness),
        rev=rev,
    )


@router.post("/cases/{case_id}/{part}/{index}/remove")
def remove_item(
    request: Request,
    session: DbSession,
    case_id: str,
    part: str,
    index: int,
    rev: Annotated[str, Form()] = "",
) -> Response:
    """One item taken off a list (whom to invite, who tells what, the map, the timeline)."""
    if part not in preparation.SECTIONS:
        return _not_found(request, rendering.page_language(request))
    return _apply(
        request,
        session,
        case_id,
        part,
        lambda prep: changes.remove(prep, part, index),
        rev=rev,
    )


@router.post("/cases/{case_id}/{part}/{index}/move")
def move_item(
    request: Request,
    session: DbSession,
    case_id: str,
    part: str,
    index: int,
    direction: Annotated[str, Form()] = "",
    rev: Annotated[str, Form()] = "",
) -> Response:
    """One item moved up or down its list (the order things are told, or happened)."""
    if part not in ("telling", "timeline"):
        return _not_found(request, rendering.page_language(request))
    step = -1 if direction == "up" else 1
    return _apply(
        request,
        session,
        case_id,
        part,
        lambda prep: changes.move(prep, part, index, step),
        rev=rev,
    )


@router.post("/cases/{case_id}/share")
def edit_share(
    request: Request,
    session: DbSession,
    case_id: str,
    share: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """What the family chooses to bring to the meeting (the ticked boxes, and nothing else)."""
    chosen = share or []
    return _apply(
        request,
        session,
        case_id,
        "share",
        lambda prep: changes.set_share(prep, chosen),
    )
