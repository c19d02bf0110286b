"""GET /cases/{id}/access (and .csv, .pdf): the client's access log of a case, for its worker to
hand to the family who asked. Reading it is itself logged, and shows in it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, col, select

from app import rendering
from app.accounts import User
from app.audit.log import record
from app.audit.models import AuditEntry
from app.cases import repository as repo
from app.cases.access import ACCESSES, Access, Row, accesses, as_csv, as_pdf
from app.cases.models import Case
from app.cases.pages import _owned
from app.db import transaction
from app.errors import AppError
from app.meetings.models import Participant
from app.web import DbSession

router = APIRouter(include_in_schema=False)
REPORT = "access.report"


def _lines(session: Session, case: Case, lang: str) -> list[Access]:
    meetings = repo.meetings_of_case(session, case.id)
    titles = {m.id: m.title for m in meetings}
    about_meetings = select(AuditEntry).where(
        col(AuditEntry.meeting_id).in_(list(titles)), col(AuditEntry.action).in_(list(ACCESSES))
    )
    reports = select(AuditEntry).where(
        AuditEntry.action == REPORT, col(AuditEntry.detail).startswith(f"case:{case.id} ")
    )
    found = (
        [*session.exec(about_meetings), *session.exec(reports)]
        if titles
        else [*session.exec(reports)]
    )
    rows = [Row(a.at, a.actor, a.action, a.meeting_id, _format(a)) for a in found]
    return accesses(rows, _people(session, found), titles, lang)


def _format(row: AuditEntry) -> str:
    """What an export or a report read was made as (md, pdf, …); no other detail is shown."""
    if row.action == REPORT:
        return row.detail.rpartition(" ")[2]
    return row.detail if row.action == "record.export" else ""


def _people(session: Session, rows: list[AuditEntry]) -> dict[str, tuple[str, str]]:
    """actor → (name, unit): an account by its display name and unit; a participant by their name
    and role in the meeting, and the unit of their account if they had one."""
    users = {
        int(r.actor[5:]) for r in rows if r.actor.startswith("user:") and r.actor[5:].isdigit()
    }
    pids = {r.actor[12:] for r in rows if r.actor.startswith("participant:")}
    persons = (
        list(session.exec(select(Participant).where(col(Participant.id).in_(pids)))) if pids else []
    )
    users |= {p.user_id for p in persons if p.user_id is not None}
    accounts = (
        {u.id: u for u in session.exec(select(User).where(col(User.id).in_(users)))}
        if users
        else {}
    )
    out: dict[str, tuple[str, str]] = {}
    for uid, user in accounts.items():
        out[f"user:{uid}"] = (user.display_name or user.username, user.unit)
    for person in persons:
        name = f"{person.name} ({person.role_label})" if person.role_label else person.name
        account = accounts.get(person.user_id) if person.user_id is not None else None
        out[f"participant:{person.id}"] = (name, account.unit if account else "")
    return out


def _read(request: Request, user: User, case: Case, fmt: str) -> None:
    with transaction(request.app.state.engine) as session:
        record(
            session,
            REPORT,
            actor=f"user:{user.id}",
            role="professional",
            detail=f"case:{case.id} {fmt}",
        )


def _report(request: Request, session: Session, case_id: str, fmt: str) -> Any:
    lang = rendering.page_language(request)
    found = _owned(request, session, case_id, lang)
    if isinstance(found, Response):
        return found, None, lang
    user, case = found
    _read(request, user, case, fmt)  # logged before it is read: it shows in what is read
    # Read anew: the request's own session began before that line was written.
    with transaction(request.app.state.engine, write=False) as fresh:
        lines = _lines(fresh, case, lang)
    return (user, case), lines, lang


@router.get("/cases/{case_id}/access")
def access_page(request: Request, session: DbSession, case_id: str) -> Response:
    """Who has handled this family's data, when and how: a page to read with the family."""
    found, lines, lang = _report(request, session, case_id, "page")
    if isinstance(found, Response):
        return found
    _user, case = found
    return rendering.render(request, "case_access.html", lang, case=case, lines=lines)


@router.get("/cases/{case_id}/access.{fmt}")
def access_file(request: Request, session: DbSession, case_id: str, fmt: str) -> Response:
    """The same as CSV or PDF, to hand over."""
    if fmt not in ("csv", "pdf"):
        raise AppError("not_found", "No such format.")
    found, lines, lang = _report(request, session, case_id, fmt)
    if isinstance(found, Response):
        return found
    _user, case = found
    if fmt == "csv":
        body, media = as_csv(lines, lang), "text/csv; charset=utf-8"
    else:
        body = as_pdf(lines, case.label, dt.datetime.now(dt.UTC), lang)
        media = "application/pdf"
    return Response(
        body,
        media_type=media,
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="avoin-access-{case.id}.{fmt}"',
        },
    )
