"""Every table of the app, for Alembic and for create_all in one place."""

from app.accounts import User, UserSession
from app.meetings.models import Entry, Event, Feedback, Meeting, Participant, SilentItem

__all__ = [
    "Entry",
    "Event",
    "Feedback",
    "Meeting",
    "Participant",
    "SilentItem",
    "User",
    "UserSession",
]
