"""The outbox: every message to send is a row, written in the same transaction as what made it
(an invitation, a reminder), and sent later by app/mail/sender.py. A message is identified by
its key (what it is about, for whom, which version), so the same message is never queued twice.
No record text ever goes into a message: only what the recipient needs and a link."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Text
from sqlmodel import Field, Session, SQLModel, select

from app.clock import utcnow


class Mail(SQLModel, table=True):
    """One message and where it is on its way: queued, being sent, sent, or given up."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    to: str = Field(max_length=254)
    subject: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    ics: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    ics_method: str | None = Field(default=None, max_length=10)  # REQUEST or CANCEL
    # queued → sending (the message is on the wire: never sent again) → sent; or failed.
    status: str = Field(default="queued", max_length=10, index=True)
    tries: int = 0
    next_try_at: dt.datetime = Field(default_factory=utcnow, index=True)
    claimed_at: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    error: str = Field(default="", max_length=200)
    created_at: dt.datetime = Field(default_factory=utcnow)


def queue(
    session: Session,
    key: str,
    to: str,
    subject: str,
    body: str,
    ics: str | None = None,
    ics_method: str | None = None,
) -> bool:
    """Queue a message unless one with this key is queued or sent already: whether it was."""
    if session.exec(select(Mail).where(Mail.key == key)).first() is not None:
        return False
    session.add(
        Mail(key=key[:200], to=to, subject=subject[:200], body=body, ics=ics, ics_method=ics_method)
    )
    return True
