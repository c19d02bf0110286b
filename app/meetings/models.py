"""SQLModel tables of a meeting: the meeting, its participants, entries, event log, feedback."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class Meeting(SQLModel, table=True):
    """A network meeting. Its frame is copied in at creation, so later edits never change it."""

    id: str = Field(primary_key=True, max_length=32)
    title: str = Field(max_length=120)
    frame_key: str = Field(max_length=40)
    frame_json: str = Field(sa_column=Column(Text, nullable=False))
    language: str = Field(default="fi", max_length=5)
    status: str = Field(default="open", max_length=10)
    current_phase: int = 0
    # The child's three houses from the preparation, until the child agrees to show them.
    houses_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # The invitation sent to the case's invitees (app/mail/invitations.py): when, where, its
    # iCalendar sequence, whether cancelled, whether the day-before reminder went.
    invite_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    houses_child: str | None = Field(default=None, max_length=32)
    houses_status: str = Field(default="ready", max_length=12)
    timer_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    join_code: str = Field(max_length=16, unique=True)
    owner_id: int = Field(foreign_key="user.id", index=True)
    unit: str = Field(default="", max_length=80, index=True)
    feedback_count: int = 0
    lobby_open: bool = True
    round_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    workshop_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    silent_phase: str | None = Field(default=None, max_length=40)
    # The process around the meeting: its case, what the family brings, the review of the last
    # meeting's plan, the next meeting, and how long the record is kept.
    case_id: str | None = Field(default=None, foreign_key="case.id", index=True, max_length=32)
    preparation_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    review_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    next_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    retain_until: dt.datetime | None = Field(default=None, index=True)
    created_at: dt.datetime = Field(default_factory=utcnow)
    closed_at: dt.datetime | None = None


class Participant(SQLModel, table=True):
    """Someone let in (or waiting), the chair, or the shared screen."""

    id: str = Field(primary_key=True, max_length=32)
    meeting_id: str = Field(foreign_key="meeting.id", index=True, max_length=32)
    name: str = Field(max_length=60)
    role_label: str = Field(default="", max_length=60)
    kind: str = Field(default="participant", max_length=12)
    family: bool = False
    admitted: bool = False
    removed: bool = False
    hand: bool = False
    hand_at: str | None = Field(default=None, max_length=32)
    interpreter: bool = False
    pause: bool = False
    pause_at: str | None = Field(default=None, max_length=32)
    feedback_given: bool = False
    # sha256 of the participant's cookie; the cookie itself is never stored.
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: dt.datetime = Field(default_factory=utcnow)


class Entry(SQLModel, table=True):
    """One item of the open record (a projection of the event log)."""

    id: str = Field(primary_key=True, max_length=32)
    meeting_id: str = Field(foreign_key="meeting.id", index=True, max_length=32)
    phase: str = Field(max_length=40)
    kind: str = Field(default="note", max_length=12)
    text: str = Field(sa_column=Column(Text, nullable=False))
    speaker: str | None = Field(default=None, max_length=80)
    own_words: bool = False
    owner: str | None = Field(default=None, max_length=80)
    due: str | None = Field(default=None, max_length=10)
    answers: str | None = Field(default=None, max_length=32)
    board: str | None = Field(default=None, max_length=64)
    version: int = 1
    deleted: bool = False
    author: str | None = Field(default=None, max_length=32)
    reactions_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    agreements_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    corrections_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    requests_json: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    unclear_json: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    ask_first: str | None = Field(default=None, max_length=32)
    approved: bool = False
    interpreted_from: str | None = Field(default=None, max_length=40)
    position: int = 0
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)


class Event(SQLModel, table=True):
    """The per-meeting log. The unique (meeting_id, seq) makes the database the sequencer."""

    __table_args__ = (
        UniqueConstraint("meeting_id", "seq", name="uq_event_meeting_seq"),
        UniqueConstraint("meeting_id", "op_id", name="uq_event_meeting_op"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: str = Field(foreign_key="meeting.id", max_length=32)
    seq: int
    op_id: str | None = Field(default=None, max_length=64)
    name: str = Field(max_length=40)
    actor: str | None = Field(default=None, max_length=32)
    at: dt.datetime = Field(default_factory=utcnow)
    data_json: str = Field(sa_column=Column(Text, nullable=False))


class SilentItem(SQLModel, table=True):
    """A thought written in silence, kept apart from the log until the chair reveals them all."""

    id: str = Field(primary_key=True, max_length=64)
    meeting_id: str = Field(foreign_key="meeting.id", index=True, max_length=32)
    phase: str = Field(max_length=40)
    writer: str = Field(max_length=32)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow)


class SummaryLink(SQLModel, table=True):
    """The family's read-only summary link: valid for some days, revocable; only its hash kept."""

    token_hash: str = Field(primary_key=True, max_length=64)
    meeting_id: str = Field(foreign_key="meeting.id", index=True, max_length=32)
    expires_at: dt.datetime
    revoked: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow)


class ScreenKey(SQLModel, table=True):
    """A credential of the shared screen; only its hash kept. A link's key (the chair's page
    shows a fresh one) opens the screen once and is traded for a device's key in a cookie."""

    token_hash: str = Field(primary_key=True, max_length=64)
    meeting_id: str = Field(foreign_key="meeting.id", index=True, max_length=32)
    link: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow)


class Private(SQLModel, table=True):
    """Answers kept out of the shared log: the family's 0–10 "how are things now" scale."""

    meeting_id: str = Field(foreign_key="meeting.id", primary_key=True, max_length=32)
    participant_id: str = Field(primary_key=True, max_length=32)
    kind: str = Field(primary_key=True, max_length=20)
    value: int


class Feedback(SQLModel, table=True):
    """One answer to the end-of-meeting questions; deliberately not linked to its giver: a random
    id (no order), no time finer than the day, and no row or event that names who gave it."""

    # On SQLite the rows are kept in the order of their random ids, not in the order written.
    __table_args__ = {"sqlite_with_rowid": False}

    id: str = Field(default_factory=lambda: secrets.token_hex(16), primary_key=True, max_length=32)
    meeting_id: str = Field(foreign_key="meeting.id", index=True, max_length=32)
    heard: int
    next: int
    together: int
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    family: bool = False
    given_on: dt.date = Field(default_factory=lambda: utcnow().date())


class FeedbackMark(SQLModel, table=True):
    """That someone has answered, kept apart from the answer: a hash of a secret only their
    browser holds (their credential), so that no row names the participant who answered."""

    meeting_id: str = Field(foreign_key="meeting.id", primary_key=True, max_length=32)
    mark: str = Field(primary_key=True, max_length=64)
