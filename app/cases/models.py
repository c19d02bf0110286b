"""The case (a family's process) under a pseudonymous label, and its preparation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class Case(SQLModel, table=True):
    """A family's process that links meetings over time. The label is a pseudonym chosen by
    the worker: no family name or personal id is needed or wanted."""

    id: str = Field(primary_key=True, max_length=32)
    label: str = Field(max_length=80)
    # Who calls the meetings: the family's named worker (omatyöntekijä) or a coordinator.
    responsible_id: int = Field(foreign_key="user.id", index=True)
    responsible_role: str = Field(default="named_worker", max_length=20)
    unit: str = Field(default="", max_length=80)
    # The preparation with the family for the next meeting, as JSON (see app/preparation/model.py).
    preparation_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)
