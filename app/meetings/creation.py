"""Opening a meeting: its chair, its shared screen, its frame, and what its case brings."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from app.errors import AppError
from app.frames.loader import Frame
from app.meetings import repository as repo
from app.meetings.models import Meeting, Participant
from app.meetings.process import baseline_review, with_review_phase
from app.text import visible_label


def create_meeting(
    session: Session,
    owner_id: int,
    owner_name: str,
    title: str,
    frame: Frame,
    language: str,
    unit: str = "",
    case_id: str | None = None,
    preparation: dict[str, Any] | None = None,
    houses: list[dict[str, Any]] | None = None,
) -> Meeting:
    """A new meeting with its chair and its shared screen; the frame is copied into it.

    A meeting of a case brings what the family chose to share from the preparation, and opens
    with a review of the previous meeting's plan (see `carry_over`)."""
    title = _title(title)
    frame_dict, review = _with_review(session, frame.model_dump(), case_id)
    meeting = Meeting(
        id=repo.new_id("m")[2:],
        title=title,
        frame_key=frame.key,
        # Every language is kept, so that each person reads the frame in their own.
        frame_json=json.dumps(frame_dict, ensure_ascii=False),
        language=language,
        join_code=repo.new_join_code(session),
        owner_id=owner_id,
        unit=unit,
        case_id=case_id,
        preparation_json=json.dumps(preparation, ensure_ascii=False) if preparation else None,
        review_json=json.dumps(review, ensure_ascii=False) if review else None,
        houses_json=json.dumps(houses, ensure_ascii=False) if houses else None,
    )
    session.add(meeting)
    session.flush()
    chair = Participant(
        id=repo.new_id("p"),
        meeting_id=meeting.id,
        name=owner_name,
        kind="chair",
        admitted=True,
        user_id=owner_id,
    )
    screen = Participant(
        id=repo.new_id("p"), meeting_id=meeting.id, name="Screen", kind="screen", admitted=True
    )
    session.add_all([chair, screen])
    session.flush()
    return meeting


def _title(title: str) -> str:
    title = visible_label(title)
    if "\x00" in title:
        raise AppError("invalid", "Text cannot contain a NUL character.")
    if not title or len(title) > 120:
        raise AppError("invalid", "A title is 1–120 characters.")
    return title


def _with_review(
    session: Session, frame: dict[str, Any], case_id: str | None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The frame and the review a meeting opens with: a case's next meeting reviews the last
    plan; a case's first asks the family's starting point; a meeting of no case has neither."""
    if not case_id:
        return frame, None
    review = repo.carry_over(session, case_id)
    if review is not None:
        return with_review_phase(frame), review
    return with_review_phase(frame, baseline=True), baseline_review()
