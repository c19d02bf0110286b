"""The preparation with the family, one part at a time: each edit is a POST of an ordinary form,
answered by a redirect back to its part, or by the page again with the errors (nothing changed)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlmodel import Session

from app import rendering
from app.cases import repository as repo
from app.cases.pages import STALE, _back, _case_page, _error_map, _not_found, _owned
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
        lambda prep: preparation.set_core_question(prep, core_question),
        values={"core_question": core_question},
    )


@router.post("/cases/{case_id}/invitees")
def add_invitee(
    request: Request,
    session: DbSession,
    case_id: str,
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    family: Annotated[bool, Form()] = False,
) -> Response:
    """One more person to invite."""
    fields = {"name": name, "role": role, "family": family}
    return _apply(
        request,
        session,
        case_id,
        "invitees",
        lambda prep: preparation.add(prep, "invitees", fields),
        values={"invitees": fields},
    )


@router.post("/cases/{case_id}/telling")
def add_telling(
    request: Request,
    session: DbSession,
    case_id: str,
    what: Annotated[str, Form()] = "",
    who: Annotated[str, Form()] = "",
) -> Response:
    """One more thing to tell in the meeting, and who tells it."""
    fields = {"what": what, "who": who}
    return _apply(
        request,
        session,
        case_id,
        "telling",
        lambda prep: preparation.add(prep, "telling", fields),
        values={"telling": fields},
    )


@router.post("/cases/{case_id}/network")
def add_person(
    request: Request,
    session: DbSession,
    case_id: str,
    name: Annotated[str, Form()] = "",
    relation: Annotated[str, Form()] = "",
    closeness: Annotated[str, Form()] = "",
    side: Annotated[str, Form()] = "",
) -> Response:
    """One more person on the network map."""
    fields = {"name": name, "relation": relation, "closeness": closeness, "side": side}
    return _apply(
        request,
        session,
        case_id,
        "network",
        lambda prep: preparation.add(prep, "network", fields),
        values={"network": fields},
    )


@router.post("/cases/{case_id}/timeline")
def add_moment(
    request: Request,
    session: DbSession,
    case_id: str,
    when: Annotated[str, Form()] = "",
    what: Annotated[str, Form()] = "",
) -> Response:
    """One more point at the end of the timeline."""
    fields = {"when": when, "what": what}
    return _apply(
        request,
        session,
        case_id,
        "timeline",
        lambda prep: preparation.add(prep, "timeline", fields),
        values={"timeline": fields},
    )


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
        lambda prep: preparation.set_closeness(prep, index, closeness),
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
        lambda prep: preparation.remove(prep, part, index),
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
        lambda prep: preparation.move(prep, part, index, step),
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
        lambda prep: preparation.set_share(prep, chosen),
    )
