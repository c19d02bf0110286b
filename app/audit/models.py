"""The audit log table."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from app.clock import utcnow


class AuditEntry(SQLModel, table=True):
    """One sensitive action: when, who (and in which role), what, in which meeting, and whether
    it succeeded. Deliberately no record text and no names: ids only."""

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(default="", max_length=40)  # "user:12", "participant:p_…", "system"
    role: str = Field(default="", max_length=20)  # chair, scribe, participant, screen, admin, …
    action: str = Field(max_length=40, index=True)
    meeting_id: str | None = Field(default=None, max_length=32, index=True)
    success: bool = True
    detail: str = Field(default="", max_length=200)
