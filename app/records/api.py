"""GET /api/meetings/{id}/record.{md,txt,pdf,docx,json}: a professional with an account takes the
record out (`json`: structured, for a client-information system, docs/record.schema.json)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request, Response

from app.audit.log import record as audit
from app.db import transaction
from app.errors import AppError
from app.meetings import repository
from app.meetings.api import viewer_of
from app.records.export import FORMATS, build_record, render
from app.records.structured import structured_record

router = APIRouter(prefix="/api", tags=["records"])


def _held(request: Request, meeting_id: str) -> dt.datetime:
    """The day of the meeting: when its row was made."""
    with request.app.state.session_factory() as session:
        return repository.get_meeting(session, meeting_id).created_at


def _log_export(request: Request, meeting_id: str, viewer: Any, fmt: str) -> None:
    # The record leaves the system here: which account took it out, in which format, is
    # accountable.
    with transaction(request.app.state.engine) as session:
        audit(
            session,
            "record.export",
            actor=f"user:{viewer.user_id}",
            role=viewer.kind,
            meeting_id=meeting_id,
            detail=fmt,
        )


@router.get("/meetings/{meeting_id}/record.{fmt}")
async def record_file(meeting_id: str, fmt: str, request: Request) -> Response:
    """The record by phase, whose voice each entry is, the plan as a table: `md` (Markdown),
    `txt` (plain text for a client-information system), `pdf`, `docx`, or `json` (structured,
    docs/record.schema.json)."""
    viewer = await viewer_of(request, meeting_id)
    _seq, state = await request.app.state.service.state(meeting_id)
    # A professional with an account, whoever chairs: not a family member's phone.
    state.record_keeper(viewer.id)
    out = FORMATS.get(fmt)
    if out is None and fmt != "json":
        raise AppError("not_found", "No such record format.")
    held = await to_thread.run_sync(_held, request, meeting_id)
    # The state may be the service's cached object, which the next op changes in place: copy
    # what the record shows into immutable values now, with no await in between.
    if out is None:
        body = json.dumps(structured_record(state, held), ensure_ascii=False).encode()
        media_type = "application/json"
    else:
        content = build_record(state, held)
        # A PDF takes about a tenth of a second to lay out: not on the loop of the sockets.
        body = await to_thread.run_sync(render, content, fmt)
        media_type = out.media_type
    await to_thread.run_sync(_log_export, request, meeting_id, viewer, fmt)
    name = re.sub(r"[^A-Za-z0-9_-]", "", meeting_id)
    return Response(
        body,
        media_type=media_type,
        headers={
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="avoin-{name}.{fmt}"',
        },
    )
