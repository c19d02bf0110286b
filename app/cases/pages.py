"""Server-rendered pages of a family's process (case) and the preparation with the family.

Every change is a POST of an ordinary form to this origin, answered by a redirect back to the
section (or by the page again, with the errors linked to their fields). No script is needed.
Only the case's responsible professional sees a case; for anyone else it does not exist (404).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from sqlmodel import Session

from app import rendering
from app.accounts import User
from app.cases import repository as repo
from app.cases.models import Case
from app.errors import AppError
from app.i18n import N_, translate
from app.meetings.houses import HOUSE_NAMES
from app.meetings.service import create_meeting
from app.preparation import model as preparation
from app.preparation import network_svg
from app.preparation.view import CENTRE, preparation_context
from app.web import DbSession, professional

router = APIRouter(include_in_schema=False)

ROLE_TEXT = {
    "named_worker": N_("the family's named worker"),
    "coordinator": N_("a coordinator"),
}
LANGUAGES = (("fi", "Suomi"), ("sv", "Svenska"), ("en", "English"))
# Where the page lands after an edit of each part (the id of its section).
ANCHORS = {
    "details": "details",
    "core_question": "core-question",
    "invitees": "invitees",
    "telling": "telling",
    "network": "network",
    "timeline": "timeline",
    "houses": "houses",
    "share": "share",
    "meetings": "meetings",
}
STALE = N_(
    "The preparation was changed in another window in the meantime, so nothing was changed. "
    "Please look at it again."
)


def _login_redirect(target: str) -> Response:
    return RedirectResponse(f"/?next={quote(target, safe='')}", status_code=303)


def _not_found(request: Request, lang: str) -> Response:
    return rendering.render(
        request,
        "message.html",
        lang,
        status=404,
        title=translate("No such process", lang),
        message=translate(
            "There is no such process, or it is another professional's. A process is shown "
            "only to the professional responsible for it.",
            lang,
        ),
    )


def _user(request: Request, session: Session) -> User | None:
    return professional(request, session)


def _owned(
    request: Request, session: Session, case_id: str, lang: str
) -> tuple[User, Case] | Response:
    """The logged-in professional and their case, or the response for anyone else."""
    user = _user(request, session)
    if user is None:
        return _login_redirect(f"/cases/{case_id}")
    try:
        case = repo.case_for(session, case_id, user.id or 0)
    except AppError:
        return _not_found(request, lang)
    return user, case


def _back(case: Case, part: str) -> Response:
    """After a change: the page again, at the part that was changed."""
    target = f"/cases/{quote(case.id)}?saved={part}#{ANCHORS[part]}"
    return RedirectResponse(target, status_code=303)


def _field_id(part: str, field: str) -> str:
    """The id of the element an error is shown at: its field, or else the part's own notice."""
    if not field:
        return f"{ANCHORS[part]}-problem"
    if part in preparation.SECTIONS:
        return f"{part}-{field}"
    return field


def _error_map(part: str, err: preparation.PreparationError, lang: str) -> dict[str, str]:
    """The domain's errors as messages keyed by the id of the field each belongs to."""
    out: dict[str, str] = {}
    for field, message in err.errors:
        out.setdefault(_field_id(part, field), translate(message, lang))
    return out


def _people(prep: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The network map as lists by side, the closest first, each person with their index."""
    groups: dict[str, list[dict[str, Any]]] = {side: [] for side in preparation.SIDES}
    for index, person in enumerate(prep["network"]):
        groups[person["side"]].append({**person, "index": index})
    for members in groups.values():
        members.sort(key=lambda p: (p["closeness"], p["index"]))
    return groups


def _case_page(
    request: Request,
    session: Session,
    user: User,
    case: Case,
    lang: str,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> HTMLResponse:
    """The case with its preparation in parts; `values` refills the form that had errors."""
    prep = preparation.load(case.preparation_json)
    centre = translate(CENTRE, lang)
    svg = Markup(network_svg.render(prep["network"], centre, lang, svg_id="netmap"))
    preview = preparation_context(preparation.shared(prep), lang, centre)
    frames = [f.localized(lang) for f in request.app.state.frames.values()]
    meetings = repo.meetings_of_case(session, case.id)
    errors = errors or {}
    saved = request.query_params.get("saved", "")
    return rendering.render(
        request,
        "case.html",
        lang,
        status=status,
        user=user,
        case=case,
        prep=prep,
        rev=preparation.revision(prep),
        network_svg=svg,
        people=_people(prep),
        preview=preview,
        preview_empty=preparation.is_empty(preview["prep"]),
        meetings=meetings,
        frames=frames,
        languages=LANGUAGES,
        role_text=ROLE_TEXT,
        errors=errors,
        values=values or {},
        saved=saved if saved in ANCHORS and not errors else "",
        limits=preparation.MAX_ITEMS,
        house_names={key: translate(name, lang) for key, name in HOUSE_NAMES.items()},
        invitations={m.id: json.loads(m.invite_json) for m in meetings if m.invite_json},
        pictures=preparation.PICTURES,
    )


def _cases_page(
    request: Request,
    session: Session,
    user: User,
    lang: str,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> HTMLResponse:
    cases = repo.cases_of(session, user.id or 0)
    return rendering.render(
        request,
        "cases.html",
        lang,
        status=status,
        user=user,
        cases=cases,
        counts=repo.meeting_counts(session, [c.id for c in cases]),
        role_text=ROLE_TEXT,
        errors=errors or {},
        values=values or {},
    )


@router.get("/cases", response_class=HTMLResponse)
def cases_page(request: Request, session: DbSession) -> Response:
    """The logged-in professional's cases, and a form to start a new one."""
    lang = rendering.page_language(request)
    user = _user(request, session)
    if user is None:
        return _login_redirect("/cases")
    return _cases_page(request, session, user, lang)


@router.post("/cases")
def new_case(
    request: Request,
    session: DbSession,
    label: Annotated[str, Form()] = "",
    responsible_role: Annotated[str, Form()] = "named_worker",
) -> Response:
    """Start a new case under a pseudonymous label; the one who starts it is responsible."""
    lang = rendering.page_language(request)
    user = _user(request, session)
    if user is None:
        return _login_redirect("/cases")
    try:
        label, role = preparation.case_details(label, responsible_role)
    except preparation.PreparationError as err:
        ids = {"label": "new-label", "responsible_role": "new-role-named_worker"}
        errors = {ids.get(f, "new-label"): translate(m, lang) for f, m in err.errors}
        values = {"label": label, "responsible_role": responsible_role}
        return _cases_page(request, session, user, lang, status=422, errors=errors, values=values)
    case = repo.create_case(session, user.id or 0, label, role, preparation.empty(), user.unit)
    return RedirectResponse(f"/cases/{quote(case.id)}", status_code=303)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, session: DbSession, case_id: str) -> Response:
    """The case: the preparation with the family in parts, and its meetings."""
    lang = rendering.page_language(request)
    found = _owned(request, session, case_id, lang)
    if isinstance(found, Response):
        return found
    user, case = found
    return _case_page(request, session, user, case, lang)


@router.post("/cases/{case_id}/details")
def edit_details(
    request: Request,
    session: DbSession,
    case_id: str,
    label: Annotated[str, Form()] = "",
    responsible_role: Annotated[str, Form()] = "",
) -> Response:
    """A new label, or a change of who calls the meetings."""
    lang = rendering.page_language(request)
    found = _owned(request, session, case_id, lang)
    if isinstance(found, Response):
        return found
    user, case = found
    try:
        label, role = preparation.case_details(label, responsible_role)
    except preparation.PreparationError as err:
        ids = {"responsible_role": "details-role-named_worker"}
        errors = {ids.get(f, "details-label"): translate(m, lang) for f, m in err.errors}
        values = {"details": {"label": label, "responsible_role": responsible_role}}
        return _case_page(
            request, session, user, case, lang, status=422, errors=errors, values=values
        )
    repo.save_details(session, case, label, role)
    return _back(case, "details")


@router.post("/cases/{case_id}/meetings")
def start_meeting(
    request: Request,
    session: DbSession,
    case_id: str,
    title: Annotated[str, Form()] = "",
    frame: Annotated[str, Form()] = "hypothesis",
    language: Annotated[str, Form()] = "",
) -> Response:
    """The case's next meeting, bringing what the family chose to share; then its chair's view."""
    lang = rendering.page_language(request)
    found = _owned(request, session, case_id, lang)
    if isinstance(found, Response):
        return found
    user, case = found
    values = {"meetings": {"title": title, "frame": frame, "language": language}}
    chosen = request.app.state.frames.get(frame)
    if chosen is None:
        errors = {"meeting-frame-first": translate("Choose a conversation frame.", lang)}
        return _case_page(
            request, session, user, case, lang, status=422, errors=errors, values=values
        )
    prep = preparation.load(case.preparation_json)
    try:
        meeting = create_meeting(
            session,
            user.id or 0,
            user.display_name,
            title.strip() or case.label,
            chosen,
            language if language in ("fi", "sv", "en") else lang,
            user.unit,
            case_id=case.id,
            preparation=preparation.shared(prep),
            # The child's houses come along privately: shown only when the child agrees.
            houses=preparation.houses(prep),
        )
    except AppError as err:
        errors = {"meeting-title": translate(err.message, lang)}
        return _case_page(
            request, session, user, case, lang, status=422, errors=errors, values=values
        )
    # The case was worked on: it comes first in the list of cases.
    repo.save_details(session, case, case.label, case.responsible_role)
    return RedirectResponse(f"/m/{meeting.id}", status_code=303)
