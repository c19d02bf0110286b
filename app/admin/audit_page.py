"""The audit log for administrators: the latest actions, filterable by meeting; CSV export."""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from app.admin.who import names
from app.audit.log import record
from app.audit.models import AuditEntry
from app.db import transaction
from app.errors import AppError
from app.rendering import page_language, render
from app.spreadsheet import safe_cell
from app.web import DbSession, professional

router = APIRouter(include_in_schema=False)
LIMIT = 1000


def _rows(session: Session, meeting: str) -> list[AuditEntry]:
    stmt = select(AuditEntry).order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
    if meeting:
        stmt = stmt.where(AuditEntry.meeting_id == meeting)
    return list(session.exec(stmt.limit(LIMIT)).all())


def _admin(request: Request, session: Session) -> int | None:
    user = professional(request, session)
    if user is None:
        return None
    if not user.is_admin:
        raise AppError("forbidden", "The audit log is for administrators.")
    return user.id


def _log(request: Request, action: str, admin: int | None) -> None:
    # A page is read without the write lock: its own log line is a short write of its own.
    with transaction(request.app.state.engine) as session:
        record(session, action, actor=f"user:{admin}", role="admin")


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, session: DbSession, meeting: str = "") -> Response:
    """Who did what, newest first."""
    admin = _admin(request, session)
    if admin is None:
        return RedirectResponse("/?next=/admin/audit", status_code=303)
    rows = _rows(session, meeting.strip())
    _log(request, "audit.view", admin)
    return render(
        request,
        "audit.html",
        page_language(request),
        rows=rows,
        names=names(session, rows),
        meeting=meeting,
    )


@router.get("/admin/audit.csv")
def audit_csv(request: Request, session: DbSession, meeting: str = "") -> Response:
    """The same rows as CSV (the family may ask who processed their data)."""
    admin = _admin(request, session)
    if admin is None:
        raise AppError("forbidden", "Please log in.")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "who", "actor", "role", "action", "meeting", "success", "detail"])
    rows = _rows(session, meeting.strip())
    who = names(session, rows)
    for row in rows:
        writer.writerow(
            [
                row.at.isoformat(),
                safe_cell(who.get(row.actor, "")),
                row.actor,
                row.role,
                row.action,
                row.meeting_id or "",
                "yes" if row.success else "no",
                safe_cell(row.detail),
            ]
        )
    _log(request, "audit.export", admin)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": 'attachment; filename="avoin-audit.csv"',
        },
    )
